/**
 * Decoding of Binance / Binance.US frames into normalized market events, shared by
 * the live adapter, the edge replay and the trainer's recording reader. Pure: the
 * caller parses the JSON text.
 *
 * @module
 */

import type { BookDelta, BookSnapshot, LevelUpdate, Trade } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import { type Instrument, parsePrice, parseSize, type VenueId } from "./instrument.ts";
import { FrameError } from "./frame_error.ts";

/** A parsed Binance frame: a normalized event, or a frame kind we do not use. */
export type BinanceFrame =
  | BookDelta
  | BookSnapshot
  | Trade
  | { readonly kind: "ignored"; readonly stream: string };

/** Resolves a Binance symbol ("BTCUSDT") to an instrument, or undefined if unknown. */
export type InstrumentLookup = (venueSymbol: string) => Instrument | undefined;

type Json = Record<string, unknown>;

/** Options of {@linkcode decodeBinanceFrame}. */
export interface BinanceFrameOptions {
  /**
   * Venue tag (error messages). Events take the venue of the instrument the lookup returns, so
   * an archive of another venue's book in this format (see `edge/recording/binance_frames.ts`)
   * decodes to that venue's events.
   */
  readonly venue: VenueId;
  /** Receive time of the frame, epoch ms. */
  readonly receiveTime: number;
  /** Resolves the frame's symbol. */
  readonly lookup: InstrumentLookup;
  /** Instrument of bare REST depth snapshots (they carry no symbol). */
  readonly snapshotInstrument?: Instrument;
  /** Decode `aggTrade` events as trades (else they are ignored like other streams). Default true. */
  readonly aggTrades?: boolean;
}

/**
 * Decodes one Binance / Binance.US frame, already JSON-parsed: a combined-stream
 * envelope (`@depth`, `@trade`, `@aggTrade` (id `a`), `@bookTicker`, ...), a bare diff
 * or trade event, or a REST depth snapshot (which carries no symbol, so
 * `snapshotInstrument` names it).
 *
 * @param msg The parsed JSON value of the frame.
 * @param options Venue tag, receive time (epoch ms), instrument lookup and snapshot instrument.
 * @returns The normalized event, or `{ kind: "ignored" }` for streams TickerML does not use.
 * @throws {FrameError} When the frame misses or mistypes a field.
 *
 * @example A depth diff from a combined stream
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeBinanceFrame } from "./binance_frame.ts";
 * import { defaultInstrument } from "./instruments.ts";
 * const inst = defaultInstrument("binance", "BTC/USDT")!;
 * const msg = { stream: "btcusdt@depth@100ms", data: { e: "depthUpdate", E: 1, s: "BTCUSDT", U: 5, u: 6, b: [["100.00", "1"]], a: [] } };
 * const ev = decodeBinanceFrame(msg, { venue: "binance", receiveTime: 2, lookup: () => inst });
 * assert.equal(ev.kind, "delta");
 * ```
 */
export function decodeBinanceFrame(msg: unknown, options: BinanceFrameOptions): BinanceFrame {
  const { venue } = options;
  if (!isObject(msg)) throw new FrameError(venue, "frame is not a JSON object");
  if ("lastUpdateId" in msg) {
    // REST snapshots carry no symbol; archived ones (edge/recording/binance_frames.ts) have `s`.
    const inst = typeof msg.s === "string"
      ? instrumentOf(msg, options)
      : options.snapshotInstrument;
    if (!inst) throw new FrameError(venue, "depth snapshot without a known instrument");
    return parseSnapshot(msg, inst, options.receiveTime);
  }
  let stream = "";
  let data: Json = msg;
  if ("stream" in msg) {
    stream = str(msg, "stream", venue);
    if (!isObject(msg.data)) throw new FrameError(venue, `'data' is not an object in ${stream}`);
    data = msg.data;
  }
  const e = data.e;
  if (e === "depthUpdate") return parseDepth(data, options);
  if (e === "trade") return parseTrade(data, options, "t");
  if (e === "aggTrade" && options.aggTrades !== false) return parseTrade(data, options, "a");
  if (stream === "" && e === undefined && "result" in data) {
    return { kind: "ignored", stream: "result" };
  }
  if (stream !== "" && e === undefined) return { kind: "ignored", stream };
  if (typeof e === "string") return { kind: "ignored", stream: stream || e };
  throw new FrameError(venue, "frame has neither an event type 'e' nor a snapshot");
}

function parseSnapshot(msg: Json, inst: Instrument, receiveTime: number): BookSnapshot {
  const venue = inst.venue;
  return {
    kind: "snapshot",
    venue,
    symbol: inst.symbol,
    // Binance spot snapshots carry no time; archived snapshots of other venues keep theirs in `E`.
    exchangeTime: "E" in msg ? int(msg, "E", venue) : 0,
    receiveTime,
    sequence: int(msg, "lastUpdateId", venue),
    bids: levels(msg, "bids", inst),
    asks: levels(msg, "asks", inst),
  };
}

function instrumentOf(
  data: Json,
  options: { venue: string; lookup: InstrumentLookup },
): Instrument {
  const s = str(data, "s", options.venue);
  const inst = options.lookup(s);
  if (!inst) throw new FrameError(options.venue, `unknown symbol "${s}"`);
  return inst;
}

function parseDepth(
  data: Json,
  options: { venue: string; receiveTime: number; lookup: InstrumentLookup },
): BookDelta {
  const inst = instrumentOf(data, options);
  const first = int(data, "U", options.venue);
  const last = int(data, "u", options.venue);
  if (first > last) throw new FrameError(options.venue, `depthUpdate has U ${first} > u ${last}`);
  return {
    kind: "delta",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: int(data, "E", options.venue),
    receiveTime: options.receiveTime,
    firstSequence: first,
    lastSequence: last,
    bids: levels(data, "b", inst),
    asks: levels(data, "a", inst),
    // An archived delta of a venue with checksums (Kraken, ...) keeps it in `X`.
    ...("X" in data ? { checksum: int(data, "X", options.venue) } : {}),
  };
}

function parseTrade(
  data: Json,
  options: { venue: string; receiveTime: number; lookup: InstrumentLookup },
  idKey: "t" | "a",
): Trade {
  const inst = instrumentOf(data, options);
  const price = decimal(data, "p", inst, "price");
  const size = decimal(data, "q", inst, "size");
  if (price <= 0) throw new FrameError(options.venue, `trade price must be > 0: "${data.p}"`);
  if (size <= 0) throw new FrameError(options.venue, `trade size must be > 0: "${data.q}"`);
  const maker = data.m;
  if (typeof maker !== "boolean") {
    throw new FrameError(options.venue, "trade field 'm' is not a boolean");
  }
  return {
    kind: "trade",
    venue: inst.venue,
    symbol: inst.symbol,
    exchangeTime: int(data, "T", options.venue),
    receiveTime: options.receiveTime,
    // An archived trade whose id is not a plain integer keeps it as text in `I`.
    tradeId: typeof data.I === "string" && data.I !== ""
      ? data.I
      : String(int(data, idKey, options.venue)),
    price: price as Ticks,
    size: size as Lots,
    // m = buyer is the maker, so the taker sold.
    takerSide: maker ? "sell" : "buy",
  };
}

function levels(data: Json, key: string, inst: Instrument): LevelUpdate[] {
  const raw = data[key];
  if (!Array.isArray(raw)) throw new FrameError(inst.venue, `'${key}' is not an array`);
  const out: LevelUpdate[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const lv = raw[i];
    if (!Array.isArray(lv) || typeof lv[0] !== "string" || typeof lv[1] !== "string") {
      throw new FrameError(inst.venue, `'${key}[${i}]' is not a [price, size] pair of strings`);
    }
    let price: Ticks;
    let size: Lots;
    try {
      price = parsePrice(inst, lv[0]);
      size = parseSize(inst, lv[1]);
    } catch (e) {
      throw new FrameError(inst.venue, `'${key}[${i}]': ${(e as Error).message}`, { cause: e });
    }
    if (price <= 0) {
      throw new FrameError(inst.venue, `'${key}[${i}]' price must be > 0: "${lv[0]}"`);
    }
    if (size < 0) throw new FrameError(inst.venue, `'${key}[${i}]' size must be >= 0: "${lv[1]}"`);
    out[i] = [price, size];
  }
  return out;
}

function decimal(data: Json, key: string, inst: Instrument, what: "price" | "size"): number {
  const v = data[key];
  if (typeof v !== "string") {
    throw new FrameError(inst.venue, `field '${key}' is not a decimal string`);
  }
  try {
    return what === "price" ? parsePrice(inst, v) : parseSize(inst, v);
  } catch (e) {
    throw new FrameError(inst.venue, `field '${key}': ${(e as Error).message}`, { cause: e });
  }
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(data: Json, key: string, venue: string): string {
  const v = data[key];
  if (typeof v !== "string") {
    throw new FrameError(venue, `field '${key}' is missing or not a string`);
  }
  return v;
}

function int(data: Json, key: string, venue: string): number {
  const v = data[key];
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new FrameError(venue, `field '${key}' is missing or not a non-negative integer`);
  }
  return v;
}
