/**
 * Fast decoding of recorded Binance lines (`<receive ns> <frame>`), shared by the edge
 * replay and the trainer's recording reader.
 *
 * It works on the UTF-8 bytes of a recording, so a reader need not turn the file into
 * strings. Two tiers, one result: `bookTicker` envelopes are recognised from their first
 * bytes and ignored without parsing; `depthUpdate`, `trade` and `aggTrade` envelopes in the
 * shape Binance writes (compact, ASCII, no escapes, plain decimals) are scanned straight
 * into fixed point. Anything else (a REST snapshot, whitespace, an escape, a float where an
 * integer belongs, a missing field, a bad number) goes to the reference path, `JSON.parse`
 * + {@linkcode decodeBinanceFrame}, which decides and words any error. The scanner only
 * accepts what the reference path accepts and builds the same event.
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
const SPACE = 32;
const ascii = (s: string) => new TextEncoder().encode(s);
const STREAM_HEAD = ascii('{"stream":"');
const DATA_HEAD = ascii('","data":{');
const BOOK_TICKER = ascii("@bookTicker");
const TRUE = ascii("true");
const FALSE = ascii("false");
const DEPTH_UPDATE = ascii("depthUpdate");
const TRADE = ascii("trade");
const AGG_TRADE = ascii("aggTrade");
/** Marks "this frame is not in the fast shape": the reference path takes it. */
const NO = -1;
const DOT = 46;
const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);
const E_DEPTH = 1;
const E_TRADE = 2;
const E_AGG = 3;
const E_OTHER = 4;

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
  readonly #text = new TextDecoder("utf-8", { ignoreBOM: true });
  #symbolBytes = new Uint8Array(0);
  #symbolInst: Instrument | undefined;
  #ignoredBytes = new Uint8Array(0);
  #ignored: BinanceFrame = { kind: "ignored", stream: "" };
  // Scanner state for the frame being decoded: bytes, position, end of line.
  #b: Uint8Array = new Uint8Array(0);
  #p = 0;
  #end = 0;

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
   * Decodes one line `<receive ns> <frame>` given as text (see {@linkcode decodeBytes}).
   *
   * @param text The line, without its newline.
   * @returns As {@linkcode decodeBytes}.
   */
  decode(text: string): BinanceFrame | undefined {
    const bytes = new TextEncoder().encode(text);
    return this.decodeBytes(bytes, 0, bytes.length);
  }

  /**
   * Decodes one line `<receive ns> <frame>` held in `bytes[start, end)` (UTF-8, no newline).
   *
   * @param bytes Buffer holding the line.
   * @param start Index of the line's first byte.
   * @param end Index after its last byte.
   * @returns The frame's event (or `{ kind: "ignored" }`), or undefined when the line does
   *   not start with a nanosecond time and a space (`RECORDED_LINE_ERROR`).
   * @throws {FrameError} (or the fallback's error) when the frame is unusable.
   */
  decodeBytes(bytes: Uint8Array, start: number, end: number): BinanceFrame | undefined {
    let sp = start;
    while (sp < end && bytes[sp] !== SPACE) sp++;
    if (sp === start || sp === end) return undefined;
    let receiveTime = NO;
    if (sp - start > 6 && sp - start <= 22) receiveTime = nsPrefixMs(bytes, start, sp);
    if (receiveTime === NO) {
      const rt = nsTextToMs(this.#text.decode(bytes.subarray(start, sp)));
      if (rt === undefined) return undefined;
      receiveTime = rt;
    }
    const f = sp + 1;
    if (startsWith(bytes, f, end, STREAM_HEAD)) {
      this.#b = bytes;
      this.#end = end;
      const fast = this.#scanEnvelope(f + STREAM_HEAD.length, receiveTime);
      this.#b = EMPTY;
      if (fast !== undefined) return fast;
    }
    const frame = this.#text.decode(bytes.subarray(f, end));
    return this.#fallback(frame, { ...this.#options, receiveTime });
  }

  #scanEnvelope(s0: number, receiveTime: number): BinanceFrame | undefined {
    const b = this.#b;
    const end = this.#end;
    let s1 = s0;
    for (; s1 < end; s1++) {
      const c = b[s1] as number;
      if (c === Q) break;
      // Escapes, control and non-ASCII characters: reference path.
      if (c === BSLASH || c < 32 || c > 126) return undefined;
    }
    if (!startsWith(b, s1, end, DATA_HEAD)) return undefined;
    if (b[end - 1] !== RBRACE || b[end - 2] !== RBRACE) return undefined;
    const nameLen = s1 - s0;
    if (nameLen >= BOOK_TICKER.length && startsWith(b, s1 - BOOK_TICKER.length, s1, BOOK_TICKER)) {
      // bookTicker carries no "e"; the reference path ignores it under its stream name.
      if (!sameBytes(this.#ignoredBytes, b, s0, s1)) {
        this.#ignoredBytes = b.slice(s0, s1);
        this.#ignored = { kind: "ignored", stream: this.#text.decode(this.#ignoredBytes) };
      }
      return this.#ignored;
    }
    this.#p = s1 + DATA_HEAD.length;
    const ev = this.#scanData(receiveTime);
    // The data object must close the envelope exactly.
    return ev !== undefined && this.#p === end - 1 ? ev : undefined;
  }

  /** Scans the `data` object (position just after its `{`); leaves #p after its `}`. */
  #scanData(receiveTime: number): BookDelta | Trade | undefined {
    const b = this.#b;
    let e = 0;
    let inst: Instrument | undefined;
    let E = NO, U = NO, u = NO, id = NO, aggId = NO, T = NO, price = NO, size = NO;
    let maker = NO;
    let bids: LevelUpdate[] | undefined;
    let asks: LevelUpdate[] | undefined;
    let seenLo = 0;
    let seenHi = 0;
    while (true) {
      // Keys are one character in the frames we scan; others go to the reference path.
      const p = this.#p;
      if (p + 4 >= this.#end || b[p] !== Q || b[p + 2] !== Q || b[p + 3] !== COLON) {
        return undefined;
      }
      const key = b[p + 1] as number;
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
      const c = b[this.#p];
      switch (key) {
        case 101: // e
          e = this.#eventType();
          break;
        case 115: // s
          inst = this.#instrument();
          if (inst === undefined) return undefined;
          break;
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
          break;
        case 97: // a: asks of a diff, or the id of an aggTrade
          if (c === LBRACK) {
            if (inst === undefined) return undefined;
            asks = this.#levels(inst);
          } else aggId = this.#int();
          break;
        default:
          this.#skipScalar();
      }
      if (this.#p === NO) return undefined;
      const next = b[this.#p++];
      if (next === RBRACE) break;
      if (next !== COMMA) return undefined;
    }
    if (inst === undefined) return undefined;
    if (e === E_DEPTH) {
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
    const tradeId = e === E_TRADE ? id : e === E_AGG && this.#aggTrades ? aggId : NO;
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

  /** End index of a quoted plain-ASCII string starting at #p (its closing quote), or NO. */
  #stringEnd(): number {
    const b = this.#b;
    const p = this.#p;
    if (b[p] !== Q) return this.#fail();
    for (let i = p + 1; i < this.#end; i++) {
      const c = b[i] as number;
      if (c === Q) return i;
      if (c === BSLASH || c < 32 || c > 126) return this.#fail();
    }
    return this.#fail();
  }

  #eventType(): number {
    const s = this.#stringEnd();
    if (s === NO) return NO;
    const b = this.#b;
    const p = this.#p + 1;
    this.#p = s + 1;
    if (s - p === DEPTH_UPDATE.length && startsWith(b, p, s, DEPTH_UPDATE)) return E_DEPTH;
    if (s - p === TRADE.length && startsWith(b, p, s, TRADE)) return E_TRADE;
    if (s - p === AGG_TRADE.length && startsWith(b, p, s, AGG_TRADE)) return E_AGG;
    return E_OTHER;
  }

  /** The instrument named by the string at #p (the last one is cached by its bytes). */
  #instrument(): Instrument | undefined {
    const s = this.#stringEnd();
    if (s === NO) return undefined;
    const p = this.#p + 1;
    this.#p = s + 1;
    if (s === p) return undefined;
    if (!sameBytes(this.#symbolBytes, this.#b, p, s)) {
      this.#symbolBytes = this.#b.slice(p, s);
      this.#symbolInst = this.#options.lookup(this.#text.decode(this.#symbolBytes));
    }
    return this.#symbolInst;
  }

  /** A non-negative safe JSON integer, or NO. */
  #int(): number {
    const b = this.#b;
    let p = this.#p;
    const first = b[p] as number;
    if (first < 48 || first > 57) return this.#fail();
    let v = 0;
    let c = first;
    const end = this.#end;
    for (; c >= 48 && c <= 57 && p < end; c = b[++p] as number) v = v * 10 + (c - 48);
    // JSON forbids leading zeros; fractions and exponents are not integers here.
    if ((first === 48 && p - this.#p > 1) || !Number.isSafeInteger(v)) return this.#fail();
    if (c !== COMMA && c !== RBRACE) return this.#fail();
    this.#p = p;
    return v;
  }

  /** 1 for true, 0 for false, else NO. */
  #bool(): number {
    const b = this.#b;
    if (startsWith(b, this.#p, this.#end, TRUE)) {
      this.#p += 4;
      return 1;
    }
    if (startsWith(b, this.#p, this.#end, FALSE)) {
      this.#p += 5;
      return 0;
    }
    return this.#fail();
  }

  /** A quoted plain decimal at #p as a scaled integer (see {@linkcode scanDecimal}), or NO. */
  #decimal(decimals: number): number {
    const v = scanDecimal(this.#b, this.#p, this.#end, decimals);
    if (v === NO) return this.#fail();
    this.#p = scanEnd;
    return v;
  }

  /** `[["price","size"],...]`: prices > 0, sizes >= 0; undefined (and #p = NO) when out of shape. */
  #levels(inst: Instrument): LevelUpdate[] | undefined {
    const b = this.#b;
    const end = this.#end;
    const out: LevelUpdate[] = [];
    let p = this.#p + 1;
    if (b[p] === RBRACK) {
      this.#p = p + 1;
      return out;
    }
    const pd = inst.priceDecimals;
    const sd = inst.sizeDecimals;
    while (true) {
      if (b[p] !== LBRACK) return this.#fail(), undefined;
      const price = scanDecimal(b, p + 1, end, pd);
      p = scanEnd;
      if (price <= 0 || b[p] !== COMMA) return this.#fail(), undefined;
      const size = scanDecimal(b, p + 1, end, sd);
      p = scanEnd;
      if (size < 0 || b[p] !== RBRACK) return this.#fail(), undefined;
      out.push([price as Ticks, size as Lots]);
      const c = b[p + 1];
      p += 2;
      if (c === RBRACK) break;
      if (c !== COMMA) return this.#fail(), undefined;
    }
    this.#p = p;
    return out;
  }

  /** Skips an integer, a boolean or a plain string the decoder does not read (#p = NO else). */
  #skipScalar(): void {
    const c = this.#b[this.#p] as number;
    if (c === Q) {
      const s = this.#stringEnd();
      if (s !== NO) this.#p = s + 1;
    } else if (c >= 48 && c <= 57) this.#int();
    else this.#bool();
  }

  #fail(): number {
    this.#p = NO;
    return NO;
  }
}

const EMPTY = new Uint8Array(0);

/** Index after the closing quote of the last {@linkcode scanDecimal} that succeeded. */
let scanEnd = 0;

/**
 * A quoted plain decimal at `b[i]` as an integer scaled by `10^decimals`, in one pass; sets
 * `scanEnd` past the closing quote. Same rules and arithmetic as `parseScaled` (digits beyond
 * `decimals` must be zeros; the result a safe integer), but unsigned and never throwing: NO
 * for anything else, which the reference path then judges.
 */
function scanDecimal(b: Uint8Array, i: number, end: number, decimals: number): number {
  if (b[i] !== Q) return NO;
  let value = 0;
  let digits = 0;
  let frac = -1;
  for (i++; i < end; i++) {
    const c = b[i] as number;
    if (c === Q) break;
    if (c === DOT) {
      if (frac !== -1) return NO;
      frac = 0;
      continue;
    }
    if (c < 48 || c > 57) return NO;
    digits++;
    if (frac === -1) value = value * 10 + (c - 48);
    else if (frac < decimals) {
      value = value * 10 + (c - 48);
      frac++;
    } else if (c !== 48) return NO;
  }
  if (i >= end || digits === 0) return NO;
  const kept = frac === -1 ? 0 : frac;
  if (kept < decimals) value *= POW10[decimals - kept] as number;
  if (!Number.isSafeInteger(value)) return NO;
  scanEnd = i + 1;
  return value;
}

function startsWith(b: Uint8Array, at: number, end: number, pat: Uint8Array): boolean {
  if (at + pat.length > end) return false;
  for (let i = 0; i < pat.length; i++) if (b[at + i] !== pat[i]) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}

/**
 * Epoch ms of a 7..22 digit `<ns>` prefix in `b[start, sp)`, computed as `nsTextToMs` does;
 * NO when a byte is not a digit or the value is not usable (the caller then asks `nsTextToMs`).
 */
function nsPrefixMs(b: Uint8Array, start: number, sp: number): number {
  let ms = 0;
  const cut = sp - 6;
  for (let i = start; i < cut; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return NO;
    ms = ms * 10 + c;
  }
  let sub = 0;
  for (let i = cut; i < sp; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return NO;
    sub = sub * 10 + c;
  }
  if (!Number.isSafeInteger(ms)) return NO;
  const value = ms + sub / 1e6;
  return value > 0 ? value : NO;
}
