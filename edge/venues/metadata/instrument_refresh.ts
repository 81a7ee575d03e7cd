/**
 * The daily metadata refresh applied to a running symbol: the venue's new tick, lot or
 * minimum notional become the instrument its book runs on, at a scale never narrower than
 * the running one (a scale widened to the data stays wide).
 *
 * @module
 */

import { type Instrument, makeInstrument } from "../../../core/market/instrument.ts";
import { widenToData } from "../../../core/market/survey_instruments.ts";

/**
 * The instrument `current` should become after a metadata refresh listing `listed`.
 *
 * @returns The new instrument, or undefined when the venue no longer lists the symbol or
 *   nothing changed (same scale, tick, lot and minimum notional).
 *
 * @example A coarser tick published by the venue
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "../../../core/market/instrument.ts";
 * import { refreshedInstrument } from "./instrument_refresh.ts";
 * const cur = makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals: 1, sizeDecimals: 8 });
 * const listed = [makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals: 1, sizeDecimals: 8, tickSize: 5 })];
 * assert.equal(refreshedInstrument(cur, listed)?.tickSize, 5);
 * assert.equal(refreshedInstrument(cur, [cur]), undefined);
 * ```
 */
export function refreshedInstrument(
  current: Instrument,
  listed: readonly Instrument[],
): Instrument | undefined {
  const meta = listed.find((i) => i.venueSymbol === current.venueSymbol);
  if (!meta) return undefined;
  const named = meta.symbol === current.symbol
    ? meta
    : makeInstrument({ ...meta, symbol: current.symbol, venueSymbol: current.venueSymbol });
  const next = widenToData(named, {
    priceDecimals: current.priceDecimals,
    sizeDecimals: current.sizeDecimals,
    priceTextDecimals: current.priceTextDecimals,
    sizeTextDecimals: current.sizeTextDecimals,
    priceIntDigits: 0,
    sizeIntDigits: 0,
  });
  const same = next.priceDecimals === current.priceDecimals &&
    next.sizeDecimals === current.sizeDecimals && next.tickSize === current.tickSize &&
    next.lotSize === current.lotSize && next.minNotional === current.minNotional;
  return same ? undefined : next;
}

/** One line naming what a refresh changed, e.g. "tick 1 -> 5, min notional 10 -> 5". */
export function instrumentChange(before: Instrument, after: Instrument): string {
  const parts: string[] = [];
  const diff = (name: string, a: unknown, b: unknown) => {
    if (a !== b) parts.push(`${name} ${a ?? "none"} -> ${b ?? "none"}`);
  };
  diff("price decimals", before.priceDecimals, after.priceDecimals);
  diff("size decimals", before.sizeDecimals, after.sizeDecimals);
  diff("tick", before.tickSize, after.tickSize);
  diff("lot", before.lotSize, after.lotSize);
  diff("min notional", before.minNotional, after.minNotional);
  return parts.join(", ");
}
