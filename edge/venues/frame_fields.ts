/**
 * Hand-written guards for hot exchange frames: each throws a {@linkcode FrameError}
 * naming the venue, the field and what was wrong.
 *
 * @module
 */

import type { LevelUpdate } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import { type Instrument, parsePrice, parseSize } from "../../core/market/instrument.ts";
import { FrameError } from "./frame_error.ts";
import { precisionErrorOf } from "./instrument_widening.ts";

/** A decoded JSON object. */
export type Json = Record<string, unknown>;

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** `JSON.parse` that throws a {@linkcode FrameError} for the venue. */
export function parseJson(text: string, venue: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FrameError(venue, `invalid JSON: ${(e as Error).message}`, { cause: e });
  }
}

/** {@linkcode parseJson} of a frame that must be a JSON object. */
export function parseJsonObject(text: string, venue: string): Json {
  const msg = parseJson(text, venue);
  if (!isObject(msg)) throw new FrameError(venue, "frame is not a JSON object");
  return msg;
}

/** A required string field. */
export function reqString(o: Json, key: string, venue: string): string {
  const v = o[key];
  if (typeof v !== "string") {
    throw new FrameError(venue, `field '${key}' is missing or not a string`);
  }
  return v;
}

/** A required non-negative safe-integer field (a JSON number, or a string of digits). */
export function reqInt(o: Json, key: string, venue: string): number {
  const v = o[key];
  const n = typeof v === "string" && /^\d{1,16}$/.test(v) ? Number(v) : v;
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) {
    throw new FrameError(venue, `field '${key}' is missing or not a non-negative integer`);
  }
  return n;
}

/** A required array field. */
export function reqArray(o: Json, key: string, venue: string): unknown[] {
  const v = o[key];
  if (!Array.isArray(v)) throw new FrameError(venue, `field '${key}' is missing or not an array`);
  return v;
}

/** A required object field. */
export function reqObject(o: Json, key: string, venue: string): Json {
  const v = o[key];
  if (!isObject(v)) throw new FrameError(venue, `field '${key}' is missing or not an object`);
  return v;
}

/** Resolves a venue symbol or throws. */
export function instrumentFor(
  lookup: (s: string) => Instrument | undefined,
  venueSymbol: string,
  venue: string,
): Instrument {
  const inst = lookup(venueSymbol);
  if (!inst) throw new FrameError(venue, `unknown symbol "${venueSymbol}"`);
  return inst;
}

/**
 * A level whose value cannot be held exactly in the instrument's fixed point (finer
 * than its decimals, or beyond 2^53 units), e.g. Kraken's 99,999,997 XMR placeholder ask.
 */
export class LevelRangeError extends FrameError {
  /**
   * @param venue Venue of the frame.
   * @param message What was out of range.
   * @param options Optional cause.
   */
  constructor(venue: string, message: string, options?: ErrorOptions) {
    super(venue, message, options);
    this.name = "LevelRangeError";
  }
}

/** Counts book levels dropped because they were out of the fixed-point range. */
export interface DropCounter {
  /** Levels dropped so far. */
  n: number;
  /**
   * Rethrow a value finer than the instrument instead of dropping its level: a live adapter
   * widens the instrument to it (replays fit their scale up front and drop what never fits).
   */
  readonly widen?: boolean;
}

/**
 * Like {@linkcode levelOf} for book levels, but a level out of the fixed-point range is
 * dropped (counted in `drops`) instead of failing the whole frame; other errors throw.
 */
export function bookLevel(
  inst: Instrument,
  price: unknown,
  size: unknown,
  where: string,
  drops: DropCounter,
): LevelUpdate | undefined {
  try {
    return levelOf(inst, price, size, where);
  } catch (e) {
    // Data finer than the instrument is no reason to drop a level: the adapter widens it.
    if (!(e instanceof LevelRangeError) || (drops.widen && precisionErrorOf(e))) throw e;
    drops.n++;
    return undefined;
  }
}

/**
 * Parses one level's price and size text exactly: price > 0, size >= 0.
 *
 * @throws {LevelRangeError} When a value does not fit the instrument's fixed point.
 * @throws {FrameError} When a value is not a decimal string or out of sign.
 * @param where Field path for messages, e.g. "bids[3]".
 */
export function levelOf(
  inst: Instrument,
  price: unknown,
  size: unknown,
  where: string,
): LevelUpdate {
  if (typeof price !== "string" || typeof size !== "string") {
    throw new FrameError(inst.venue, `'${where}' price and size must be decimal strings`);
  }
  let p: number;
  let s: number;
  try {
    p = parsePrice(inst, plainDecimal(price));
    s = parseSize(inst, plainDecimal(size));
  } catch (e) {
    const Err = e instanceof RangeError ? LevelRangeError : FrameError;
    throw new Err(inst.venue, `'${where}': ${(e as Error).message}`, { cause: e });
  }
  if (p <= 0) throw new FrameError(inst.venue, `'${where}' price must be > 0: "${price}"`);
  if (s < 0) throw new FrameError(inst.venue, `'${where}' size must be >= 0: "${size}"`);
  return [p as Ticks, s as Lots];
}

/**
 * Rewrites exponent notation ("4.8E-7") as plain decimal text ("0.00000048");
 * plain text is returned unchanged.
 */
export function plainDecimal(text: string): string {
  const e = text.search(/[eE]/);
  if (e < 0) return text;
  const exp = Number(text.slice(e + 1));
  let mant = text.slice(0, e);
  if (!Number.isInteger(exp) || Math.abs(exp) > 30) return text; // parseScaled rejects it
  const negative = mant.startsWith("-");
  if (negative || mant.startsWith("+")) mant = mant.slice(1);
  const dot = mant.indexOf(".");
  const digits = mant.replace(".", "");
  let point = (dot < 0 ? mant.length : dot) + exp;
  let body = digits;
  if (point <= 0) {
    body = "0".repeat(1 - point) + body;
    point = 1;
  } else if (point > body.length) {
    body = body + "0".repeat(point - body.length);
  }
  const out = point === body.length ? body : `${body.slice(0, point)}.${body.slice(point)}`;
  return negative ? `-${out}` : out;
}

/**
 * Epoch milliseconds of an RFC 3339 timestamp with any number of fraction digits
 * ("2024-10-08T09:10:36.04370306Z" -> ...036.04370306); sub-ms digits stay in the fraction.
 */
export function rfc3339Ms(text: string, venue: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  const base = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(base)) throw new FrameError(venue, `bad RFC 3339 timestamp "${text}"`);
  const frac = m[2] ?? "";
  return frac === "" ? base : base + Number(`0.${frac}`) * 1000;
}

/**
 * Number of decimals an increment text needs ("0.01000000" -> 2, "1" -> 0, "5e-7" -> 7).
 *
 * @throws {SyntaxError} When the text is not a decimal.
 */
export function incrementDecimals(text: string): number {
  const plain = plainDecimal(text);
  if (!/^\d+(\.\d+)?$/.test(plain)) throw new SyntaxError(`Cannot read increment "${text}"`);
  const dot = plain.indexOf(".");
  if (dot < 0) return 0;
  return plain.slice(dot + 1).replace(/0+$/, "").length;
}
