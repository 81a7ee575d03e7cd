/**
 * A small reader of recorded Binance sessions (`<receive ns> <json frame>` per line,
 * gzip or plain) for the backtester. The trainer may not import `edge/`, so the file
 * reading is its own; lines and frames are decoded by the same `core/market` code the
 * edge replay uses (`aggTrade` frames are ignored: a backtest takes trades from `@trade`).
 * Several files are merged by receive time (stable in file order).
 *
 * @module
 */

import { BinanceLineDecoder } from "../../core/market/binance_line_decoder.ts";
import { defaultBinanceLookup } from "../../core/market/binance_symbols.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { LineBatcher } from "../../core/market/line_batcher.ts";
import { RECORDED_LINE_ERROR } from "../../core/market/recorded_line.ts";

/** Counters of a read. */
export interface ReadStats {
  /** Lines read. */
  lines: number;
  /** Events produced. */
  events: number;
  /** Lines skipped as unusable (each with a message in `errors`, up to 20). */
  bad: number;
  /** Frames of streams a backtest does not use (bookTicker, ...). */
  ignored: number;
  /** First error messages. */
  errors: string[];
}

/** Options of {@linkcode readRecordings}. */
export interface ReadOptions {
  /** Venue tag of the recordings. Default "binance". */
  venue?: "binance" | "binance_us";
  /** Symbol of bare REST snapshots (they carry none). Default "BTC/USDT". */
  snapshotSymbol?: string;
  /** Counters, filled while reading. */
  stats?: ReadStats;
}

/** Fresh counters. */
export function newReadStats(): ReadStats {
  return { lines: 0, events: 0, bad: 0, ignored: 0, errors: [] };
}

/**
 * Streams the events of several recording files merged in receive-time order.
 *
 * @param files Recording files.
 * @param options Venue, snapshot symbol and counters.
 */
export async function* readRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<MarketEvent> {
  for await (const batch of readRecordingBatches(files, options)) yield* batch;
}

/** Reads every event of the files into memory (benchmarks, small replays). */
export async function loadRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const batch of readRecordingBatches(files, options)) {
    for (let i = 0; i < batch.length; i++) out.push(batch[i] as MarketEvent);
  }
  return out;
}

/**
 * The events of several files merged in receive-time order (stable in file order), in
 * batches: each file is decoded a chunk at a time, synchronously, and the merge awaits
 * only when a file's decoded chunk runs out.
 *
 * @param files Recording files.
 * @param options Venue, snapshot symbol and counters.
 */
export async function* readRecordingBatches(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<MarketEvent[]> {
  const stats = options.stats ?? newReadStats();
  const iters = files.map((f) => readOne(f, options, stats)[Symbol.asyncIterator]());
  const bufs: MarketEvent[][] = files.map(() => []);
  const at: number[] = files.map(() => 0);
  const done: boolean[] = files.map(() => false);
  // Refills file i until it has an event or ends.
  const fill = async (i: number) => {
    while (!done[i] && (at[i] as number) >= (bufs[i] as MarketEvent[]).length) {
      const r = await (iters[i] as AsyncIterator<MarketEvent[]>).next();
      if (r.done) done[i] = true;
      else {
        bufs[i] = r.value;
        at[i] = 0;
      }
    }
  };
  await Promise.all(files.map((_, i) => fill(i)));
  while (true) {
    const out: MarketEvent[] = [];
    let starved = -1;
    while (starved < 0) {
      let best = -1;
      let bestTime = 0;
      for (let i = 0; i < bufs.length; i++) {
        const buf = bufs[i] as MarketEvent[];
        const k = at[i] as number;
        if (k >= buf.length) continue;
        const t = (buf[k] as MarketEvent).receiveTime;
        if (best < 0 || t < bestTime) {
          best = i;
          bestTime = t;
        }
      }
      if (best < 0) break;
      const k = at[best] as number;
      out.push((bufs[best] as MarketEvent[])[k] as MarketEvent);
      at[best] = k + 1;
      if (k + 1 >= (bufs[best] as MarketEvent[]).length && !done[best]) starved = best;
    }
    stats.events += out.length;
    if (out.length > 0) yield out;
    if (starved < 0) return;
    await fill(starved);
  }
}

/** The events of one file, a decompressed chunk at a time. */
async function* readOne(
  file: string,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<MarketEvent[]> {
  const venue = options.venue ?? "binance";
  const snapshotInstrument = defaultInstrument(venue, options.snapshotSymbol ?? "BTC/USDT");
  const decoder = new BinanceLineDecoder({
    venue,
    lookup: defaultBinanceLookup(venue),
    aggTrades: false,
    ...(snapshotInstrument ? { snapshotInstrument } : {}),
  });
  const bad = (msg: string) => {
    stats.bad++;
    if (stats.errors.length < 20) stats.errors.push(msg);
  };
  let lineNo = 0;
  for await (const bytes of lineBatches(file, bad)) {
    const out: MarketEvent[] = [];
    for (let s = 0; s < bytes.length;) {
      let nl = bytes.indexOf(10, s);
      if (nl < 0) nl = bytes.length;
      const start = s;
      s = nl + 1;
      if (nl === start) continue;
      lineNo++;
      stats.lines++;
      try {
        const e = decoder.decodeBytes(bytes, start, nl);
        if (e === undefined) bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
        else if (e.kind === "ignored") stats.ignored++;
        else out.push(e);
      } catch (err) {
        bad(`${file}:${lineNo}: ${(err as Error).message}`);
      }
    }
    if (out.length > 0) yield out;
  }
}

/** The whole lines of a file (gunzipped when `.gz`) as bytes, about one batch per chunk. */
async function* lineBatches(file: string, bad: (msg: string) => void): AsyncGenerator<Uint8Array> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file);
  } catch (e) {
    bad(`${file}: cannot open: ${(e as Error).message}`);
    return;
  }
  let stream: ReadableStream<Uint8Array> = f.readable;
  if (file.endsWith(".gz")) {
    stream = stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  }
  const batcher = new LineBatcher();
  try {
    for await (const chunk of stream) for (const b of batcher.push(chunk)) yield b.bytes;
    for (const b of batcher.end()) yield b.bytes;
  } catch (e) {
    bad(`${file}: ends early or is corrupt: ${(e as Error).message}`);
  }
}
