/**
 * Fast decoding of recorded Binance lines (`<receive ns> <frame>`), shared by the edge
 * replay and the trainer's recording reader.
 *
 * Two tiers, one result: `bookTicker` envelopes are recognised from their first bytes and
 * ignored without parsing; `depthUpdate`, `trade` and `aggTrade` envelopes in the shape
 * Binance writes (compact, no escapes, plain decimals) are scanned straight from the text
 * into fixed point. Anything else (a REST snapshot, whitespace, an escape, a float where an
 * integer belongs, a missing field, a bad number) goes to the reference path,
 * `JSON.parse` + {@linkcode decodeBinanceFrame}, which decides and words any error. The
 * scanner only accepts what the reference path accepts and builds the same event.
 *
 * @module
 */

import {
  type BinanceFrame,
  type BinanceFrameOptions,
  decodeBinanceFrame,
} from "./binance_frame.ts";
import type { BookDelta, LevelUpdate, Trade } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";
import { nsTextToMs } from "./receive_time.ts";
import { scanScaled } from "./fixed_point.ts";

/** Options of {@linkcode BinanceLineDecoder}: those of a frame, less the receive time. */
export type BinanceLineOptions = Omit<BinanceFrameOptions, "receiveTime">;

/** The reference decoder of one frame text (default: `JSON.parse` + `decodeBinanceFrame`). */
export type FrameFallback = (frame: string, options: BinanceFrameOptions) => BinanceFrame;

const Q = 34; // "
const COMMA = 44;
const COLON = 58;
const LBRACK = 91;
const BSLASH = 92;
const RBRACK = 93;
const RBRACE = 125;
const STREAM_HEAD = '{"stream":"';
const DATA_HEAD = '","data":{';
const BOOK_TICKER = "@bookTicker";
/** Marks "this frame is not in the fast shape": the reference path takes it. */
const NO = -1;

/**
 * Decodes recorded Binance lines one at a time, synchronously.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BinanceLineDecoder } from "./binance_line_decoder.ts";
 * import { defaultInstrument } from "./instruments.ts";
 * const inst = defaultInstrument("binance", "BTC/USDT")!;
 * const d = new BinanceLineDecoder({ venue: "binance", lookup: () => inst });
 * const ev = d.decode('1723161254087896568 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"61837.63000000","q":"0.02000000","T":2,"m":true,"M":true}}');
 * assert.equal(ev?.kind, "trade");
 * assert.equal(d.decode("not a line"), undefined);
 * ```
 */
export class BinanceLineDecoder {
  readonly #options: BinanceLineOptions;
  readonly #fallback: FrameFallback;
  readonly #aggTrades: boolean;
  #lastSymbol = "";
  #lastInst: Instrument | undefined;
  // Scanner state for the frame being decoded.
  #t = "";
  #p = 0;

  /**
   * @param options Venue, instrument lookup, snapshot instrument, aggTrade handling.
   * @param fallback Reference decoder for frames outside the fast shape.
   */
  constructor(options: BinanceLineOptions, fallback?: FrameFallback) {
    this.#options = options;
    this.#fallback = fallback ?? ((frame, o) => decodeBinanceFrame(JSON.parse(frame), o));
    this.#aggTrades = options.aggTrades !== false;
  }

  /**
   * Decodes one line `<receive ns> <frame>`.
   *
   * @param text The line, without its newline.
   * @returns The frame's event (or `{ kind: "ignored" }`), or undefined when the line does
   *   not start with a nanosecond time and a space (`RECORDED_LINE_ERROR`).
   * @throws {FrameError} (or the fallback's error) when the frame is unusable.
   */
  decode(text: string): BinanceFrame | undefined {
    const sp = text.indexOf(" ");
    if (sp <= 0) return undefined;
    let receiveTime = NO;
    if (sp > 6 && sp <= 22) receiveTime = nsPrefixMs(text, sp);
    if (receiveTime === NO) {
      const rt = nsTextToMs(text.slice(0, sp));
      if (rt === undefined) return undefined;
      receiveTime = rt;
    }
    const start = sp + 1;
    if (text.startsWith(STREAM_HEAD, start)) {
      const fast = this.#scanEnvelope(text, start + STREAM_HEAD.length, receiveTime);
      if (fast !== undefined) return fast;
    }
    return this.#fallback(text.slice(start), { ...this.#options, receiveTime });
  }

  #scanEnvelope(text: string, s0: number, receiveTime: number): BinanceFrame | undefined {
    const s1 = text.indexOf('"', s0);
    if (s1 < 0 || !text.startsWith(DATA_HEAD, s1)) return undefined;
    for (let i = s0; i < s1; i++) {
      const c = text.charCodeAt(i);
      if (c === BSLASH || c < 32) return undefined; // escapes and control characters: reference path
    }
    const n = text.length;
    if (text.charCodeAt(n - 1) !== RBRACE || text.charCodeAt(n - 2) !== RBRACE) return undefined;
    if (s1 - s0 >= BOOK_TICKER.length && text.startsWith(BOOK_TICKER, s1 - BOOK_TICKER.length)) {
      // bookTicker carries no "e"; the reference path ignores it under its stream name.
      return { kind: "ignored", stream: text.slice(s0, s1) };
    }
    this.#t = text;
    this.#p = s1 + DATA_HEAD.length;
    const ev = this.#scanData(receiveTime);
    this.#t = "";
    // The data object must close the envelope exactly.
    return ev !== undefined && this.#p === n - 1 ? ev : undefined;
  }

  /** Scans the `data` object (position just after its `{`); leaves #p after its `}`. */
  #scanData(receiveTime: number): BookDelta | Trade | undefined {
    const t = this.#t;
    let e = "";
    let inst: Instrument | undefined;
    let E = NO, U = NO, u = NO, id = NO, aggId = NO, T = NO, price = NO, size = NO;
    let maker = NO;
    let bids: LevelUpdate[] | undefined;
    let asks: LevelUpdate[] | undefined;
    let seenLo = 0;
    let seenHi = 0;
    if (t.charCodeAt(this.#p) === RBRACE) return undefined;
    while (true) {
      // Keys are one character in the frames we scan; others go to the reference path.
      const p = this.#p;
      if (t.charCodeAt(p) !== Q || t.charCodeAt(p + 2) !== Q || t.charCodeAt(p + 3) !== COLON) {
        return undefined;
      }
      const key = t.charCodeAt(p + 1);
      if (key < 64 || key > 127) return undefined;
      // A duplicate key: JSON.parse keeps the last one; leave that to the reference path.
      if (key < 96) {
        if ((seenLo & (1 << (key - 64))) !== 0) return undefined;
        seenLo |= 1 << (key - 64);
      } else {
        if ((seenHi & (1 << (key - 96))) !== 0) return undefined;
        seenHi |= 1 << (key - 96);
      }
      this.#p = p + 4;
      const c = t.charCodeAt(this.#p);
      switch (key) {
        case 101: // e
          e = this.#string();
          if (e === "") return undefined;
          break;
        case 115: { // s
          const s = this.#string();
          if (s === "") return undefined;
          inst = s === this.#lastSymbol ? this.#lastInst : this.#lookup(s);
          if (inst === undefined) return undefined;
          break;
        }
        case 69: // E
          E = this.#int();
          break;
        case 85: // U
          U = this.#int();
          break;
        case 117: // u
          u = this.#int();
          break;
        case 116: // t
          id = this.#int();
          break;
        case 84: // T
          T = this.#int();
          break;
        case 112: // p
          if (inst === undefined) return undefined;
          price = this.#decimal(inst.priceDecimals);
          break;
        case 113: // q
          if (inst === undefined) return undefined;
          size = this.#decimal(inst.sizeDecimals);
          break;
        case 109: // m
          maker = this.#bool();
          break;
        case 98: // b
          if (inst === undefined || c !== LBRACK) return undefined;
          bids = this.#levels(inst);
          if (bids === undefined) return undefined;
          break;
        case 97: // a: asks of a diff, or the id of an aggTrade
          if (c === LBRACK) {
            if (inst === undefined) return undefined;
            asks = this.#levels(inst);
            if (asks === undefined) return undefined;
          } else aggId = this.#int();
          break;
        default:
          if (!this.#skipScalar()) return undefined;
      }
      if (this.#p === NO) return undefined;
      const next = t.charCodeAt(this.#p++);
      if (next === RBRACE) break;
      if (next !== COMMA) return undefined;
    }
    if (inst === undefined) return undefined;
    if (e === "depthUpdate") {
      if (E === NO || U === NO || u === NO || U > u || !bids || !asks) return undefined;
      return {
        kind: "delta",
        venue: inst.venue,
        symbol: inst.symbol,
        exchangeTime: E,
        receiveTime,
        firstSequence: U,
        lastSequence: u,
        bids,
        asks,
      };
    }
    const tradeId = e === "trade" ? id : e === "aggTrade" && this.#aggTrades ? aggId : NO;
    if (tradeId === NO || T === NO || maker === NO || price <= 0 || size <= 0) return undefined;
    return {
      kind: "trade",
      venue: inst.venue,
      symbol: inst.symbol,
      exchangeTime: T,
      receiveTime,
      tradeId: String(tradeId),
      price: price as Ticks,
      size: size as Lots,
      takerSide: maker === 1 ? "sell" : "buy",
    };
  }

  #lookup(s: string): Instrument | undefined {
    const inst = this.#options.lookup(s);
    this.#lastSymbol = s;
    this.#lastInst = inst;
    return inst;
  }

  /** A string without escapes; "" (and #p = NO) when absent or escaped. */
  #string(): string {
    const t = this.#t;
    const p = this.#p;
    if (t.charCodeAt(p) !== Q) return this.#fail("");
    const end = t.indexOf('"', p + 1);
    if (end < 0) return this.#fail("");
    for (let i = p + 1; i < end; i++) {
      const c = t.charCodeAt(i);
      if (c === BSLASH || c < 32) return this.#fail("");
    }
    this.#p = end + 1;
    return t.slice(p + 1, end);
  }

  /** A non-negative safe JSON integer, or NO. */
  #int(): number {
    const t = this.#t;
    let p = this.#p;
    const first = t.charCodeAt(p);
    if (first < 48 || first > 57) return this.#fail(NO);
    let v = 0;
    let c = first;
    for (; c >= 48 && c <= 57; c = t.charCodeAt(++p)) v = v * 10 + (c - 48);
    // JSON forbids leading zeros; fractions and exponents are not integers here.
    if ((first === 48 && p - this.#p > 1) || !Number.isSafeInteger(v)) return this.#fail(NO);
    if (c !== COMMA && c !== RBRACE) return this.#fail(NO);
    this.#p = p;
    return v;
  }

  /** 1 for true, 0 for false, else NO. */
  #bool(): number {
    const t = this.#t;
    if (t.startsWith("true", this.#p)) {
      this.#p += 4;
      return 1;
    }
    if (t.startsWith("false", this.#p)) {
      this.#p += 5;
      return 0;
    }
    return this.#fail(NO);
  }

  /** A quoted plain decimal as a scaled integer, or NO. */
  #decimal(decimals: number): number {
    const t = this.#t;
    const p = this.#p;
    if (t.charCodeAt(p) !== Q) return this.#fail(NO);
    const end = t.indexOf('"', p + 1);
    if (end < 0) return this.#fail(NO);
    const v = scanScaled(t, p + 1, end, decimals);
    if (v < 0) return this.#fail(NO);
    this.#p = end + 1;
    return v;
  }

  /** `[["price","size"],...]`: prices > 0, sizes >= 0; undefined when out of shape. */
  #levels(inst: Instrument): LevelUpdate[] | undefined {
    const t = this.#t;
    const out: LevelUpdate[] = [];
    let p = this.#p + 1;
    if (t.charCodeAt(p) === RBRACK) {
      this.#p = p + 1;
      return out;
    }
    const pd = inst.priceDecimals;
    const sd = inst.sizeDecimals;
    while (true) {
      if (t.charCodeAt(p) !== LBRACK || t.charCodeAt(p + 1) !== Q) return undefined;
      const pe = t.indexOf('"', p + 2);
      if (pe < 0 || t.charCodeAt(pe + 1) !== COMMA || t.charCodeAt(pe + 2) !== Q) return undefined;
      const se = t.indexOf('"', pe + 3);
      if (se < 0 || t.charCodeAt(se + 1) !== RBRACK) return undefined;
      const price = scanScaled(t, p + 2, pe, pd);
      const size = scanScaled(t, pe + 3, se, sd);
      if (price <= 0 || size < 0) return undefined;
      out.push([price as Ticks, size as Lots]);
      const c = t.charCodeAt(se + 2);
      p = se + 3;
      if (c === RBRACK) break;
      if (c !== COMMA) return undefined;
    }
    this.#p = p;
    return out;
  }

  /** Skips an integer, a boolean or an escape-free string the decoder does not read. */
  #skipScalar(): boolean {
    const c = this.#t.charCodeAt(this.#p);
    if (c === Q) return this.#string() !== "" || this.#p !== NO;
    if (c >= 48 && c <= 57) return this.#int() !== NO;
    return this.#bool() !== NO;
  }

  #fail<T>(v: T): T {
    this.#p = NO;
    return v;
  }
}

/**
 * Epoch ms of a 7..22 digit `<ns>` prefix, computed as `nsTextToMs` does; NO when a
 * character is not a digit or the value is not usable (the caller then asks `nsTextToMs`).
 */
function nsPrefixMs(text: string, sp: number): number {
  let ms = 0;
  const cut = sp - 6;
  for (let i = 0; i < cut; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NO;
    ms = ms * 10 + c;
  }
  let sub = 0;
  for (let i = cut; i < sp; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NO;
    sub = sub * 10 + c;
  }
  if (!Number.isSafeInteger(ms)) return NO;
  const value = ms + sub / 1e6;
  return value > 0 ? value : NO;
}
