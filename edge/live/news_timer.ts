/**
 * News inside the live edge (the store's only writer): one `news --once` cycle now and then
 * every `news.interval_minutes` ({@linkcode runNewsLoop}), on the configured feeds (or the
 * bundled ones once, for the demo). A failing cycle is logged; trading goes on.
 *
 * @module
 */

import type { SqliteDatabase as DatabaseSync } from "../../infra/store/sqlite_db.ts";
import {
  SqliteNewsRepository,
  storedArticleCount,
} from "../../infra/store/news/news_repository.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { configuredCycle, newsSources } from "../news/configured_news.ts";
import { cycleJson } from "../news/news_report.ts";
import { runNewsLoop } from "../news/news_loop.ts";

/** Options of {@linkcode NewsTimer}. */
export interface NewsTimerOptions {
  /** Configured feeds on the interval, the bundled feeds once (lexicon), or nothing. */
  readonly mode: "configured" | "bundled" | "off";
  /** The SQLite store the articles go to. */
  readonly storePath: string;
  /** Configuration file (feeds, NewsAPI, Ollama). */
  readonly configPath: string;
  /** Cycle interval, ms. */
  readonly intervalMs: number;
  /** Log lines. */
  readonly log: (line: string) => void;
}

/** See the module documentation. */
export class NewsTimer {
  readonly #o: NewsTimerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<unknown> = Promise.resolve();

  /** @param options Mode, store, config, interval, log. */
  constructor(options: NewsTimerOptions) {
    this.#o = options;
  }

  /** Starts the cycles in the background. */
  start(): void {
    const o = this.#o;
    if (o.mode === "off") return;
    const bundled = o.mode === "bundled";
    const cycle = async () => {
      const { config, secrets } = await loadConfig(o.configPath);
      const sources = newsSources(config, secrets, { bundled });
      if (sources.length === 0) return { line: "no news sources configured" };
      const store = await SqliteStore.open(o.storePath);
      try {
        const s = await configuredCycle(
          config,
          new SqliteNewsRepository(store.db),
          sources,
          bundled,
        );
        return { line: JSON.stringify(cycleJson(s)) };
      } finally {
        await store.close();
      }
    };
    this.#loop = o.mode === "bundled"
      ? cycle().then((r) => o.log(`news: ${r.line.slice(0, 300)}`), (e) => this.#error(e))
      : runNewsLoop({
        intervalMs: o.intervalMs,
        signal: this.#abort.signal,
        cycle,
        onCycle: (r) => o.log(`news: ${r.line.slice(0, 300)}`),
        onError: (e) => this.#error(e),
        now: Date.now,
      });
  }

  /** Stops after the running cycle. */
  async stop(): Promise<void> {
    this.#abort.abort();
    await this.#loop;
  }

  /** Articles in the store. */
  articles(db: DatabaseSync): number {
    return storedArticleCount(db);
  }

  #error(e: unknown): void {
    this.#o.log(`news: ${e instanceof Error ? e.message : String(e)}`);
  }
}
