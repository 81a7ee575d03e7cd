import { parseFlags } from "../../infra/cli/flags.ts";
import { DecisionClock } from "../../core/features/clock.ts";
import { datasetCsv } from "../../core/features/dataset_csv.ts";
import { packRows } from "../../core/features/dataset.ts";
import { FeatureEngine, type FeatureRow } from "../../core/features/engine.ts";
import {
  buildFeatureSpec,
  defaultFeatureConfig,
  type FeatureSpec,
  type StreamRef,
} from "../../core/features/spec.ts";
import { formatPrice, formatSize, type Instrument } from "../../core/market/instrument.ts";
import type { OhlcvBar } from "../../core/market/ohlcv.ts";
import type { EventQuery } from "../../core/storage.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { storedSentiment, streamsInStore, tableRows } from "../../infra/store/export_reads.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";
import { loadConfig } from "../../infra/config/load_config.ts";

const USAGE = `Usage: deno task export-data [options]

Writes CSV dumps of the store to DIR: ohlcv.csv, features.csv (stored events replayed
through the feature engine, one row per decision) and predictions.csv.

  --store PATH        SQLite store (default: storage.sqlite_path of --config)
  --config PATH       configuration file (default config.yaml)
  --out DIR           output folder (default data/dumps)
  --from TIME         only data at or after TIME (ISO 8601 or epoch ms)
  --to TIME           only data before TIME
  --primary V:SYMBOL  primary stream of the features, e.g. binance:BTC/USDT (default: first instrument)
  --interval-ms N     feature decision interval (default 1000)
  --json              print a JSON summary`;

/** Summary of an export (printed as JSON with --json). */
export interface ExportSummary {
  out_dir: string;
  ohlcv_rows: number;
  feature_rows: number;
  prediction_rows: number;
  spec_hash: string | null;
  files: string[];
}

/**
 * `export-data`: CSV dumps of OHLCV bars, features and predictions from the store
 * (the seed's export_etl). Each file is written to a temporary name and renamed,
 * so a crash never leaves a half-written dump.
 *
 * @param args Command-line arguments.
 * @param out Where to print.
 * @returns Exit code: 0 ok, 2 bad usage.
 * @throws {UsageError} On bad arguments.
 */
export async function runExportData(args: string[], out: Output): Promise<number> {
  const { values: v } = parseFlags(args, {
    usage: USAGE,
    options: {
      store: { type: "string" },
      config: { type: "string", default: "config.yaml" },
      out: { type: "string", default: "data/dumps" },
      from: { type: "string" },
      to: { type: "string" },
      primary: { type: "string" },
      "interval-ms": { type: "string", default: "1000" },
      json: { type: "boolean", default: false },
    },
  });
  const intervalMs = Number(v["interval-ms"]);
  if (!Number.isInteger(intervalMs) || intervalMs <= 0) {
    throw new UsageError(
      `--interval-ms must be a positive integer: ${v["interval-ms"]}\n\n${USAGE}`,
    );
  }
  const query: { fromTime?: number; toTime?: number } = {};
  if (v.from !== undefined) query.fromTime = parseTime(v.from, "--from");
  if (v.to !== undefined) query.toTime = parseTime(v.to, "--to");
  const storePath = v.store ?? (await loadConfig(v.config)).config.storage.sqlite_path;
  const store = await SqliteStore.open(storePath, { migrate: false });
  try {
    await Deno.mkdir(v.out, { recursive: true });
    const instruments = await store.instruments();
    const files: string[] = [];
    const bars = await store.readBars(query);
    files.push(await writeAtomic(`${v.out}/ohlcv.csv`, ohlcvCsv(bars, instruments)));
    const spec = specFor(streamsInStore(store), v.primary);
    let featureRows = 0;
    if (spec) {
      const rows = await replayFeatures(store, spec, instruments, intervalMs, query);
      featureRows = rows.length;
      const csv = datasetCsv(packRows(spec, rows, 0));
      files.push(await writeAtomic(`${v.out}/features.csv`, csv));
    }
    const predictions = tableCsv(store, "predictions", query);
    files.push(await writeAtomic(`${v.out}/predictions.csv`, predictions.csv));
    const summary: ExportSummary = {
      out_dir: v.out,
      ohlcv_rows: bars.length,
      feature_rows: featureRows,
      prediction_rows: predictions.rows,
      spec_hash: spec?.hash ?? null,
      files,
    };
    if (v.json) out.stdout(JSON.stringify(summary, null, 2));
    else {
      out.stdout(
        `Exported ${bars.length} OHLCV bars, ${featureRows} feature rows and ${predictions.rows} predictions to ${v.out}/`,
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Replays the stored events through the feature engine, one row per decision. */
async function replayFeatures(
  store: SqliteStore,
  spec: FeatureSpec,
  instruments: readonly Instrument[],
  intervalMs: number,
  query: EventQuery,
): Promise<FeatureRow[]> {
  const rows: FeatureRow[] = [];
  const engine = new FeatureEngine(spec, {
    instrument: (r) => instruments.find((i) => i.venue === r.venue && i.symbol === r.symbol),
    sentiment: storedSentiment(store),
  });
  const clock = new DecisionClock(engine, {
    intervalMs,
    onDecision: (d) => rows.push(d.rows[d.rows.length - 1] as FeatureRow),
  });
  let last: number | undefined;
  for await (const e of store.readEvents(query)) {
    clock.onEvent(e);
    last = engine.time;
  }
  if (last !== undefined) clock.flushThrough(last);
  return rows;
}

/** Default spec over the streams; `primary` ("venue:SYMBOL") goes first. */
function specFor(streams: StreamRef[], primary?: string): FeatureSpec | undefined {
  if (primary !== undefined) {
    const k = streams.findIndex((s) => `${s.venue}:${s.symbol}` === primary);
    if (k < 0) {
      throw new UsageError(
        `--primary ${primary} has no events in the store: ${
          streams.map((s) => `${s.venue}:${s.symbol}`)
        }`,
      );
    }
    streams.unshift(...streams.splice(k, 1));
  }
  const refs = streams.map((s) => ({ venue: s.venue, symbol: s.symbol }));
  return refs.length === 0 ? undefined : buildFeatureSpec(defaultFeatureConfig(refs));
}

/** OHLCV bars as CSV, prices and sizes as exact decimals of their instrument. */
export function ohlcvCsv(bars: readonly OhlcvBar[], instruments: readonly Instrument[]): string {
  const lines = ["venue,symbol,start_ms,start_iso,open,high,low,close,volume,trades"];
  for (const b of bars) {
    const inst = instruments.find((i) => i.venue === b.venue && i.symbol === b.symbol);
    const p = (x: number) => (inst ? formatPrice(inst, x as never) : String(x));
    const s = inst ? formatSize(inst, b.volume) : String(b.volume);
    lines.push(
      [
        b.venue,
        b.symbol,
        b.start,
        new Date(b.start).toISOString(),
        p(b.open),
        p(b.high),
        p(b.low),
        p(b.close),
        s,
        b.trades,
      ]
        .join(","),
    );
  }
  return lines.join("\n") + "\n";
}

/** All columns of an exported table as CSV, filtered by the query's times. */
function tableCsv(
  store: SqliteStore,
  table: "predictions",
  query: { fromTime?: number; toTime?: number },
): { csv: string; rows: number } {
  const { columns, rows } = tableRows(store, table, query);
  const lines = [columns.join(",")];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(","));
  return { csv: lines.join("\n") + "\n", rows: rows.length };
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function parseTime(text: string, what: string): number {
  const t = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(t)) {
    throw new UsageError(`${what} is not a time (ISO 8601 or epoch ms): ${text}`);
  }
  return t;
}

async function writeAtomic(path: string, text: string): Promise<string> {
  const tmp = `${path}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
  return path;
}
