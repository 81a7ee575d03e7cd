import assert from "node:assert/strict";
import type { Lots, Ticks } from "./fixed_point.ts";
import { OhlcvBuilder } from "./ohlcv.ts";

const p = (n: number) => n as Ticks;
const q = (n: number) => n as Lots;

Deno.test("OhlcvBuilder builds minute bars, closes them at the boundary and fills quiet minutes", () => {
  const b = new OhlcvBuilder();
  assert.deepEqual(b.onTrade(60_500, p(100), q(2), "buy"), []);
  b.onTrade(70_000, p(104), q(1), "sell");
  b.onTrade(119_999, p(98), q(3), "buy");
  assert.deepEqual(b.advanceTo(119_999.9), [], "the bar is open until its end");
  const closed = b.onTrade(120_000, p(99), q(1), "sell"); // belongs to the next bar
  assert.deepEqual(closed, [{
    openTime: 60_000,
    open: 100,
    high: 104,
    low: 98,
    close: 98,
    volume: 6,
    buyVolume: 5,
    trades: 3,
  }]);
  const later = b.advanceTo(240_000);
  assert.deepEqual(
    later.map((x) => [x.openTime, x.open, x.high, x.low, x.close, x.volume, x.trades]),
    [
      [120_000, 99, 99, 99, 99, 1, 1],
      [180_000, 99, 99, 99, 99, 0, 0],
    ],
  );
  assert.equal(b.currentOpenTime, 240_000);
});

Deno.test("OhlcvBuilder gives no bar before the first trade and rejects a bad length", () => {
  assert.deepEqual(new OhlcvBuilder().advanceTo(10_000_000), []);
  assert.throws(() => new OhlcvBuilder(0), RangeError);
});
