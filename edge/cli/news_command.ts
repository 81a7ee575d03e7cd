import { parseFlags } from "../../infra/cli/flags.ts";
import type { Config, Secrets } from "../../core/config.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { configuredCycle, newsSources, ollamaScorer } from "../news/configured_news.ts";
import { abortableSleep, runNewsLoop } from "../news/news_loop.ts";
import { benchSentiment } from "../news/news_bench.ts";
import { cycleJson, formatCheck, formatCycle, formatShow } from "../news/news_report.ts";
import type { NewsRepository } from "../../infra/store/news/news_store.ts";
import type { NewsSource } from "../news/news_sources.ts";
import { openRepositories } from "../../infra/store/open_repositories.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE =
  `usage: deno task news [run] [--once] [--json] [--bundled] [--feeds F,...] [--no-newsapi]
                      [--no-llm] [--interval MIN] [--config PATH] [--store PATH]
       deno task news check [--config PATH]        (= deno task news:check)
       deno task news show [--limit N] [--symbol BTC] [--hours N] [--store PATH]
       deno task news recompute [--store PATH]    (rebuild every hourly aggregate)
       deno task news bench [--rounds N] [--no-llm] (lexicon articles/s; model latency if Ollama is up)`;

const OPTIONS = {
  once: { type: "boolean" },
  json: { type: "boolean" },
  bundled: { type: "boolean" },
  feeds: { type: "string", multiple: true },
  "no-newsapi": { type: "boolean" },
  "no-llm": { type: "boolean" },
  interval: { type: "string" },
  config: { type: "string" },
  store: { type: "string" },
  limit: { type: "string" },
  symbol: { type: "string" },
  hours: { type: "string" },
  rounds: { type: "string" },
} as const;

type Values = ReturnType<typeof parse>["values"];

function parse(args: string[]) {
  return parseFlags(args, { usage: USAGE, options: OPTIONS, allowPositionals: true });
}

function positiveNumber(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number\n${USAGE}`);
  }
  return n;
}

/**
 * `news`: collect and score news once (`--once`) or every `news.interval_minutes`;
 * `news check`: verify the Ollama host and model; `news show`: latest articles and
 * hourly sentiment; `news recompute`: rebuild the hourly aggregates.
 *
 * @returns Exit code (0 ok; 1 a check failed or a one-shot cycle had no working source).
 */
export async function newsCommand(args: string[], out: Output): Promise<number> {
  const { values, positionals } = parse(args);
  const sub = positionals[0] ?? "run";
  if (positionals.length > 1 || !["run", "check", "show", "recompute", "bench"].includes(sub)) {
    throw new UsageError(`unknown news subcommand "${positionals.join(" ")}"\n${USAGE}`);
  }
  const limit = positiveNumber(values.limit, "limit", 20);
  const hours = positiveNumber(values.hours, "hours", 12);
  const { config, secrets } = await loadConfig(values.config ?? "config.yaml");
  if (sub === "check") return await check(config, secrets, values, out);
  if (sub === "bench") return await bench(config, values, out);
  // The configured store (storage.backend); --store PATH reads and writes that SQLite file.
  const storage = values.store === undefined
    ? config.storage
    : { ...config.storage, backend: "sqlite" as const, sqlite_path: values.store };
  const store = await openRepositories({ ...config, storage }, secrets);
  try {
    const repo = store.repos.news;
    if (sub === "show") {
      const symbol = values.symbol;
      const articles = await repo.recent({ limit, ...(symbol ? { symbol } : {}) });
      const rows = await repo.hourly({ limit: hours, symbol: symbol ?? "ALL" });
      for (const line of formatShow(articles, rows, await repo.healthAll())) out.stdout(line);
      return 0;
    }
    if (sub === "recompute") {
      const rows = await repo.recomputeHours(await repo.scoredHours(), Date.now());
      out.stdout(`hourly aggregates rebuilt: ${rows.length} rows`);
      return 0;
    }
    return await run(config, secrets, values, repo, out);
  } finally {
    await store.close();
  }
}

function buildSources(config: Config, secrets: Secrets, values: Values): NewsSource[] {
  const feeds = values.feeds?.flatMap((f) => f.split(",")).map((f) => f.trim()).filter(Boolean);
  try {
    return newsSources(config, secrets, {
      ...(feeds ? { feeds } : {}),
      bundled: values.bundled === true,
      noNewsApi: values["no-newsapi"] === true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}
${USAGE}`);
  }
}

async function run(
  config: Config,
  secrets: Secrets,
  values: Values,
  repo: NewsRepository,
  out: Output,
): Promise<number> {
  const sources = buildSources(config, secrets, values);
  if (sources.length === 0) {
    out.stderr(
      "no news sources: add news.rss_feeds in config.yaml, set NEWSAPI_KEY, or use --bundled",
    );
  }
  const cycle = () => configuredCycle(config, repo, sources, values["no-llm"] === true);
  const report = (s: Awaited<ReturnType<typeof cycle>>) => {
    if (values.json) out.stdout(JSON.stringify(cycleJson(s)));
    else for (const line of formatCycle(s)) out.stdout(line);
  };
  if (values.once) {
    const s = await cycle();
    report(s);
    const worked = s.sources.some((o) => o.status === "ok" || o.status === "not_modified");
    return worked || sources.length === 0 ? 0 : 1;
  }
  const intervalMin = positiveNumber(values.interval, "interval", config.news.interval_minutes);
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) Deno.exit(130);
    out.stderr("stopping after the current step (press Ctrl-C again to quit at once)");
    stop.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  out.stderr(`news: ${sources.length} source(s), a cycle every ${intervalMin} min; Ctrl-C stops`);
  try {
    await runNewsLoop({
      intervalMs: intervalMin * 60_000,
      signal: stop.signal,
      cycle,
      onCycle: report,
      onError: (e) =>
        out.stderr(`news cycle failed: ${e instanceof Error ? e.message : String(e)}`),
      now: Date.now,
      sleep: abortableSleep,
    });
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
  return 0;
}

async function check(
  config: Config,
  secrets: Secrets,
  values: Values,
  out: Output,
): Promise<number> {
  const status = await ollamaScorer(config).check();
  const { lines, ready } = formatCheck(status, {
    feeds: values.feeds?.length ?? config.news.rss_feeds.length,
    newsApiKey: !!secrets.newsApiKey,
  });
  if (values.json) {
    out.stdout(JSON.stringify({
      host: status.host,
      reachable: status.reachable,
      version: status.version ?? null,
      models: status.models,
      model: status.model,
      model_present: status.modelPresent,
      error: status.error ?? null,
      ready,
    }));
  } else {
    for (const line of lines) out.stdout(line);
  }
  return ready ? 0 : 1;
}

async function bench(config: Config, values: Values, out: Output): Promise<number> {
  const set = JSON.parse(
    await Deno.readTextFile(
      new URL("../../testdata/news/labelled_headlines.json", import.meta.url),
    ),
  ) as { headlines: { text: string }[] };
  const r = await benchSentiment({
    headlines: set.headlines.map((h) => h.text),
    summary: "Derivatives data show short liquidations clustered above $60,500 while ETF flows " +
      "turned negative for a second day and traders warned of more volatility.",
    lexiconRounds: positiveNumber(values.rounds, "rounds", 200_000),
    ...(values["no-llm"] ? {} : { llm: ollamaScorer(config) }),
    llmArticles: 8,
    now: () => performance.now(),
  });
  out.stdout(
    `lexicon: ${r.lexiconArticles.toLocaleString("en-US")} articles (headline + summary), ${
      Math.round(r.lexiconPerSecond).toLocaleString("en-US")
    } articles/s on one core`,
  );
  out.stdout(
    r.ollama
      ? `ollama ${r.ollama.model} at ${config.news.ollama_host}: ${
        r.ollama.meanMs.toFixed(0)
      } ms/article mean, ${
        r.ollama.maxMs.toFixed(0)
      } ms max over ${r.ollama.articles} sequential requests`
      : `ollama: not measured: ${r.ollamaSkipped}`,
  );
  return 0;
}
