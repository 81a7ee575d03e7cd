/**
 * The survey's reading of a Binance `depthUpdate`, `trade` or `aggTrade` data object in
 * the compact shape the decoder scans (one-letter keys, plain ASCII strings, integers,
 * `[["price","size"],…]` arrays), straight from the bytes: symbol, update ids, and the
 * decimal facts of prices and sizes, as `BinanceSurvey.add` reads them from the text.
 * Anything outside that shape (a repeated key, another event type, a number the text
 * reading would not take) is declined, and the caller hands the frame text to `add`.
 *
 * @module
 */

import type { BinanceSurvey } from "./binance_survey.ts";
import {
  type DecimalFacts,
  digitsEnd,
  emptyFacts,
  levelAt,
  mergeFacts,
  noteSpan,
} from "./decimal_facts.ts";
import { JsonCursor, NO, sameBytes } from "./json_cursor.ts";
import { binanceEventType, E_AGG, E_DEPTH, E_TRADE } from "./recorded_line_bytes.ts";

const Q = 34; // "
const COMMA = 44;
const LBRACK = 91;
const RBRACK = 93;
const RBRACE = 125;

/**
 * Reads data objects for a survey, reusing its buffers across frames.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BinanceSurvey } from "./binance_survey.ts";
 * import { SurveyScanner } from "./binance_survey_scan.ts";
 * const s = new BinanceSurvey();
 * const b = new TextEncoder().encode('{"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"61837.63000000","q":"0.02000000","T":2,"m":true,"M":true}}');
 * assert.ok(new SurveyScanner(new TextDecoder()).scan(s, b, 1, b.length, 0));
 * assert.equal(s.symbols.get("BTCUSDT")?.priceDecimals, 2);
 * assert.equal(s.symbols.get("BTCUSDT")?.trades, 1);
 * ```
 */
export class SurveyScanner {
  readonly #c = new JsonCursor();
  readonly #levels: DecimalFacts = emptyFacts();
  readonly #trade: DecimalFacts = emptyFacts();
  readonly #text: TextDecoder;
  readonly #seen = new Int32Array(2);
  #symbolBytes = new Uint8Array(0);
  #symbol = "";

  /** @param text Decoder of symbol names. */
  constructor(text: TextDecoder) {
    this.#text = text;
  }

  /**
   * Surveys the data object whose first key starts at `b[start]` (just after its `{`),
   * closed by the envelope's `}` at `end - 1`.
   *
   * @returns Whether the frame was read; false leaves the survey untouched.
   */
  scan(survey: BinanceSurvey, b: Uint8Array, start: number, end: number, file: number): boolean {
    const c = this.#c;
    c.reset(b, start, end);
    const read = this.#read(survey, file);
    c.reset(EMPTY, 0, 0);
    return read;
  }

  #read(survey: BinanceSurvey, file: number): boolean {
    const c = this.#c;
    const b = c.b;
    const levels = this.#levels;
    const trade = this.#trade;
    Object.assign(levels, emptyFacts());
    Object.assign(trade, emptyFacts());
    let e = 0;
    let symbol: string | undefined;
    let first = NO;
    let last = NO;
    const seen = this.#seen.fill(0);
    while (true) {
      // One-letter keys, each once (the text reading takes a repeated key's first value).
      const key = c.key(seen);
      if (key === NO) return false;
      const v = b[c.p];
      if (key === 101) e = this.#eventType(); // e
      else if (key === 115) symbol = this.#symbolName(); // s
      else if (key === 85) first = c.int(); // U
      else if (key === 117) last = c.int(); // u
      else if ((key === 98 || key === 97) && v === LBRACK) this.#levelsFacts(); // b, a
      else if (key === 112 || key === 113) this.#number(key === 112); // p, q
      else c.skipScalar();
      if (c.p === NO) return false;
      const next = b[c.p++];
      if (next === RBRACE) break;
      if (next !== COMMA) return false;
    }
    if (c.p !== c.end - 1 || symbol === undefined || e === 0) return false;
    if (e === E_DEPTH) {
      if (first === NO || last === NO) return false;
      const sym = survey.symbol(symbol);
      survey.noteDepth(sym, first, last, file);
      mergeFacts(sym, levels);
    } else {
      const sym = survey.symbol(symbol);
      sym.trades++;
      mergeFacts(sym, trade);
    }
    return true;
  }

  /** E_DEPTH, E_TRADE (trade or aggTrade), or 0 for another event (declined). */
  #eventType(): number {
    const c = this.#c;
    const s = c.stringEnd();
    if (s === NO) return 0;
    const p = c.p + 1;
    c.p = s + 1;
    const e = binanceEventType(c.b, p, s);
    if (e === E_DEPTH || e === E_TRADE) return e;
    if (e === E_AGG) return E_TRADE;
    c.p = NO;
    return 0;
  }

  /** The symbol string at p (the last one is cached by its bytes), undefined when empty. */
  #symbolName(): string | undefined {
    const c = this.#c;
    const s = c.stringEnd();
    if (s === NO) return undefined;
    const p = c.p + 1;
    c.p = s + 1;
    if (s === p) {
      c.p = NO;
      return undefined;
    }
    if (!sameBytes(this.#symbolBytes, c.b, p, s)) {
      this.#symbolBytes = c.b.slice(p, s);
      this.#symbol = this.#text.decode(this.#symbolBytes);
    }
    return this.#symbol;
  }

  /** `"<int>[.<frac>]"` at p, noted as a trade's price or size; p = NO when it is not that. */
  #number(price: boolean): void {
    const c = this.#c;
    const b = c.b;
    const i = c.p + 1;
    const intEnd = b[c.p] === Q ? digitsEnd(b, i, c.end) : i;
    if (intEnd === i) {
      c.p = NO;
      return;
    }
    const fracEnd = b[intEnd] === 46 ? digitsEnd(b, intEnd + 1, c.end) : intEnd;
    if (fracEnd >= c.end || b[fracEnd] !== Q) {
      c.p = NO;
      return;
    }
    noteSpan(this.#trade, b, i, intEnd, fracEnd, price);
    c.p = fracEnd + 1;
  }

  /** `[["price","size"],…]` at p, every level's facts noted; p = NO when out of shape. */
  #levelsFacts(): void {
    const c = this.#c;
    const b = c.b;
    let p = c.p + 1;
    if (b[p] === RBRACK) {
      c.p = p + 1;
      return;
    }
    while (true) {
      if (b[p] !== LBRACK || b[p + 1] !== Q) break;
      const q = levelAt(this.#levels, b, p + 2, c.end);
      if (q < 0 || b[q] !== RBRACK) break;
      const next = b[q + 1];
      p = q + 2;
      if (next === RBRACK) {
        c.p = p;
        return;
      }
      if (next !== COMMA) break;
    }
    c.p = NO;
  }
}

const EMPTY = new Uint8Array(0);
