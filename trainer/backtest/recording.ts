/**
 * A small reader of recorded Binance sessions (`<receive ns> <json frame>` per line,
 * gzip or plain) for the backtester. The trainer may not import `edge/`, so this
 * decodes only what a backtest needs: depth diffs, trades and the REST snapshot.
 * Several files are merged by receive time (stable in file order).
 *
 * @module
 */

import type { LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import { nsTextToMs } from "../../core/market/receive_time.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { type Instrument, parsePrice, parseSize } from "../../core/market/instrument.ts";

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

async function* readOne(
  file: string,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<MarketEvent> {
  const venue = options.venue ?? "binance";
  const snapInst = defaultInstrument(venue, options.snapshotSymbol ?? "BTC/USDT");
  const bad = (msg: string) => {
    stats.bad++;
    if (stats.errors.length < 20) stats.errors.push(msg);
  };
  let lineNo = 0;
  for await (const text of lines(file, bad)) {
    lineNo++;
    stats.lines++;
    const sp = text.indexOf(" ");
    const ms = sp > 0 ? nsTextToMs(text.slice(0, sp)) : undefined;
    if (ms === undefined) {
      bad(`${file}:${lineNo}: line does not start with "<ns> "`);
      continue;
    }
    try {
      const e = decode(JSON.parse(text.slice(sp + 1)), ms, venue, snapInst);
      if (e === undefined) stats.ignored++;
      else yield e;
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

type Json = Record<string, unknown>;

function decode(
  msg: Json,
  receiveTime: number,
  venue: "binance" | "binance_us",
  snapInst: Instrument | undefined,
): MarketEvent | undefined {
  if ("lastUpdateId" in msg) {
    if (!snapInst) throw new Error("depth snapshot without a known instrument");
    return {
      kind: "snapshot",
      venue,
      symbol: snapInst.symbol,
      exchangeTime: 0,
      receiveTime,
      sequence: num(msg.lastUpdateId, "lastUpdateId"),
      bids: levels(msg.bids, snapInst, "bids"),
      asks: levels(msg.asks, snapInst, "asks"),
    };
  }
  const data = (typeof msg.data === "object" && msg.data !== null ? msg.data : msg) as Json;
  if (data.e !== "depthUpdate" && data.e !== "trade") return undefined;
  const inst = instrumentOf(String(data.s), venue);
  if (data.e === "trade") {
    return {
      kind: "trade",
      venue,
      symbol: inst.symbol,
      exchangeTime: num(data.T, "T"),
      receiveTime,
      tradeId: String(num(data.t, "t")),
      price: parsePrice(inst, String(data.p)),
      size: parseSize(inst, String(data.q)),
      takerSide: data.m === true ? "sell" : "buy",
    };
  }
  return {
    kind: "delta",
    venue,
    symbol: inst.symbol,
    exchangeTime: num(data.E, "E"),
    receiveTime,
    firstSequence: num(data.U, "U"),
    lastSequence: num(data.u, "u"),
    bids: levels(data.b, inst, "b"),
    asks: levels(data.a, inst, "a"),
  };
}

const QUOTES = ["USDT", "USDC", "USD"];

function instrumentOf(s: string, venue: "binance" | "binance_us"): Instrument {
  for (const q of QUOTES) {
    if (s.endsWith(q)) {
      const inst = defaultInstrument(venue, `${s.slice(0, -q.length)}/${q}`);
      if (inst) return inst;
    }
  }
  throw new Error(`unknown symbol "${s}"`);
}

function num(v: unknown, name: string): number {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`'${name}' is not a number`);
  return v;
}

function levels(raw: unknown, inst: Instrument, name: string): LevelUpdate[] {
  if (!Array.isArray(raw)) throw new Error(`'${name}' is not an array`);
  return raw.map((lv, i) => {
    if (!Array.isArray(lv) || typeof lv[0] !== "string" || typeof lv[1] !== "string") {
      throw new Error(`'${name}[${i}]' is not a [price, size] pair`);
    }
    return [parsePrice(inst, lv[0]) as Ticks, parseSize(inst, lv[1]) as Lots] as const;
  });
}
