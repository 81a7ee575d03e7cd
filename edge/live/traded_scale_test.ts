import assert from "node:assert/strict";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { widenToData } from "../../core/market/survey_instruments.ts";
import { TradedScaleGuard } from "./traded_scale.ts";

const inst = defaultInstrument("binance_us", "BTC/USDT")!;
const wide = widenToData(inst, {
  priceDecimals: 3,
  sizeDecimals: 0,
  priceTextDecimals: 3,
  sizeTextDecimals: 0,
  priceIntDigits: 5,
  sizeIntDigits: 0,
});
const delta = (price: number): MarketEvent =>
  ({
    kind: "delta",
    venue: "binance_us",
    symbol: "BTC/USDT",
    exchangeTime: 1,
    receiveTime: 1,
    firstSequence: 1,
    lastSequence: 1,
    bids: [[price, 100_000_000]],
    asks: [],
  }) as unknown as MarketEvent;

Deno.test("TradedScaleGuard keeps the trader on its pinned scale after the adapter widens", () => {
  const logs: string[] = [];
  const guard = new TradedScaleGuard(
    { venue: "binance_us", symbol: "BTC/USDT" },
    (l) => logs.push(l),
  );
  assert.equal(guard.pin(inst), inst);
  const same = delta(6173763);
  assert.equal(guard.forTrader(same, inst), same);
  // The adapter widened to 3 price decimals: an exact value moves back to 2 decimals.
  const moved = guard.forTrader(delta(61737630), wide) as MarketEvent & { bids: number[][] };
  assert.deepEqual(moved.bids, [[6173763, 100_000_000]]);
  // A finer value is withheld (never rounded), said once, counted.
  assert.equal(guard.forTrader(delta(61737635), wide), undefined);
  assert.equal(guard.forTrader(delta(61737631), wide), undefined);
  assert.equal(guard.withheld, 2);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /finer than the paper trader's scale \(2 price/);
  // Other streams pass unchanged.
  const eth = { ...delta(1), symbol: "ETH/USDT" } as MarketEvent;
  assert.equal(guard.forTrader(eth, wide), eth);
});
