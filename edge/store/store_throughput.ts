/**
 * Store insert throughput: rows/s of book deltas and of trades, SQLite vs PostgreSQL in the same
 * run, with 1 to 4 concurrent writers (one worker each). Rows are the bundled BTCUSDT recording,
 * repeated under distinct symbols so every writer inserts new rows.
 *
 * SQLite writers each write their own database file (one Pi each: SqliteStore's `seq` is a
 * per-store counter, so two writers on one file collide); PostgreSQL writers share one database.
 *
 * Usage: deno task bench:store [--url postgres://...] [--writers 1,2,4] [--reps 2] [--batch 2000] [--json]
 * The URL defaults to TICKERML_TEST_PG_URL, then DATABASE_URL; without one only SQLite runs.
 *
 * @module
 */
import { scriptFlags } from "../../infra/cli/script_flags.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { dropPgSchema } from "../../infra/store/pg_store.ts";
import type { WriterJob } from "./store_throughput_worker.ts";

/** One measured configuration. */
export interface ThroughputResult {
  /** "sqlite" or "postgres". */
  backend: string;
  /** "deltas" or "trades". */
  kind: string;
  /** Concurrent writers. */
  writers: number;
  /** Rows written in total. */
  rows: number;
  /** Wall time, ms. */
  ms: number;
  /** Rows per second, all writers together. */
  rows_per_s: number;
}

/** Events of one kind for writer `w`, `reps` copies under symbols no other writer uses. */
function rowsFor(events: readonly MarketEvent[], w: number, reps: number): MarketEvent[] {
  const out: MarketEvent[] = [];
  for (let r = 0; r < reps; r++) {
    const symbol = `W${w}R${r}/USDT`;
    for (const e of events) out.push({ ...e, symbol });
  }
  return out;
}

async function runOnce(
  backend: "sqlite" | "postgres",
  target: (w: number) => string,
  schema: string,
  perWriter: (w: number) => MarketEvent[],
  writers: number,
  batch: number,
): Promise<{ rows: number; ms: number }> {
  const workers = Array.from(
    { length: writers },
    () => new Worker(new URL("./store_throughput_worker.ts", import.meta.url), { type: "module" }),
  );
  const next = (w: Worker) =>
    new Promise<Record<string, unknown>>((resolve) => {
      w.onmessage = (m) => resolve(m.data);
    });
  try {
    const ready = await Promise.all(workers.map((w, i) => {
      const reply = next(w);
      const job: WriterJob = { backend, target: target(i), schema, events: perWriter(i), batch };
      w.postMessage(job);
      return reply;
    }));
    const failed = ready.find((r) => r.error);
    if (failed) throw new Error(String(failed.error));
    const started = performance.now();
    const done = await Promise.all(workers.map((w) => {
      const reply = next(w);
      w.postMessage("go");
      return reply;
    }));
    const ms = performance.now() - started;
    const bad = done.find((r) => r.error);
    if (bad) throw new Error(String(bad.error));
    return { rows: done.reduce((n, r) => n + Number(r.rows), 0), ms };
  } finally {
    for (const w of workers) w.terminate();
  }
}

if (import.meta.main) {
  const { values } = scriptFlags("bench:store", {
    options: {
      url: { type: "string" },
      writers: { type: "string", default: "1,2,4" },
      reps: { type: "string", default: "2" },
      batch: { type: "string", default: "2000" },
      json: { type: "boolean", default: false },
    },
  });
  const url = values.url ?? (Deno.env.get("TICKERML_TEST_PG_URL") || Deno.env.get("DATABASE_URL"));
  const writerCounts = values.writers.split(",").map(Number);
  const reps = Number(values.reps);
  const batch = Number(values.batch);
  const all: MarketEvent[] = [];
  await replayBinanceRecording(BUNDLED_RECORDING, { sink: { onEvent: (e) => void all.push(e) } });
  const kinds = {
    deltas: all.filter((e) => e.kind === "delta"),
    trades: all.filter((e) => e.kind === "trade"),
  };
  const dir = await Deno.makeTempDir({ prefix: "tickerml-bench-" });
  const results: ThroughputResult[] = [];
  if (!url) {
    console.error("no PostgreSQL URL (--url, TICKERML_TEST_PG_URL, DATABASE_URL): SQLite only");
  }
  let run = 0;
  try {
    for (const [kind, events] of Object.entries(kinds)) {
      for (const writers of writerCounts) {
        for (const backend of url ? (["sqlite", "postgres"] as const) : (["sqlite"] as const)) {
          const id = run++;
          const schema = `tickerml_bench_${id}_${Date.now()}`;
          try {
            const { rows, ms } = await runOnce(
              backend,
              (w) => backend === "sqlite" ? `${dir}/r${id}w${w}.db` : url!,
              schema,
              (w) => rowsFor(events, w, reps),
              writers,
              batch,
            );
            const r = {
              backend,
              kind,
              writers,
              rows,
              ms: Math.round(ms),
              rows_per_s: Math.round(rows / ms * 1000),
            };
            results.push(r);
            if (!values.json) {
              console.log(
                `${kind.padEnd(6)} ${backend.padEnd(8)} writers ${writers}: ${
                  rows.toLocaleString("en-US")
                } rows in ${r.ms} ms = ${r.rows_per_s.toLocaleString("en-US")} rows/s`,
              );
            }
          } finally {
            if (backend === "postgres") await dropPgSchema(url!, schema);
          }
        }
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  if (values.json) console.log(JSON.stringify({ batch, reps, results }));
}
