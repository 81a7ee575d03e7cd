import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Trade } from "../../market/events.ts";
import type { OrderBook } from "../../market/order_book.ts";
import { MatchingEngine } from "./matching.ts";
import { createOrder, type Fill, type Order, type OrderRequest } from "../orders/order.ts";
import { bookFrom } from "../testing/testing.ts";

interface Harness {
  book: OrderBook;
  engine: MatchingEngine;
  fills: Fill[];
  orders: Order[];
  submit: (req: Partial<OrderRequest>, times?: { now?: number; arrival?: number }) => Order;
}

let nextId = 0;
function harness(
  levels: Parameters<typeof bookFrom>[0],
  opts: { bandBps?: number; makerPpm?: number; takerPpm?: number } = {},
): Harness {
  const book = bookFrom(levels);
  const fills: Fill[] = [];
  const orders: Order[] = [];
  let seq = 0;
  const engine = new MatchingEngine(book, {
    fees: { makerPpm: opts.makerPpm ?? 0, takerPpm: opts.takerPpm ?? 0 },
    maxSlippageBps: opts.bandBps ?? 100,
    nextFillSeq: () => ++seq,
    onFill: (f) => fills.push(f),
    onOrder: (o) => orders.push(o),
  });
  const submit = (req: Partial<OrderRequest>, times: { now?: number; arrival?: number } = {}) => {
    const now = times.now ?? 0;
    const o = createOrder(`o${++nextId}`, {
      venue: "binance",
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      size: 1000 as Lots,
      ...req,
    } as OrderRequest, {
      submitTime: now,
      arrivalTime: times.arrival ?? now,
      decisionMid: book.mid(),
    });
    engine.submit(o, now);
    return o;
  };
  return { book, engine, fills, orders, submit };
}

function trade(price: number, size: number, takerSide: "buy" | "sell", t = 1): Trade {
  return {
    kind: "trade",
    venue: "binance",
    symbol: "BTC/USDT",
    exchangeTime: t,
    receiveTime: t,
    tradeId: String(t),
    price: price as Ticks,
    size: size as Lots,
    takerSide,
  };
}

const BOOK = {
  bids: [[9999, 4000], [9998, 6000]] as [number, number][],
  asks: [[10000, 5000], [10001, 3000], [10005, 10000]] as [number, number][],
};

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
