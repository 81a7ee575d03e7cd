import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { BOOK, harness, trade } from "../testing/matching_harness.ts";
import { bookFrom } from "../testing/testing.ts";
import { createOrder, type Fill } from "../orders/order.ts";
import { MatchingEngine } from "./matching.ts";

Deno.test("queue ahead is reduced by trades at the price; only the excess fills", () => {
  const h = harness(BOOK);
  const o = h.submit({ type: "limit", price: 9999 as Ticks, size: 3000 as Lots });
  assert.equal(o.queueAhead, 4000);
  h.engine.onTrade(trade(9999, 3000, "sell"));
  assert.equal(o.queueAhead, 1000);
  assert.equal(h.fills.length, 0);
  h.engine.onTrade(trade(9999, 2000, "buy")); // wrong aggressor: a buyer lifts asks
  assert.equal(o.queueAhead, 1000);
  h.engine.onTrade(trade(9999, 2000, "sell"));
  assert.deepEqual(h.fills.map((f) => [f.price, f.size, f.liquidity]), [[9999, 1000, "maker"]]);
  assert.equal(o.queueAhead, 0);
  h.engine.onTrade(trade(9999, 5000, "sell"));
  assert.equal(o.status, "filled");
  assert.equal(h.fills[1]?.size, 2000);
});

Deno.test("level decreases cap the queue (cancels assumed behind); a delete puts us first", () => {
  const h = harness(BOOK);
  const o = h.submit({ type: "limit", price: 9998 as Ticks, size: 1000 as Lots });
  assert.equal(o.queueAhead, 6000);
  h.engine.onDelta({ bids: [[9998 as Ticks, 7000 as Lots]], asks: [] });
  assert.equal(o.queueAhead, 6000, "growth adds behind us");
  h.engine.onDelta({ bids: [[9998 as Ticks, 2500 as Lots]], asks: [] });
  assert.equal(o.queueAhead, 2500);
  h.engine.onDelta({ bids: [[9998 as Ticks, 0 as Lots]], asks: [] });
  assert.equal(o.queueAhead, 0);
  h.engine.onTrade(trade(9998, 400, "sell"));
  assert.equal(h.fills.length, 0, "fills are rounded down to the lot step (1000)");
  h.engine.onTrade(trade(9998, 1400, "sell"));
  assert.equal(h.fills[0]?.size, 1000);
});

Deno.test("a trade through the price fills up to the trade size", () => {
  const h = harness(BOOK);
  const o = h.submit({ side: "sell", type: "limit", price: 10003 as Ticks, size: 5000 as Lots });
  h.engine.onTrade(trade(10004, 2000, "buy"));
  assert.equal(o.filled, 2000);
  assert.equal(o.status, "open");
});

Deno.test("own orders at one price queue behind each other and share a trade", () => {
  const h = harness(BOOK);
  const a = h.submit({ type: "limit", price: 9999 as Ticks, size: 2000 as Lots });
  const b = h.submit({ type: "limit", price: 9999 as Ticks, size: 2000 as Lots });
  assert.equal(b.queueAhead, 6000);
  h.engine.onTrade(trade(9999, 7000, "sell"));
  assert.equal(a.filled, 2000);
  assert.equal(b.filled, 1000);
});

Deno.test("latency: the order fills against the book at its arrival time", () => {
  const h = harness(BOOK);
  const o = h.submit({ size: 1000 as Lots }, { now: 0, arrival: 50 });
  assert.equal(o.status, "in_flight");
  assert.equal(h.engine.nextDue(), 50);
  h.engine.advance(40);
  assert.equal(h.fills.length, 0);
  h.book.set("ask", 10000 as Ticks, 0 as Lots); // the touch moves away before arrival
  h.engine.advance(50);
  assert.equal(h.fills[0]?.price, 10001);
  assert.equal(h.fills[0]?.time, 50);
});

Deno.test("latency: a cancel in flight lets the resting order fill first", () => {
  const h = harness(BOOK);
  const o = h.submit({ type: "limit", price: 9999 as Ticks, size: 1000 as Lots });
  h.engine.cancel(o, 30, 10);
  h.engine.onTrade(trade(9999, 5000, "sell", 20));
  h.engine.advance(30);
  assert.equal(o.status, "filled");
  const p = h.submit({ type: "limit", price: 9999 as Ticks, size: 1000 as Lots }, {
    now: 40,
    arrival: 60,
  });
  h.engine.cancel(p, 50, 40);
  h.engine.advance(100);
  assert.equal(p.status, "cancelled");
  assert.match(p.reason ?? "", /before reaching/);
});

Deno.test("a halted book rejects arrivals and cancels resting orders", () => {
  const h = harness(BOOK);
  const r = h.submit({ type: "limit", price: 9990 as Ticks });
  h.engine.halt("sequence gap");
  assert.equal(r.status, "cancelled");
  const o = h.submit({ size: 1000 as Lots });
  assert.equal(o.status, "rejected");
  assert.match(o.reason ?? "", /halted: sequence gap/);
  h.engine.onTrade(trade(9990, 9000, "sell"));
  assert.equal(h.fills.length, 0);
  h.engine.resume();
  h.submit({ size: 1000 as Lots });
  assert.equal(h.fills.length, 1);
});

Deno.test("taker fills skip level sizes finer than the lot step", () => {
  const h = harness({ bids: [], asks: [[10000, 1500], [10001, 800], [10002, 5000]] });
  h.submit({ size: 3000 as Lots });
  assert.deepEqual(h.fills.map((f) => [f.price, f.size]), [[10000, 1000], [10002, 2000]]);
});

Deno.test("market order on an empty side is cancelled with a reason", () => {
  const h = harness({ bids: [[9999, 1000]], asks: [] });
  const o = h.submit({ size: 1000 as Lots });
  assert.equal(o.status, "cancelled");
  assert.match(o.reason ?? "", /no ask liquidity/);
});

Deno.test("power-prob queue model credits cancellations ahead in proportion to position", () => {
  const mk = () => {
    const book = bookFrom(BOOK);
    const fills: Fill[] = [];
    const engine = new MatchingEngine(book, {
      fees: { makerPpm: 0, takerPpm: 0 },
      maxSlippageBps: 100,
      nextFillSeq: () => fills.length + 1,
      onFill: (f) => fills.push(f),
      onOrder: () => {},
      queueModel: { kind: "power_prob", n: 2 },
    });
    const o = createOrder("q1", {
      venue: "binance",
      symbol: "BTC/USDT",
      side: "buy",
      type: "limit",
      price: 9998 as Ticks,
      size: 1000 as Lots,
    }, { submitTime: 0, arrivalTime: 0, decisionMid: 10000 });
    engine.submit(o, 0);
    return { engine, o };
  };
  const { engine, o } = mk();
  assert.equal(o.queueAhead, 6000);
  engine.onDelta({ bids: [[9998 as Ticks, 8000 as Lots]], asks: [] }); // 2000 join behind us
  assert.equal(o.queueAhead, 6000);
  // 2000 cancelled with front 6000, back 2000: p = 1 - (6/8)^2 = 0.4375, so front loses 1125.
  engine.onDelta({ bids: [[9998 as Ticks, 6000 as Lots]], asks: [] });
  assert.equal(o.queueAhead, 6000 - (1 - 0.4375) * 2000);
  // Trades are not counted twice: a 1000 trade then the level drops by exactly that much.
  engine.onTrade(trade(9998, 1000, "sell"));
  const before = o.queueAhead;
  engine.onDelta({ bids: [[9998 as Ticks, 5000 as Lots]], asks: [] });
  assert.equal(o.queueAhead, before);
});
