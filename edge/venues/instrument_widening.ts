/**
 * Live data finer than the venue metadata's tick or lot: the instrument is widened to the
 * scale the data writes (as replays do with `widenToData`), never a reason to drop a frame.
 *
 * @module
 */

import { PrecisionError } from "../../core/market/fixed_point.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { widenToData } from "../../core/market/survey_instruments.ts";

/** The {@linkcode PrecisionError} behind an error (itself or along its `cause` chain). */
export function precisionErrorOf(e: unknown): PrecisionError | undefined {
  for (let cur = e, depth = 0; cur instanceof Error && depth < 8; depth++) {
    if (cur instanceof PrecisionError) return cur;
    cur = cur.cause;
  }
  return undefined;
}

/**
 * `inst` widened so that the text `err` failed on parses: the price scale when it was parsed
 * at the price decimals, the size scale when at the size decimals (both when they are equal).
 *
 * @returns The widened instrument, or `inst` itself when it cannot widen (15 digits reached).
 *
 * @example A size finer than the lot
 * ```ts
 * import assert from "node:assert/strict";
 * import { PrecisionError } from "../../core/market/fixed_point.ts";
 * import { makeInstrument } from "../../core/market/instrument.ts";
 * import { widenForPrecision } from "./instrument_widening.ts";
 * const inst = makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals: 1, sizeDecimals: 4 });
 * const wide = widenForPrecision(inst, new PrecisionError("0.00012345", 4));
 * assert.equal(wide.sizeDecimals, 8);
 * assert.equal(wide.priceDecimals, 1);
 * ```
 */
export function widenForPrecision(inst: Instrument, err: PrecisionError): Instrument {
  const price = err.decimals === inst.priceDecimals;
  const size = err.decimals === inst.sizeDecimals;
  if (!price && !size) return inst;
  return widenToData(inst, {
    priceDecimals: price ? err.needed : 0,
    sizeDecimals: size ? err.needed : 0,
    priceTextDecimals: price ? err.needed : 0,
    sizeTextDecimals: size ? err.needed : 0,
    priceIntDigits: price ? err.intDigits : 0,
    sizeIntDigits: size ? err.intDigits : 0,
  });
}

/**
 * The instrument a failed parse of `inst`'s data calls for, with a line saying why.
 *
 * @returns Undefined when `e` is no precision error or the scale cannot widen further.
 */
export function widenedFor(
  inst: Instrument,
  e: unknown,
): { inst: Instrument; why: string } | undefined {
  const err = precisionErrorOf(e);
  if (!err) return undefined;
  const wide = widenForPrecision(inst, err);
  if (wide === inst) return undefined;
  const why = `${inst.symbol}: "${err.text}" is finer than ${err.decimals} decimals; ` +
    `scale widened to ${wide.priceDecimals} price / ${wide.sizeDecimals} size decimals`;
  return { inst: wide, why };
}
