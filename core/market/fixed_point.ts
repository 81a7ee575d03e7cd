/**
 * Exact fixed-point prices and sizes.
 *
 * A price is an integer count of price units (10^-priceDecimals of the quote
 * currency) and a size an integer count of size units (10^-sizeDecimals of the
 * base asset). Conversion from and to the venue's decimal text is exact: no
 * float rounding ever touches a price or a size.
 *
 * @module
 */

/** A price as an integer number of price units (scaled by the instrument's price decimals). */
export type Ticks = number & { readonly __brand: "Ticks" };
/** A size as an integer number of size units (scaled by the instrument's size decimals). */
export type Lots = number & { readonly __brand: "Lots" };

const ZERO = 48;
const NINE = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

const POW10: readonly number[] = Array.from({ length: 16 }, (_, i) => 10 ** i);

/**
 * A decimal text with non-zero digits beyond the scale it was parsed at: the data is finer
 * than the instrument's precision (callers may widen the instrument, see `widenToData`).
 */
export class PrecisionError extends RangeError {
  /** The decimal text. */
  readonly text: string;
  /** The scale it was parsed at. */
  readonly decimals: number;
  /** Decimals the text needs (up to its last non-zero digit). */
  readonly needed: number;
  /** Digits before its dot. */
  readonly intDigits: number;
  /**
   * @param text The decimal text.
   * @param decimals The scale it was parsed at.
   */
  constructor(text: string, decimals: number) {
    super(`Cannot parse decimal at ${decimals} decimals: "${text}" has more precision`);
    this.name = "PrecisionError";
    this.text = text;
    this.decimals = decimals;
    const [whole = "", frac = ""] = text.replace(/^[+-]/, "").split(".");
    this.needed = frac.replace(/0+$/, "").length;
    this.intDigits = whole.replace(/^0+/, "").length;
  }
}

/**
 * Parses a decimal string into an integer scaled by `10^decimals`, exactly.
 *
 * Digits beyond `decimals` are accepted only when they are zeros
 * ("61602.01000000" at 2 decimals is 6160201).
 *
 * @param text Decimal text such as "61602.01000000", "-0.5" or "3".
 * @param decimals Number of decimals of the scaled integer (0..15).
 * @returns The scaled integer.
 * @throws {SyntaxError} When the text is not a plain decimal number.
 * @throws {RangeError} When the text has non-zero digits beyond `decimals` or overflows 2^53.
 *
 * @example Parse a Binance price
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseScaled } from "./fixed_point.ts";
 * assert.equal(parseScaled("61602.01000000", 2), 6160201);
 * ```
 */
export function parseScaled(text: string, decimals: number): number {
  const n = text.length;
  let i = 0;
  let negative = false;
  if (n === 0) throw new SyntaxError(`Cannot parse decimal: empty text`);
  const first = text.charCodeAt(0);
  if (first === MINUS || first === PLUS) {
    negative = first === MINUS;
    i = 1;
  }
  let value = 0;
  let digits = 0;
  let frac = -1; // -1: no dot seen yet; otherwise count of fractional digits kept
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (frac !== -1) throw new SyntaxError(`Cannot parse decimal: two dots in "${text}"`);
      frac = 0;
      continue;
    }
    if (c < ZERO || c > NINE) {
      throw new SyntaxError(`Cannot parse decimal: unexpected character in "${text}"`);
    }
    digits++;
    if (frac === -1) {
      value = value * 10 + (c - ZERO);
    } else if (frac < decimals) {
      value = value * 10 + (c - ZERO);
      frac++;
    } else if (c !== ZERO) {
      throw new PrecisionError(text, decimals);
    }
  }
  if (digits === 0) throw new SyntaxError(`Cannot parse decimal: no digits in "${text}"`);
  const kept = frac === -1 ? 0 : frac;
  if (kept < decimals) value *= POW10[decimals - kept] as number;
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Cannot parse decimal: "${text}" overflows a safe integer`);
  }
  return negative ? -value : value;
}

/**
 * Formats a scaled integer as decimal text with exactly `textDecimals` decimals.
 *
 * @param value Integer scaled by `10^decimals`.
 * @param decimals Scale of `value`.
 * @param textDecimals Decimals to print (>= `decimals`; padded with zeros). Defaults to `decimals`.
 * @returns Decimal text, e.g. "61602.01000000".
 * @throws {RangeError} When `value` is not a safe integer or `textDecimals < decimals`.
 *
 * @example Format back to the venue's text
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatScaled } from "./fixed_point.ts";
 * assert.equal(formatScaled(6160201, 2, 8), "61602.01000000");
 * ```
 */
export function formatScaled(value: number, decimals: number, textDecimals = decimals): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Cannot format fixed-point value: not a safe integer: ${value}`);
  }
  if (textDecimals < decimals) {
    throw new RangeError(
      `Cannot format fixed-point value with fewer text decimals (${textDecimals}) than scale (${decimals})`,
    );
  }
  const negative = value < 0;
  const digits = String(negative ? -value : value);
  let intPart: string;
  let fracPart: string;
  if (decimals === 0) {
    intPart = digits;
    fracPart = "";
  } else {
    const padded = digits.padStart(decimals + 1, "0");
    intPart = padded.slice(0, padded.length - decimals);
    fracPart = padded.slice(padded.length - decimals);
  }
  fracPart = fracPart.padEnd(textDecimals, "0");
  const body = textDecimals === 0 ? intPart : `${intPart}.${fracPart}`;
  return negative ? `-${body}` : body;
}

/**
 * Converts a scaled integer to a float (for features and display only).
 *
 * @param value Integer scaled by `10^decimals`.
 * @param decimals Scale of `value`.
 * @returns The float value.
 */
export function scaledToNumber(value: number, decimals: number): number {
  return value / (POW10[decimals] ?? 10 ** decimals);
}

/**
 * The fast twin of {@linkcode parseScaled} for decoders that scan text in place: parses
 * `text[start, end)` as an unsigned plain decimal scaled by `10^decimals`, with the same
 * rules and the same arithmetic, but never throws or allocates.
 *
 * @param text Text holding the decimal.
 * @param start Index of its first character.
 * @param end Index after its last character.
 * @param decimals Scale (0..15).
 * @returns The scaled integer (>= 0), or -1 when `parseScaled` would throw or the text has
 *   a sign (the caller then falls back to `parseScaled` for the verdict and its message).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { scanScaled } from "./fixed_point.ts";
 * assert.equal(scanScaled('"61602.01000000"', 1, 15, 2), 6160201);
 * assert.equal(scanScaled("1.005", 0, 5, 2), -1);
 * ```
 */
export function scanScaled(text: string, start: number, end: number, decimals: number): number {
  let value = 0;
  let digits = 0;
  let frac = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) {
      if (frac !== -1) return -1;
      frac = 0;
      continue;
    }
    if (c < ZERO || c > NINE) return -1;
    digits++;
    if (frac === -1) {
      value = value * 10 + (c - ZERO);
    } else if (frac < decimals) {
      value = value * 10 + (c - ZERO);
      frac++;
    } else if (c !== ZERO) {
      return -1;
    }
  }
  if (digits === 0) return -1;
  const kept = frac === -1 ? 0 : frac;
  if (kept < decimals) value *= POW10[decimals - kept] as number;
  return Number.isSafeInteger(value) ? value : -1;
}
