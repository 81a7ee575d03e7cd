/**
 * A small reader of recorded Binance sessions (`<receive ns> <json frame>` per line,
 * gzip or plain) for the backtester. The trainer may not import `edge/`, so the file
 * reading is its own; lines and frames are decoded by the same `core/market` code the
 * edge replay uses (`aggTrade` frames are ignored: a backtest takes trades from `@trade`).
 * Several files are merged by receive time (stable in file order).
 *
 * @module
 */

import { decodeBinanceFrame } from "../../core/market/binance_frame.ts";
import { defaultBinanceLookup } from "../../core/market/binance_symbols.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { RECORDED_LINE_ERROR, splitRecordedLine } from "../../core/market/recorded_line.ts";

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
  const stats = options.stats ?? newReadStats();
  const iters = files.map((f) => readOne(f, options, stats)[Symbol.asyncIterator]());
  const heads: (MarketEvent | undefined)[] = await Promise.all(
    iters.map(async (it) => (await it.next()).value ?? undefined),
  );
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (
        h !== undefined && (best < 0 || h.receiveTime < (heads[best] as MarketEvent).receiveTime)
      ) best = i;
    }
    if (best < 0) return;
    const e = heads[best] as MarketEvent;
    stats.events++;
    yield e;
    heads[best] = (await (iters[best] as AsyncIterator<MarketEvent>).next()).value ?? undefined;
  }
}

/** Reads every event of the files into memory (benchmarks, small replays). */
export async function loadRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const e of readRecordings(files, options)) out.push(e);
  return out;
}

/**
 * The venue of a recording file: a base name starting with `binance_us.` or
 * `binance.` (as the synthetic generator writes them) names it; otherwise `fallback`.
 */
export function venueOfFile(
  file: string,
  fallback: "binance" | "binance_us",
): "binance" | "binance_us" {
  const base = file.slice(file.lastIndexOf("/") + 1);
  if (base.startsWith("binance_us.")) return "binance_us";
  if (base.startsWith("binance.")) return "binance";
  return fallback;
}

async function* readOne(
  file: string,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<MarketEvent> {
  const venue = venueOfFile(file, options.venue ?? "binance");
  // a bare REST snapshot names no symbol: it is the file's latest stream symbol, else the option's
  let snapshotInstrument = defaultInstrument(venue, options.snapshotSymbol ?? "BTC/USDT");
  const lookup = defaultBinanceLookup(venue);
  const bad = (msg: string) => {
    stats.bad++;
    if (stats.errors.length < 20) stats.errors.push(msg);
  };
  let lineNo = 0;
  for await (const text of lines(file, bad)) {
    lineNo++;
    stats.lines++;
    const line = splitRecordedLine(text);
    if (line === undefined) {
      bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
      continue;
    }
    try {
      const e = decodeBinanceFrame(JSON.parse(line.frame), {
        venue,
        receiveTime: line.receiveTime,
        lookup,
        aggTrades: false,
        ...(snapshotInstrument ? { snapshotInstrument } : {}),
      });
      if (e.kind === "ignored") stats.ignored++;
      else {
        if (e.kind !== "snapshot") {
          snapshotInstrument = defaultInstrument(venue, e.symbol) ?? snapshotInstrument;
        }
        yield e;
      }
    } catch (err) {
      bad(`${file}:${lineNo}: ${(err as Error).message}`);
    }
  }
}

async function* lines(file: string, bad: (msg: string) => void): AsyncGenerator<string> {
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
  let rest = "";
  const decoder = new TextDecoder();
  try {
    for await (const chunk of stream) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) if (p.length > 0) yield p;
    }
    if (rest.length > 0) yield rest;
  } catch (e) {
    bad(`${file}: ends early or is corrupt: ${(e as Error).message}`);
  }
}
