/**
 * Moves a market event from one instrument scale to another, exactly: a consumer that runs
 * on a fixed instrument (the paper trader) keeps its scale when a live adapter widens the
 * symbol's instrument to finer data.
 *
 * @module
 */

import type { LevelUpdate, MarketEvent } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";

/**
 * `e` (scaled by `from`) rescaled to `to`'s price and size decimals.
 *
 * @returns The event at `to`'s scale (`e` itself when the scales match), or undefined when a
 *   value is finer than `to` can hold (never rounded).
 *
 * @example A widened price moved back to the trader's two decimals
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "./instrument.ts";
 * import { rescaleEvent } from "./rescale_event.ts";
 * const to = makeInstrument({ venue: "binance_us", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 8 });
 * const from = makeInstrument({ venue: "binance_us", symbol: "BTC/USDT", priceDecimals: 3, sizeDecimals: 8 });
 * const trade = { kind: "trade", venue: "binance_us", symbol: "BTC/USDT", exchangeTime: 1, receiveTime: 1, tradeId: "1", price: 61737630, size: 5, takerSide: "buy" } as const;
 * assert.equal((rescaleEvent(trade as never, from, to) as { price: number }).price, 6173763);
 * assert.equal(rescaleEvent({ ...trade, price: 61737635 } as never, from, to), undefined);
 * ```
 */
export function rescaleEvent(
  e: MarketEvent,
  from: Instrument,
  to: Instrument,
): MarketEvent | undefined {
  const dp = to.priceDecimals - from.priceDecimals;
  const ds = to.sizeDecimals - from.sizeDecimals;
  if (dp === 0 && ds === 0) return e;
  const move = (v: number, d: number): number | undefined => {
    const out = d >= 0 ? v * 10 ** d : v / 10 ** -d;
    return Number.isSafeInteger(out) ? out : undefined;
  };
  if (e.kind === "trade") {
    const price = move(e.price, dp);
    const size = move(e.size, ds);
    if (price === undefined || size === undefined) return undefined;
    return { ...e, price: price as Ticks, size: size as Lots };
  }
  const side = (levels: readonly LevelUpdate[]): LevelUpdate[] | undefined => {
    const out: LevelUpdate[] = [];
    for (const [p, s] of levels) {
      const price = move(p, dp);
      const size = move(s, ds);
      if (price === undefined || size === undefined) return undefined;
      out.push([price as Ticks, size as Lots]);
    }
    return out;
  };
  const bids = side(e.bids);
  const asks = side(e.asks);
  if (!bids || !asks) return undefined;
  return { ...e, bids, asks };
}
