/**
 * Precision facts of decimal text (how many decimals and integer digits a recording's
 * prices and sizes are written with), gathered by the Binance survey.
 *
 * @module
 */

/** Precision facts of one symbol's (or one snapshot's) decimal text. */
export interface DecimalFacts {
  /** Most significant price decimals written (trailing zeros ignored). */
  priceDecimals: number;
  /** Most significant size decimals written. */
  sizeDecimals: number;
  /** Most decimals written in price text (trailing zeros included). */
  priceTextDecimals: number;
  /** Most decimals written in size text. */
  sizeTextDecimals: number;
  /** Most integer digits of a price. */
  priceIntDigits: number;
  /** Most integer digits of a size. */
  sizeIntDigits: number;
}

/** Facts of no text yet. */
export function emptyFacts(): DecimalFacts {
  return {
    priceDecimals: 0,
    sizeDecimals: 0,
    priceTextDecimals: 0,
    sizeTextDecimals: 0,
    priceIntDigits: 0,
    sizeIntDigits: 0,
  };
}

/** Notes one number written `<int>[.<frac>]`. */
export function note(f: DecimalFacts, int: string, frac: string | undefined, price: boolean): void {
  const t = frac === undefined ? int : `${int}.${frac}`;
  noteSpan(f, t, 0, int.length, frac === undefined ? int.length : t.length, price);
}

/**
 * Notes the number `t[i, intEnd)` + (when `fracEnd > intEnd`) `.t[intEnd + 1, fracEnd)`:
 * its significant and written decimals and its integer digits (leading zeros ignored).
 */
function noteSpan(
  f: DecimalFacts,
  t: string,
  i: number,
  intEnd: number,
  fracEnd: number,
  price: boolean,
): void {
  const text = fracEnd > intEnd ? fracEnd - intEnd - 1 : 0;
  let sig = text;
  while (sig > 0 && t.charCodeAt(intEnd + sig) === 48) sig--;
  let lead = i;
  while (lead < intEnd && t.charCodeAt(lead) === 48) lead++;
  const digits = intEnd - lead;
  if (price) {
    if (sig > f.priceDecimals) f.priceDecimals = sig;
    if (text > f.priceTextDecimals) f.priceTextDecimals = text;
    if (digits > f.priceIntDigits) f.priceIntDigits = digits;
  } else {
    if (sig > f.sizeDecimals) f.sizeDecimals = sig;
    if (text > f.sizeTextDecimals) f.sizeTextDecimals = text;
    if (digits > f.sizeIntDigits) f.sizeIntDigits = digits;
  }
}

/**
 * Notes every level tuple of a frame: each match of `["<int>[.<frac>]","<int>[.<frac>]"`,
 * left to right (the matches the regular expression `/\["(\d+)(?:\.(\d*))?","(\d+)(?:\.(\d*))?"/g`
 * finds, read without it: this is the survey's hot loop).
 */
export function noteLevels(f: DecimalFacts, frame: string): void {
  for (let i = frame.indexOf('["'); i >= 0;) {
    const end = levelAt(f, frame, i + 2);
    i = frame.indexOf('["', end > 0 ? end : i + 1);
  }
}

/** Digits of `t` from `i`: index after the last one. */
function digitsEnd(t: string, i: number): number {
  while (i < t.length) {
    const c = t.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/** Matches one level tuple after its `["` (at `i`); notes it and returns its end, else -1. */
function levelAt(f: DecimalFacts, t: string, i: number): number {
  const intEnd = digitsEnd(t, i);
  if (intEnd === i) return -1;
  let fracEnd = intEnd;
  if (t.charCodeAt(intEnd) === 46) fracEnd = digitsEnd(t, intEnd + 1);
  // `","` then the size.
  if (t.charCodeAt(fracEnd) !== 34 || t.charCodeAt(fracEnd + 1) !== 44) return -1;
  if (t.charCodeAt(fracEnd + 2) !== 34) return -1;
  const sizeStart = fracEnd + 3;
  const sizeIntEnd = digitsEnd(t, sizeStart);
  if (sizeIntEnd === sizeStart) return -1;
  let sizeFracEnd = sizeIntEnd;
  if (t.charCodeAt(sizeIntEnd) === 46) sizeFracEnd = digitsEnd(t, sizeIntEnd + 1);
  if (t.charCodeAt(sizeFracEnd) !== 34) return -1;
  noteSpan(f, t, i, intEnd, fracEnd, true);
  noteSpan(f, t, sizeStart, sizeIntEnd, sizeFracEnd, false);
  return sizeFracEnd + 1;
}

/** Merges `b` into `a` (maximum of each fact). */
export function mergeFacts(a: DecimalFacts, b: DecimalFacts): void {
  a.priceDecimals = Math.max(a.priceDecimals, b.priceDecimals);
  a.sizeDecimals = Math.max(a.sizeDecimals, b.sizeDecimals);
  a.priceTextDecimals = Math.max(a.priceTextDecimals, b.priceTextDecimals);
  a.sizeTextDecimals = Math.max(a.sizeTextDecimals, b.sizeTextDecimals);
  a.priceIntDigits = Math.max(a.priceIntDigits, b.priceIntDigits);
  a.sizeIntDigits = Math.max(a.sizeIntDigits, b.sizeIntDigits);
}
