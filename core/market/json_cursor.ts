/**
 * A cursor over compact JSON held as bytes, for decoders that read known frame shapes in
 * place (see `binance_line_decoder.ts`). Every reader either consumes a value and moves `p`
 * past it, or gives up: it returns {@linkcode NO} (or undefined) and sets `p` to NO, and the
 * caller hands the frame to a real JSON parser. Readers accept only ASCII without escapes or
 * control characters, non-negative integers without leading zeros, and plain decimals.
 *
 * @module
 */

import type { LevelUpdate } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";

/** "Not in the fast shape": the reference path takes the frame. */
export const NO = -1;
const Q = 34; // "
const COMMA = 44;
const COLON = 58;
const DOT = 46;
const LBRACK = 91;
const BSLASH = 92;
const RBRACK = 93;
const RBRACE = 125;
const TRUE = new TextEncoder().encode("true");
const FALSE = new TextEncoder().encode("false");
const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * Position `p` in `b[..end)`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { JsonCursor } from "./json_cursor.ts";
 * const c = new JsonCursor();
 * c.reset(new TextEncoder().encode('"61602.01000000",7}'), 0, 19);
 * assert.equal(c.decimal(2), 6160201);
 * c.p++; // the comma
 * assert.equal(c.int(), 7);
 * ```
 */
export class JsonCursor {
  /** The bytes. */
  b: Uint8Array = new Uint8Array(0);
  /** Current position, or NO after a reader gave up. */
  p = 0;
  /** End of the text (exclusive). */
  end = 0;

  /** Points the cursor at `b[p..end)`. */
  reset(b: Uint8Array, p: number, end: number): void {
    this.b = b;
    this.p = p;
    this.end = end;
  }

  /** End index of a quoted plain-ASCII string starting at p (its closing quote), or NO. */
  stringEnd(): number {
    const b = this.b;
    const p = this.p;
    if (b[p] !== Q) return this.fail();
    for (let i = p + 1; i < this.end; i++) {
      const c = b[i] as number;
      if (c === Q) return i;
      if (c === BSLASH || c < 32 || c > 126) return this.fail();
    }
    return this.fail();
  }

  /**
   * A one-letter key `"k":` at p that `seen` (two words of bits, zeroed by the caller for
   * each object) has not had yet: its character code, with p moved to the value; else NO
   * (a longer key, or a repeated one, which JSON.parse would resolve to the last value).
   */
  key(seen: Int32Array): number {
    const b = this.b;
    const p = this.p;
    if (p + 4 >= this.end || b[p] !== Q || b[p + 2] !== Q || b[p + 3] !== COLON) {
      return this.fail();
    }
    const key = b[p + 1] as number;
    if (key < 64 || key > 127) return this.fail();
    const w = (key - 64) >> 5;
    const bit = 1 << (key & 31);
    if (((seen[w] as number) & bit) !== 0) return this.fail();
    seen[w] = (seen[w] as number) | bit;
    this.p = p + 4;
    return key;
  }

  /** A non-negative safe JSON integer, or NO. */
  int(): number {
    const b = this.b;
    let p = this.p;
    const first = b[p] as number;
    if (first < 48 || first > 57) return this.fail();
    let v = 0;
    let c = first;
    const end = this.end;
    for (; c >= 48 && c <= 57 && p < end; c = b[++p] as number) v = v * 10 + (c - 48);
    // JSON forbids leading zeros; fractions and exponents are not integers here.
    if ((first === 48 && p - this.p > 1) || !Number.isSafeInteger(v)) return this.fail();
    if (c !== COMMA && c !== RBRACE) return this.fail();
    this.p = p;
    return v;
  }

  /** 1 for true, 0 for false, else NO. */
  bool(): number {
    const b = this.b;
    if (startsWith(b, this.p, this.end, TRUE)) {
      this.p += 4;
      return 1;
    }
    if (startsWith(b, this.p, this.end, FALSE)) {
      this.p += 5;
      return 0;
    }
    return this.fail();
  }

  /** A quoted plain decimal at p as a scaled integer (see {@linkcode scanDecimal}), or NO. */
  decimal(decimals: number): number {
    const v = scanDecimal(this.b, this.p, this.end, decimals);
    if (v === NO) return this.fail();
    this.p = scanEnd;
    return v;
  }

  /** `[["price","size"],...]`: prices > 0, sizes >= 0; undefined (and p = NO) when out of shape. */
  levels(priceDecimals: number, sizeDecimals: number): LevelUpdate[] | undefined {
    const b = this.b;
    const end = this.end;
    const out: LevelUpdate[] = [];
    let p = this.p + 1;
    if (b[p] === RBRACK) {
      this.p = p + 1;
      return out;
    }
    const pd = priceDecimals;
    const sd = sizeDecimals;
    while (true) {
      if (b[p] !== LBRACK) return this.fail(), undefined;
      const price = scanDecimal(b, p + 1, end, pd);
      p = scanEnd;
      if (price <= 0 || b[p] !== COMMA) return this.fail(), undefined;
      const size = scanDecimal(b, p + 1, end, sd);
      p = scanEnd;
      if (size < 0 || b[p] !== RBRACK) return this.fail(), undefined;
      out.push([price as Ticks, size as Lots]);
      const c = b[p + 1];
      p += 2;
      if (c === RBRACK) break;
      if (c !== COMMA) return this.fail(), undefined;
    }
    this.p = p;
    return out;
  }

  /** Skips an integer, a boolean or a plain string the decoder does not read (p = NO else). */
  skipScalar(): void {
    const c = this.b[this.p] as number;
    if (c === Q) {
      const s = this.stringEnd();
      if (s !== NO) this.p = s + 1;
    } else if (c >= 48 && c <= 57) this.int();
    else this.bool();
  }

  fail(): number {
    this.p = NO;
    return NO;
  }
}

/** Index after the closing quote of the last {@linkcode scanDecimal} that succeeded. */
export let scanEnd = 0;

/**
 * A quoted plain decimal at `b[i]` as an integer scaled by `10^decimals`, in one pass; sets
 * `scanEnd` past the closing quote. Same rules and arithmetic as `parseScaled` (digits beyond
 * `decimals` must be zeros; the result a safe integer), but unsigned and never throwing: NO
 * for anything else, which the reference path then judges.
 */
export function scanDecimal(b: Uint8Array, i: number, end: number, decimals: number): number {
  if (b[i] !== Q) return NO;
  const start = ++i;
  let value = 0;
  let c = b[i] as number;
  while (c >= 48 && c <= 57) {
    value = value * 10 + (c - 48);
    c = b[++i] as number;
  }
  let digits = i - start;
  let kept = 0;
  if (c === DOT) {
    const fracStart = ++i;
    c = b[i] as number;
    while (kept < decimals && c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      kept++;
      c = b[++i] as number;
    }
    // Digits beyond `decimals` must be zeros.
    while (c === 48) c = b[++i] as number;
    digits += i - fracStart;
  }
  // Anything else before the closing quote (a sign, a second dot, an exponent): NO.
  if (c !== Q || i >= end || digits === 0) return NO;
  if (kept < decimals) value *= POW10[decimals - kept] as number;
  if (!Number.isSafeInteger(value)) return NO;
  scanEnd = i + 1;
  return value;
}

/** Whether `b[at..end)` starts with `pat`. */
export function startsWith(b: Uint8Array, at: number, end: number, pat: Uint8Array): boolean {
  if (at + pat.length > end) return false;
  for (let i = 0; i < pat.length; i++) if (b[at + i] !== pat[i]) return false;
  return true;
}

/** Whether `a` equals `b[start..end)`. */
export function sameBytes(a: Uint8Array, b: Uint8Array, start: number, end: number): boolean {
  if (a.length !== end - start) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[start + i]) return false;
  return true;
}
