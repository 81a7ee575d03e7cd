/**
 * One writer of the store throughput benchmark (store_throughput.ts), in its own worker so
 * writers run in parallel: opens its own store, waits for "go", writes its rows in batches.
 *
 * @module
 */
import type { MarketEvent } from "../../core/market/events.ts";
import type { MarketStore } from "../../core/storage.ts";
import { PgStore } from "../../infra/store/pg_store.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";

/** What the main thread sends first. */
export interface WriterJob {
  /** "sqlite" (target = file path) or "postgres" (target = URL). */
  readonly backend: "sqlite" | "postgres";
  /** File path or URL. */
  readonly target: string;
  /** PostgreSQL schema. */
  readonly schema: string;
  /** The rows to write (already made unique for this writer). */
  readonly events: readonly MarketEvent[];
  /** Events per batch. */
  readonly batch: number;
}

declare const self: Worker & { close(): void };
let store: MarketStore | undefined;
let job: WriterJob | undefined;

self.onmessage = async (msg: MessageEvent<WriterJob | "go">) => {
  try {
    if (msg.data !== "go") {
      job = msg.data;
      store = job.backend === "sqlite"
        ? await SqliteStore.open(job.target, { lock: false }) // the bench measures 1-4 writers
        : await PgStore.open(job.target, { schema: job.schema, maxConnections: 1 });
      self.postMessage({ ready: true });
      return;
    }
    const { events, batch } = job!;
    const started = performance.now();
    for (let i = 0; i < events.length; i += batch) {
      await store!.writeBatch({ events: events.slice(i, i + batch) });
    }
    const ms = performance.now() - started;
    await store!.close();
    self.postMessage({ done: true, rows: events.length, ms });
  } catch (e) {
    self.postMessage({ error: e instanceof Error ? e.message : String(e) });
  }
  if (msg.data === "go") self.close();
};
