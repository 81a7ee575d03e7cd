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
import { JsonCursor, NO, sameBytes } from "./json_cursor.ts";
import {
  binanceEventType,
  DATA_HEAD,
  E_AGG,
  E_DEPTH,
  E_TRADE,
  envelopeNameEnd,
  isBookTicker,
  lineReceiveTime,
  spaceAt,
  STREAM_HEAD,
} from "./recorded_line_bytes.ts";

/** Options of {@linkcode BinanceLineDecoder}: those of a frame, less the receive time. */
export type BinanceLineOptions = Omit<BinanceFrameOptions, "receiveTime">;

/** The reference decoder of one frame text (default: `JSON.parse` + `decodeBinanceFrame`). */
export type FrameFallback = (frame: string, options: BinanceFrameOptions) => BinanceFrame;

const COMMA = 44;
const LBRACK = 91;
const RBRACE = 125;

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
  #lastReceiveTime = NaN;
  /** Cursor over the frame being decoded. */
  readonly #c = new JsonCursor();
  readonly #seen = new Int32Array(2);

  /**
   * @param options Venue, instrument lookup, snapshot instrument, aggTrade handling.
   * @param fallback Reference decoder for frames outside the fast shape.
   */
  constructor(options: BinanceLineOptions, fallback?: FrameFallback) {
    this.#options = options;
    this.#fallback = fallback ?? ((frame, o) => decodeBinanceFrame(JSON.parse(frame), o));
    this.#aggTrades = options.aggTrades !== false;
  }

  /** Receive time (epoch ms) of the last line decoded, NaN when it had none. */
  get lastReceiveTime(): number {
    return this.#lastReceiveTime;
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
   * @param snapshotOwner Names the instrument of a bare REST snapshot (asked only for frames
   *   outside the fast shape).
   * @returns The frame's event (or `{ kind: "ignored" }`), or undefined when the line does
   *   not start with a nanosecond time and a space (`RECORDED_LINE_ERROR`).
   * @throws {FrameError} (or the fallback's error) when the frame is unusable.
   */
  decodeBytes(
    bytes: Uint8Array,
    start: number,
    end: number,
    snapshotOwner?: () => Instrument | undefined,
  ): BinanceFrame | undefined {
    this.#lastReceiveTime = NaN;
    const receiveTime = lineReceiveTime(bytes, start, end, this.#text);
    if (receiveTime === undefined) return undefined;
    this.#lastReceiveTime = receiveTime;
    const f = spaceAt(bytes, start, end) + 1;
    const nameEnd = envelopeNameEnd(bytes, f, end);
    if (nameEnd !== NO) {
      const s0 = f + STREAM_HEAD.length;
      if (isBookTicker(bytes, f, nameEnd)) {
        // bookTicker carries no "e"; the reference path ignores it under its stream name.
        if (!sameBytes(this.#ignoredBytes, bytes, s0, nameEnd)) {
          this.#ignoredBytes = bytes.slice(s0, nameEnd);
          this.#ignored = { kind: "ignored", stream: this.#text.decode(this.#ignoredBytes) };
        }
        return this.#ignored;
      }
      this.#c.reset(bytes, nameEnd + DATA_HEAD.length, end);
      const fast = this.#scanData(receiveTime);
      // The data object must close the envelope exactly.
      const closed = this.#c.p === end - 1;
      this.#c.reset(EMPTY, 0, 0);
      if (fast !== undefined && closed) return fast;
    }
    const frame = this.#text.decode(bytes.subarray(f, end));
    const owner = snapshotOwner?.();
    return this.#fallback(
      frame,
      owner
        ? { ...this.#options, receiveTime, snapshotInstrument: owner }
        : { ...this.#options, receiveTime },
    );
  }

  /** Scans the `data` object (position just after its `{`); leaves #p after its `}`. */
  #scanData(receiveTime: number): BookDelta | Trade | undefined {
    const b = this.#c.b;
    let e = 0;
    let inst: Instrument | undefined;
    let E = NO, U = NO, u = NO, id = NO, aggId = NO, T = NO, price = NO, size = NO;
    let maker = NO;
    let bids: LevelUpdate[] | undefined;
    let asks: LevelUpdate[] | undefined;
    const seen = this.#seen.fill(0);
    while (true) {
      // One-letter keys, each once; others (and a repeated key) go to the reference path.
      const key = this.#c.key(seen);
      if (key === NO) return undefined;
      const c = b[this.#c.p];
      switch (key) {
        case 101: // e
          e = this.#eventType();
          break;
        case 115: // s
          inst = this.#instrument();
          if (inst === undefined) return undefined;
          break;
        case 69: // E
          E = this.#c.int();
          break;
        case 85: // U
          U = this.#c.int();
          break;
        case 117: // u
          u = this.#c.int();
          break;
        case 116: // t
          id = this.#c.int();
          break;
        case 84: // T
          T = this.#c.int();
          break;
        case 112: // p
          if (inst === undefined) return undefined;
          price = this.#c.decimal(inst.priceDecimals);
          break;
        case 113: // q
          if (inst === undefined) return undefined;
          size = this.#c.decimal(inst.sizeDecimals);
          break;
        case 109: // m
          maker = this.#c.bool();
          break;
        case 98: // b
          if (inst === undefined || c !== LBRACK) return undefined;
          bids = this.#c.levels(inst.priceDecimals, inst.sizeDecimals);
          break;
        case 97: // a: asks of a diff, or the id of an aggTrade
          if (c === LBRACK) {
            if (inst === undefined) return undefined;
            asks = this.#c.levels(inst.priceDecimals, inst.sizeDecimals);
          } else aggId = this.#c.int();
          break;
        case 88: // X: a venue checksum (storage archives): reference path
        case 73: // I: a trade id that is not a safe integer (archives): reference path
          return undefined;
        default:
          this.#c.skipScalar();
      }
      if (this.#c.p === NO) return undefined;
      const next = b[this.#c.p++];
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

  #eventType(): number {
    const s = this.#c.stringEnd();
    if (s === NO) return NO;
    const p = this.#c.p + 1;
    this.#c.p = s + 1;
    return binanceEventType(this.#c.b, p, s);
  }

  /** The instrument named by the string at #p (the last one is cached by its bytes). */
  #instrument(): Instrument | undefined {
    const s = this.#c.stringEnd();
    if (s === NO) return undefined;
    const p = this.#c.p + 1;
    this.#c.p = s + 1;
    if (s === p) return undefined;
    if (!sameBytes(this.#symbolBytes, this.#c.b, p, s)) {
      this.#symbolBytes = this.#c.b.slice(p, s);
      this.#symbolInst = this.#options.lookup(this.#text.decode(this.#symbolBytes));
    }
    return this.#symbolInst;
  }
}

const EMPTY = new Uint8Array(0);
