/**
 * Position sizing: turns a model's or strategy's size output (0..1) into an order
 * size in lots, inside the equity cap and the per-symbol and per-venue caps,
 * rounded down to the lot step, or a rejection with a reason.
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Instrument } from "../../market/instrument.ts";
import { type Amount, notionalOf } from "./money.ts";
import { reject, type Rejection, type TradingRules } from "./order.ts";

/** Sizing limits (config `trading.sizing`). */
export interface SizingLimits {
  /** Largest position as a fraction of equity, 0..1 (default 0.25). Size output 1 means this much. */
  readonly maxEquityFraction: number;
  /** Largest position value in one symbol (quote amount); undefined = equity cap only. */
  readonly maxSymbolNotional?: Amount;
  /** Largest total position value on one venue (quote amount); undefined = no venue cap. */
  readonly maxVenueNotional?: Amount;
  /** Per-stream override of `maxEquityFraction`, by "venue:symbol". */
  readonly streamFractions?: Readonly<Record<string, number>>;
  /** Portfolio caps as fractions of equity (config `trading.portfolio`); undefined = none. */
  readonly portfolio?: PortfolioCaps;
}

/** Account-wide caps, fractions of equity. */
export interface PortfolioCaps {
  /** Every position together. */
  readonly maxTotal: number;
  /** One normalized symbol across venues. */
  readonly maxSymbol: number;
  /** Everything held on one venue. */
  readonly maxVenue: number;
  /** One base asset across symbols and venues (correlated by construction). */
  readonly maxAsset: number;
}

/** Exposures the portfolio caps are measured against (quote amounts). */
export interface PortfolioExposure {
  /** The symbol across venues. */
  readonly symbol: Amount;
  /** The base asset across symbols and venues. */
  readonly asset: Amount;
  /** Every position. */
  readonly total: Amount;
}

/** Default limits: 25 % of equity, no extra caps. */
export const DEFAULT_SIZING: SizingLimits = { maxEquityFraction: 0.25 };

/** A sized order: lots and its notional at the reference price. */
export interface Sized {
  /** Always true. */
  readonly ok: true;
  /** Order size, lots, on the lot step. */
  readonly size: Lots;
  /** Notional at the reference price. */
  readonly notional: Amount;
  /** The limit that set the size ("size output" when none reduced it). */
  readonly limitedBy?: string;
}

/** Inputs of {@linkcode sizeEntry}. */
export interface EntryInput {
  /** Instrument. */
  readonly inst: Instrument;
  /** Venue rules (min notional). */
  readonly rules: TradingRules;
  /** Size output in 0..1 (fraction of the equity cap). */
  readonly fraction: number;
  /** Account equity (quote amount). */
  readonly equity: Amount;
  /** Reference price (the touch an entry would pay). */
  readonly price: Ticks;
  /** Current position value in this symbol (quote amount). */
  readonly symbolExposure: Amount;
  /** Current position value on this venue (quote amount). */
  readonly venueExposure: Amount;
  /** Available quote balance (cash minus reservations) including the fee headroom. */
  readonly cash: Amount;
  /** Limits. */
  readonly limits: SizingLimits;
  /** Account exposures for `limits.portfolio` (the caps apply only when both are given). */
  readonly portfolio?: PortfolioExposure;
}

const PPM = 1_000_000n;

/**
 * Sizes an entry (buy): `fraction × maxEquityFraction × equity`, then capped by the
 * headroom left under the equity cap for the symbol, the symbol cap, the venue cap
 * and the available cash, rounded down to the lot step.
 *
 * @returns The size, or a rejection naming the limit ("size_output", "cap", "min_notional", ...).
 *
 * @example 10 % of a 25 % cap on 10,000 USDT at 100 USDT
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "../../market/instrument.ts";
 * import type { Ticks } from "../../market/fixed_point.ts";
 * import { parseAmount } from "./money.ts";
 * import { sizeEntry } from "./sizing.ts";
 * const inst = makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 8, lotSize: 1000 });
 * const r = sizeEntry({ inst, rules: { minNotional: parseAmount("5") }, fraction: 0.4, equity: parseAmount("10000"),
 *   price: 10000 as Ticks, symbolExposure: 0n, venueExposure: 0n, cash: parseAmount("10000"), limits: { maxEquityFraction: 0.25 } });
 * assert.equal(r.ok && r.size, 1_000_000_000); // 1000 USDT / 100 = 10 BTC
 * ```
 */
export function sizeEntry(input: EntryInput): Sized | Rejection {
  const { inst, fraction, limits } = input;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    return reject("size_output", `size output must be a number in 0..1: got ${fraction}`);
  }
  const cap = limits.streamFractions?.[`${inst.venue}:${inst.symbol}`] ?? limits.maxEquityFraction;
  if (!Number.isFinite(cap) || cap < 0 || cap > 1) {
    return reject("config", `maxEquityFraction must be in 0..1: got ${cap}`);
  }
  if (!(input.price > 0)) {
    return reject("no_price", `reference price must be > 0: got ${input.price}`);
  }
  if (input.equity <= 0n) return reject("equity", `equity must be > 0: got ${input.equity}`);
  const capPpm = BigInt(Math.floor(cap * 1e6));
  const capNotional = (input.equity * capPpm) / PPM;
  let target = (capNotional * BigInt(Math.floor(fraction * 1e6))) / PPM;
  let limitName = "size output";
  const bound = (value: Amount, name: string) => {
    if (value < target) {
      target = value < 0n ? 0n : value;
      limitName = name;
    }
  };
  bound(capNotional - input.symbolExposure, `equity cap ${cap} for the symbol`);
  if (limits.maxSymbolNotional !== undefined) {
    bound(limits.maxSymbolNotional - input.symbolExposure, "symbol cap");
  }
  if (limits.maxVenueNotional !== undefined) {
    bound(limits.maxVenueNotional - input.venueExposure, "venue cap");
  }
  const caps = limits.portfolio;
  const held = input.portfolio;
  if (caps !== undefined && held !== undefined) {
    const of = (f: number) => (input.equity * BigInt(Math.floor(f * 1e6))) / PPM;
    bound(of(caps.maxTotal) - held.total, `portfolio cap ${caps.maxTotal} on total exposure`);
    bound(of(caps.maxSymbol) - held.symbol, `portfolio cap ${caps.maxSymbol} on ${inst.symbol}`);
    bound(
      of(caps.maxVenue) - input.venueExposure,
      `portfolio cap ${caps.maxVenue} on ${inst.venue}`,
    );
    bound(of(caps.maxAsset) - held.asset, `portfolio cap ${caps.maxAsset} on ${inst.base}`);
  }
  bound(input.cash, "available cash");
  const perLot = notionalOf(inst, input.price, inst.lotSize);
  const lots = target / perLot;
  const size = Number(lots) * inst.lotSize;
  const notional = notionalOf(inst, input.price, size as Lots);
  if (size <= 0 || notional < input.rules.minNotional) {
    return reject(
      limitName.startsWith("portfolio cap") ? "portfolio_cap" : "min_notional",
      `order of ${notional} (10^-18 ${inst.quote}) after the ${limitName} is below the minimum notional ${input.rules.minNotional}`,
    );
  }
  return { ok: true, size: size as Lots, notional, limitedBy: limitName };
}

/**
 * Sizes an exit (sell): `fraction` of the held size, rounded down to the lot step;
 * a fraction of 1 sells everything.
 *
 * @returns The size, or a rejection ("size_output", "flat", "min_notional").
 */
export function sizeExit(
  input: { inst: Instrument; rules: TradingRules; fraction: number; held: Lots; price: Ticks },
): Sized | Rejection {
  const { inst, fraction } = input;
  if (!Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
    return reject("size_output", `size output must be a number in 0..1: got ${fraction}`);
  }
  if (input.held <= 0) return reject("flat", "no position to sell");
  const raw = fraction === 1 ? input.held : Math.floor(input.held * fraction);
  const size = raw - (raw % inst.lotSize);
  const notional = notionalOf(inst, input.price, size as Lots);
  if (size <= 0 || notional < input.rules.minNotional) {
    return reject(
      "min_notional",
      `exit of ${notional} (10^-18 ${inst.quote}) is below the minimum notional ${input.rules.minNotional}`,
    );
  }
  return { ok: true, size: size as Lots, notional };
}
