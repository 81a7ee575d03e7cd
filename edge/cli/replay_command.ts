import { parseFlags } from "../../infra/cli/flags.ts";
import { SnapshotAttributionError } from "../../core/market/binance_survey.ts";
import { replayBinanceRecording, type ReplaySummary } from "../replay/binance_replay.ts";
import { runCryptofeedReplay } from "../replay/cryptofeed_replay.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { StoreWriter } from "../../infra/store/store_writer.ts";
import { type Output, progressLine, UsageError } from "../../infra/cli/output.ts";
import { isVenueId, VENUE_IDS, type VenueId } from "../../core/market/instrument.ts";

const USAGE =
  "usage: deno task replay [--json] [--store PATH] [--venue binance|binance_us|coinbase|kraken|kucoin] [--symbol BASE/QUOTE] FILE...";

/**
 * `replay`: replays Binance recordings through the sync and book, optionally into a store.
 *
 * @param args Command-line arguments after the subcommand.
 * @param out Where to print.
 * @returns Exit code (0 ok, 1 the result is not usable: problems are printed on stderr,
 *   2 bad usage or a snapshot whose symbol only `--symbol` can tell).
 * @throws {UsageError} On bad arguments.
 */
export async function replayCommand(args: string[], out: Output): Promise<number> {
  const format = args.indexOf("--format");
  if (format >= 0) {
    const value = args[format + 1];
    const rest = [...args.slice(0, format), ...args.slice(format + 2)];
    if (value === "cryptofeed") return await runCryptofeedReplay(rest);
    if (value !== "binance") {
      throw new UsageError(`--format must be binance or cryptofeed, got "${value}"\n${USAGE}`);
    }
    args = rest;
  }
  const parsed = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      json: { type: "boolean", default: false },
      store: { type: "string" },
      venue: { type: "string", default: "binance" },
      symbol: { type: "string" },
      "snapshot-interval": { type: "string", default: "10" },
    },
  });
  const { values, positionals } = parsed;
  if (positionals.length === 0) throw new UsageError(`no recording files given\n${USAGE}`);
  if (!isVenueId(values.venue)) {
    throw new UsageError(
      `--venue must be one of ${VENUE_IDS.join(", ")}, got "${values.venue}"\n${USAGE}`,
    );
  }
  const interval = Number(values["snapshot-interval"]);
  if (!(interval > 0)) {
    throw new UsageError(`--snapshot-interval must be a positive number of seconds`);
  }
  if (values.symbol !== undefined && !/^[A-Z0-9]+\/[A-Z0-9]+$/.test(values.symbol)) {
    throw new UsageError(`--symbol must look like BASE/QUOTE, got "${values.symbol}"\n${USAGE}`);
  }
  let summary;
  try {
    summary = await runReplay(positionals, {
      venue: values.venue,
      ...(values.symbol ? { symbol: values.symbol } : {}),
      snapshotIntervalMs: interval * 1000,
      ...(values.store ? { store: values.store } : {}),
      out,
      progress: !values.json,
    });
  } catch (e) {
    if (e instanceof SnapshotAttributionError) throw new UsageError(e.message);
    throw e;
  }
  if (values.json) out.stdout(JSON.stringify(summary));
  else out.stdout(formatSummary(summary, values.store));
  for (const p of summary.problems) out.stderr(`replay: ${p}`);
  return summary.usable ? 0 : 1;
}

/** Options of {@linkcode runReplay}. */
export interface RunReplayOptions {
  /** Venue tag of the recording. */
  venue: VenueId;
  /** Symbol the user named for bare REST snapshots the evidence cannot attribute. */
  symbol?: string;
  /** Store path; no store when absent. */
  store?: string;
  /** Periodic snapshot interval, ms. */
  snapshotIntervalMs: number;
  /** Printer. */
  out: Output;
  /** Show a progress line on stderr. */
  progress: boolean;
}

/** Runs a replay (with an optional SQLite store) and returns the summary plus store facts. */
export async function runReplay(
  files: string[],
  options: RunReplayOptions,
): Promise<ReplaySummary & { elapsed_ms: number; store?: Record<string, number> }> {
  const started = performance.now();
  const store = options.store ? await SqliteStore.open(options.store) : undefined;
  try {
    const writer = store ? new StoreWriter(store) : undefined;
    const summary = await replayBinanceRecording(files, {
      venue: options.venue,
      ...(options.symbol ? { snapshotSymbol: options.symbol } : {}),
      snapshotIntervalMs: options.snapshotIntervalMs,
      ...(writer ? { sink: writer } : {}),
      ...(store ? { onInstruments: (i) => store.putInstruments(i) } : {}),
      ...(options.progress
        ? {
          onProgress: (p) =>
            options.out.progress(progressLine(p.fileIndex + 1, p.files, p.file, p.lines)),
        }
        : {}),
    });
    if (options.progress) options.out.progress("");
    await writer?.flush();
    const counts = store ? await store.tableCounts() : undefined;
    return {
      ...summary,
      elapsed_ms: Math.round(performance.now() - started),
      ...(counts ? { store: counts } : {}),
    };
  } finally {
    await store?.close();
  }
}

/** Human-readable replay summary. */
export function formatSummary(
  s: ReplaySummary & { elapsed_ms: number; store?: Record<string, number> },
  storePath?: string,
): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const lines = [
    `Replayed ${s.files} file(s), ${n(s.lines)} lines in ${n(s.elapsed_ms)} ms`,
    `  depth messages ${n(s.depth_msgs)}: applied ${n(s.applied)}, stale ${
      n(s.stale)
    }, gaps ${s.gaps}, crossed ${s.crossed}`,
    `  trades ${n(s.trades)} (trade id gaps ${s.trade_id_gaps}), snapshots ${s.snapshots}`,
    `  last update id ${s.last_update_id ?? "-"}`,
    `  best bid ${s.best_bid ?? "-"} x ${s.best_bid_size ?? "-"} | best ask ${
      s.best_ask ?? "-"
    } x ${s.best_ask_size ?? "-"}`,
    `  levels: ${n(s.bid_levels)} bids, ${n(s.ask_levels)} asks`,
    `  bad lines ${s.bad_lines}${s.errors.length ? ":" : ""}`,
    ...s.errors.map((e) => `    ${e}`),
  ];
  if (s.store && storePath) {
    lines.push(
      `  store ${storePath}: ${
        Object.entries(s.store).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join(", ")
      }`,
    );
  }
  return lines.join("\n");
}
