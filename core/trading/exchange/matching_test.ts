import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Fill } from "../orders/order.ts";
import { BOOK, harness, trade } from "../testing/matching_harness.ts";

Deno.test("market buy walks the book with partial fills per level", () => {
  const h = harness(BOOK, { bandBps: 100 });
  const o = h.submit({ size: 10000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size, f.liquidity]), [
    [10000, 5000, "taker"],
    [10001, 3000, "taker"],
    [10005, 2000, "taker"],
  ]);
  assert.equal(o.status, "filled");
  assert.equal(h.book.sizeAt("ask", 10000 as Ticks), 5000, "the recorded book is never modified");
});

Deno.test("market order stops at the protection band and cancels the rest", () => {
  const h = harness(BOOK, { bandBps: 1 }); // 10000 * 1.0001 = 10001
  const o = h.submit({ size: 10000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size]), [[10000, 5000], [10001, 3000]]);
  assert.equal(o.status, "cancelled");
  assert.match(o.reason ?? "", /protection band/);
  assert.equal(o.filled, 8000);
});

Deno.test("market sell walks bids down", () => {
  const h = harness(BOOK);
  h.submit({ side: "sell", size: 5000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size]), [[9999, 4000], [9998, 1000]]);
});

Deno.test("taker and maker fees are charged exactly on notional", () => {
  const h = harness(BOOK, { takerPpm: 1000, makerPpm: -100 });
  h.submit({ size: 5000 as Lots }); // 100.00 * 0.00005 = 0.005 USDT, fee 0.1 % = 0.000005
  const f = h.fills[0] as Fill;
  assert.equal(f.notional, 5_000_000_000_000_000n); // 0.005 in 10^-18
  assert.equal(f.fee, 5_000_000_000_000n); // 0.000005
  const r = h.submit({ type: "limit", price: 9990 as Ticks, size: 2000 as Lots });
  h.engine.onTrade(trade(9980, 2000, "sell")); // trade through the price
  const m = h.fills[1] as Fill;
  assert.equal(m.liquidity, "maker");
  assert.equal(m.price, 9990);
  assert.equal(m.notional, 1_998_000_000_000_000n); // 99.90 * 0.00002
  assert.equal(m.fee, -199_800_000_000n); // rebate of 0.01 %
  assert.equal(r.status, "filled");
});

Deno.test("consumed liquidity is not reused until the venue changes the level", () => {
  const h = harness(BOOK);
  h.submit({ size: 4000 as Lots });
  h.submit({ size: 2000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size]), [[10000, 4000], [10000, 1000], [
    10001,
    1000,
  ]]);
  h.book.set("ask", 10000 as Ticks, 5000 as Lots);
  h.engine.onDelta({ bids: [], asks: [[10000 as Ticks, 5000 as Lots]] });
  h.submit({ size: 1000 as Lots });
  assert.deepEqual(h.fills[3] && [h.fills[3].price, h.fills[3].size], [10000, 1000]);
});

Deno.test("a changed displayed size invalidates the consumption record", () => {
  const h = harness(BOOK);
  h.submit({ size: 5000 as Lots });
  h.book.set("ask", 10000 as Ticks, 7000 as Lots); // venue refilled the level
  h.submit({ size: 1000 as Lots });
  assert.deepEqual(h.fills.map((f) => f.price), [10000, 10000]);
});

Deno.test("GTC limit takes what crosses and rests the remainder", () => {
  const h = harness(BOOK);
  const o = h.submit({ type: "limit", price: 10001 as Ticks, size: 9000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size]), [[10000, 5000], [10001, 3000]]);
  assert.equal(o.status, "open");
  assert.equal(h.engine.resting().length, 1);
  assert.equal(o.queueAhead, 0);
});

Deno.test("IOC limit cancels the remainder", () => {
  const h = harness(BOOK);
  const o = h.submit({ type: "limit", tif: "IOC", price: 10000 as Ticks, size: 6000 as Lots });
  assert.equal(o.filled, 5000);
  assert.equal(o.status, "cancelled");
  assert.equal(h.engine.resting().length, 0);
});

Deno.test("post-only rejects when it would take and rests otherwise", () => {
  const h = harness(BOOK);
  const a = h.submit({ type: "limit", tif: "POST_ONLY", price: 10000 as Ticks });
  assert.equal(a.status, "rejected");
  assert.match(a.reason ?? "", /post-only/);
  const b = h.submit({ type: "limit", tif: "POST_ONLY", price: 9999 as Ticks });
  assert.equal(b.status, "open");
  assert.equal(b.queueAhead, 4000);
  assert.equal(h.fills.length, 0);
});
