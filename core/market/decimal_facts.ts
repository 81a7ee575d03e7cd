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

const encoder = new TextEncoder();

/** Notes one number written `<int>[.<frac>]`. */
export function note(f: DecimalFacts, int: string, frac: string | undefined, price: boolean): void {
  const t = encoder.encode(frac === undefined ? int : `${int}.${frac}`);
  noteSpan(f, t, 0, int.length, frac === undefined ? int.length : t.length, price);
}

/**
 * Notes the number `t[i, intEnd)` + (when `fracEnd > intEnd`) `.t[intEnd + 1, fracEnd)`
 * (ASCII bytes): its significant and written decimals and its integer digits (leading
 * zeros ignored).
 */
export function noteSpan(
  f: DecimalFacts,
  t: Uint8Array,
  i: number,
  intEnd: number,
  fracEnd: number,
  price: boolean,
): void {
  const text = fracEnd > intEnd ? fracEnd - intEnd - 1 : 0;
  let sig = text;
  while (sig > 0 && t[intEnd + sig] === 48) sig--;
  let lead = i;
  while (lead < intEnd && t[lead] === 48) lead++;
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
 * finds in the text; multi-byte characters hold no ASCII byte, so the bytes give the same).
 */
export function noteLevels(f: DecimalFacts, frame: string): void {
  const t = encoder.encode(frame);
  for (let i = t.indexOf(91); i >= 0;) {
    const end = t[i + 1] === 34 ? levelAt(f, t, i + 2, t.length) : -1;
    i = t.indexOf(91, end > 0 ? end : i + 1);
  }
}

/** Digits of `t[i, end)`: index after the last one. */
export function digitsEnd(t: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = t[i] as number;
    if (c < 48 || c > 57) break;
    i++;
  }
  return i;
}

/**
 * Matches one level tuple after its `["` (at `i`): `<int>[.<frac>]","<int>[.<frac>]"`;
 * notes it and returns the index after its last quote, else -1.
 */
export function levelAt(f: DecimalFacts, t: Uint8Array, i: number, end: number): number {
  const intEnd = digitsEnd(t, i, end);
  if (intEnd === i) return -1;
  let fracEnd = intEnd;
  if (t[intEnd] === 46) fracEnd = digitsEnd(t, intEnd + 1, end);
  // `","` then the size.
  if (t[fracEnd] !== 34 || t[fracEnd + 1] !== 44 || t[fracEnd + 2] !== 34) return -1;
  const sizeStart = fracEnd + 3;
  const sizeIntEnd = digitsEnd(t, sizeStart, end);
  if (sizeIntEnd === sizeStart) return -1;
  let sizeFracEnd = sizeIntEnd;
  if (t[sizeIntEnd] === 46) sizeFracEnd = digitsEnd(t, sizeIntEnd + 1, end);
  if (sizeFracEnd >= end || t[sizeFracEnd] !== 34) return -1;
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
