/**
 * Exact money arithmetic for the ledger.
 *
 * Every balance, notional, fee and P&L figure is an {@linkcode Amount}: a bigint
 * count of 10^-18 of its asset. Prices (ticks) and sizes (lots) of any instrument
 * with priceDecimals + sizeDecimals <= 18 convert into it exactly, so quote and
 * base balances of different instruments add up without rounding. Fees are the
 * only rounding step and always round against the account (up).
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Instrument } from "../../market/instrument.ts";

/** An exact amount of one asset in units of 10^-18 (a bigint). */
export type Amount = bigint;

/** Decimals of an {@linkcode Amount}. */
export const AMOUNT_DECIMALS = 18;

const ONE = 10n ** 18n;
const POW10: readonly bigint[] = Array.from({ length: 19 }, (_, i) => 10n ** BigInt(i));

/** Fee or rate expressed in parts per million of notional (1,000 = 0.1 % = 10 bps; negative = rebate). */
export type Ppm = number;

/**
 * Quote amount of `size` at `price` on `inst`, exactly.
 *
 * @throws {RangeError} When the instrument's decimals add up to more than 18.
 *
 * @example 0.5 BTC at 61602.01 USDT
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "../../market/instrument.ts";
 * import type { Lots, Ticks } from "../../market/fixed_point.ts";
 * import { amountToNumber, notionalOf } from "./money.ts";
 * const inst = makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 8 });
 * assert.equal(amountToNumber(notionalOf(inst, 6160201 as Ticks, 50_000_000 as Lots)), 30801.005);
 * ```
 */
export function notionalOf(inst: Instrument, price: Ticks, size: Lots): Amount {
  return BigInt(price) * BigInt(size) * scaleUp(inst.priceDecimals + inst.sizeDecimals);
}

/** Converts an exact walk notional (units of 10^-(priceDecimals+sizeDecimals)) into an {@linkcode Amount}. */
export function scaledNotional(inst: Instrument, notional: bigint): Amount {
  return notional * scaleUp(inst.priceDecimals + inst.sizeDecimals);
}

/** Base-asset amount of `size` lots of `inst`. */
export function baseAmountOf(inst: Instrument, size: Lots): Amount {
  return BigInt(size) * scaleUp(inst.sizeDecimals);
}

/** Quote amount of one price tick unit times `price` (a price as a quote amount per whole base unit). */
export function priceAmountOf(inst: Instrument, price: Ticks): Amount {
  return BigInt(price) * scaleUp(inst.priceDecimals);
}

/**
 * Fee on `notional` at `ppm` parts per million, rounded up (toward the venue).
 * A negative rate (rebate) rounds toward zero, so rebates never exceed the exact value.
 */
export function feeOf(notional: Amount, ppm: Ppm): Amount {
  if (!Number.isInteger(ppm)) {
    throw new RangeError(`Cannot compute fee as rate must be integer ppm: current value is ${ppm}`);
  }
  const num = notional * BigInt(ppm);
  return ceilDiv(num, 1_000_000n);
}

/** Integer division rounding toward +infinity (for any signs of `a`, `b > 0`). */
export function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/** Integer division rounding toward -infinity (for any sign of `a`, `b > 0`). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b < 0n ? q - 1n : q;
}

/** Amount as a float (metrics and display only). */
export function amountToNumber(a: Amount): number {
  const whole = a / ONE;
  const frac = a % ONE;
  return Number(whole) + Number(frac) / 1e18;
}

/**
 * Parses a decimal text such as "10000" or "0.25" into an {@linkcode Amount}.
 *
 * @throws {SyntaxError} When the text is not a plain decimal.
 * @throws {RangeError} When it has more than 18 decimals.
 */
export function parseAmount(text: string): Amount {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new SyntaxError(`Cannot parse amount: not a decimal number: "${text}"`);
  const frac = m[3] ?? "";
  if (frac.length > AMOUNT_DECIMALS) {
    throw new RangeError(`Cannot parse amount: more than 18 decimals: "${text}"`);
  }
  const v = BigInt(m[2] as string) * ONE + BigInt(frac.padEnd(AMOUNT_DECIMALS, "0") || "0");
  return m[1] === "-" ? -v : v;
}

/** Formats an {@linkcode Amount} as decimal text with `decimals` decimals (truncated). */
export function formatAmount(a: Amount, decimals = 8): string {
  const neg = a < 0n;
  const abs = neg ? -a : a;
  const whole = abs / ONE;
  const frac = (abs % ONE).toString().padStart(AMOUNT_DECIMALS, "0").slice(0, decimals);
  return `${neg ? "-" : ""}${whole}${decimals > 0 ? "." + frac : ""}`;
}

function scaleUp(decimals: number): bigint {
  const p = POW10[AMOUNT_DECIMALS - decimals];
  if (p === undefined) {
    throw new RangeError(`Cannot scale to an amount: ${decimals} decimals exceed 18`);
  }
  return p;
}
