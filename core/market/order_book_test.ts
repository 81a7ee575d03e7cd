import assert from "node:assert/strict";
import type { Lots, Ticks } from "./fixed_point.ts";
import { makeInstrument } from "./instrument.ts";
import { OrderBook } from "./order_book.ts";
import type { LevelUpdate, Side } from "./events.ts";
import { randomInt, seededRandom } from "../random.ts";

const inst = makeInstrument({
  venue: "binance",
  symbol: "BTC/USDT",
  priceDecimals: 2,
  sizeDecimals: 8,
});
const t = (n: number) => n as Ticks;
const l = (n: number) => n as Lots;

/** The simplest possible book: a Map per side, sorted on read. */
class ReferenceBook {
  sides: Record<Side, Map<number, number>> = { bid: new Map(), ask: new Map() };
  set(side: Side, price: number, size: number) {
    if (size === 0) this.sides[side].delete(price);
    else this.sides[side].set(price, size);
  }
  top(side: Side): LevelUpdate[] {
    const levels = [...this.sides[side].entries()].sort((a, b) =>
      side === "bid" ? b[0] - a[0] : a[0] - b[0]
    );
    return levels.map(([p, s]) => [t(p), l(s)]);
  }
}

Deno.test("OrderBook matches a reference model on random deltas", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const rand = seededRandom(seed);
    const book = new OrderBook(inst);
    const ref = new ReferenceBook();
    for (let i = 0; i < 20_000; i++) {
      const side: Side = rand() < 0.5 ? "bid" : "ask";
      // Bids live below 10,000 and asks above, with overlap now and then to exercise crossing.
      const price = side === "bid"
        ? randomInt(rand, 9_000, 10_050)
        : randomInt(rand, 9_950, 11_000);
      const size = rand() < 0.35 ? 0 : randomInt(rand, 1, 1_000_000);
      book.set(side, t(price), l(size));
      ref.set(side, price, size);
      if (i % 997 === 0) {
        assert.deepEqual(book.top("bid"), ref.top("bid"));
        assert.deepEqual(book.top("ask"), ref.top("ask"));
      }
    }
    for (const side of ["bid", "ask"] as const) {
      const expected = ref.top(side);
      assert.deepEqual(book.top(side), expected);
      assert.equal(book.levelCount(side), expected.length);
      assert.deepEqual(book.top(side, 5), expected.slice(0, 5));
      for (const [p, s] of expected.slice(0, 50)) assert.equal(book.sizeAt(side, p), s);
    }
    const bb = ref.top("bid")[0]?.[0];
    const ba = ref.top("ask")[0]?.[0];
    assert.equal(book.bestBidPrice(), bb);
    assert.equal(book.bestAskPrice(), ba);
    assert.equal(book.isCrossed(), bb !== undefined && ba !== undefined && bb >= ba);
  }
});

Deno.test("OrderBook deletes on zero size and ignores deleting an absent level", () => {
  const book = new OrderBook(inst);
  book.set("bid", t(100), l(5));
  book.set("bid", t(99), l(0));
  assert.equal(book.levelCount("bid"), 1);
  book.set("bid", t(100), l(0));
  assert.equal(book.levelCount("bid"), 0);
  assert.equal(book.bestBidPrice(), undefined);
  assert.equal(book.best("bid"), undefined);
});

Deno.test("OrderBook.set() rejects negative, fractional and NaN sizes", () => {
  const book = new OrderBook(inst);
  assert.throws(() => book.set("ask", t(100), l(-1)), /size must be an integer >= 0/);
  assert.throws(() => book.set("ask", t(100), l(0.5)), RangeError);
  assert.throws(() => book.set("ask", t(100), l(NaN)), RangeError);
  assert.throws(() => book.set("ask", t(1.5), l(1)), RangeError);
  assert.equal(book.levelCount("ask"), 0);
});

function smallBook(): OrderBook {
  const book = new OrderBook(inst);
  book.applySnapshot({
    bids: [[t(9_990), l(300)], [t(10_000), l(100)], [t(9_900), l(1_000)]],
    asks: [[t(10_010), l(50)], [t(10_020), l(200)], [t(10_100), l(5_000)]],
  });
  return book;
}

Deno.test("OrderBook.walk() fills level by level with an exact notional", () => {
  const book = smallBook();
  const buy = book.walk("buy", l(120));
  assert.deepEqual(buy.fills, [[10_010, 50], [10_020, 70]]);
  assert.equal(buy.filled, 120);
  assert.equal(buy.complete, true);
  assert.equal(buy.notional, 10_010n * 50n + 10_020n * 70n);
  assert.equal(buy.worstPrice, 10_020);
  const limited = book.walk("sell", l(10_000), t(9_990));
  assert.deepEqual(limited.fills, [[10_000, 100], [9_990, 300]]);
  assert.equal(limited.complete, false);
  assert.equal(limited.filled, 400);
  const empty = new OrderBook(inst).walk("buy", l(1));
  assert.equal(empty.filled, 0);
  assert.equal(empty.worstPrice, undefined);
  // Walking never changes the book.
  assert.deepEqual(book.top("ask"), [[10_010, 50], [10_020, 200], [10_100, 5_000]]);
});

Deno.test("OrderBook depth within bps, mid, levels and crossing", () => {
  const book = smallBook();
  assert.equal(book.mid(), 10_005);
  // 10 bps of 10,005 is 10.005 ticks: bids >= 9,994.995 and asks <= 10,015.005.
  assert.equal(book.depthWithinBps("bid", 10), 100);
  assert.equal(book.depthWithinBps("ask", 10), 50);
  assert.equal(book.depthWithinBps("bid", 100), 400);
  assert.equal(book.depthWithinBps("bid", 200), 1_400);
  assert.deepEqual(book.levelAt("ask", 1), { price: 10_020, size: 200 });
  assert.equal(book.levelAt("ask", 3), undefined);
  assert.equal(book.isCrossed(), false);
  book.set("bid", t(10_010), l(1));
  assert.equal(book.isCrossed(), true);
  assert.equal(new OrderBook(inst).depthWithinBps("bid", 10), 0);
});

Deno.test("OrderBook.verifyChecksum() runs the venue routine", () => {
  const book = smallBook();
  const sumTop = (b: OrderBook) => b.top("bid", 2).reduce((a, [p, s]) => a + p + s, 0);
  assert.equal(book.verifyChecksum(10_000 + 100 + 9_990 + 300, sumTop), true);
  assert.equal(book.verifyChecksum(1, sumTop), false);
});
