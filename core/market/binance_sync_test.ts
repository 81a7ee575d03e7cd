import assert from "node:assert/strict";
import { BinanceBookSync } from "./binance_sync.ts";
import type { BookDelta, BookSnapshot, LevelUpdate } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import { makeInstrument } from "./instrument.ts";
import { OrderBook } from "./order_book.ts";

const inst = makeInstrument({
  venue: "binance",
  symbol: "BTC/USDT",
  priceDecimals: 2,
  sizeDecimals: 8,
});
const head = { venue: "binance", symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 } as const;
const lv = (p: number, s: number): LevelUpdate => [p as Ticks, s as Lots];

function delta(
  U: number,
  u: number,
  bids: LevelUpdate[] = [],
  asks: LevelUpdate[] = [],
): BookDelta {
  return { ...head, kind: "delta", firstSequence: U, lastSequence: u, bids, asks };
}

function snapshot(id: number): BookSnapshot {
  return { ...head, kind: "snapshot", sequence: id, bids: [lv(100, 1)], asks: [lv(101, 1)] };
}

Deno.test("BinanceBookSync buffers until the snapshot, drops stale diffs, splices the straddling one", () => {
  const sync = new BinanceBookSync(new OrderBook(inst));
  assert.equal(sync.onDelta(delta(1, 5, [lv(99, 9)])), "buffered");
  assert.equal(sync.onDelta(delta(6, 12, [lv(98, 7)])), "buffered");
  assert.equal(sync.onDelta(delta(13, 14, [lv(97, 3)])), "buffered");
  assert.equal(sync.buffered, 3);
  // The snapshot's id 10 falls inside the second diff (6..12): it must bridge.
  const outcomes = sync.onSnapshot(snapshot(10));
  assert.deepEqual(outcomes, ["stale", "applied", "applied"]);
  assert.equal(sync.lastUpdateId, 14);
  assert.equal(sync.synced, true);
  assert.deepEqual(sync.book.top("bid"), [[100, 1], [98, 7], [97, 3]]);
  assert.deepEqual(sync.counters, {
    applied: 2,
    stale: 1,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    staleSnapshots: 0,
  });
});

Deno.test("BinanceBookSync reports a gap when the first diff does not bridge", () => {
  const sync = new BinanceBookSync(new OrderBook(inst));
  sync.onSnapshot(snapshot(10));
  assert.equal(sync.onDelta(delta(12, 15)), "gap");
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("bid"), 0);
  // The diff that revealed the gap is kept for the next snapshot.
  assert.equal(sync.buffered, 1);
  assert.deepEqual(sync.onSnapshot(snapshot(13)), ["applied"]);
  assert.equal(sync.lastUpdateId, 15);
  assert.equal(sync.counters.gaps, 1);
});

Deno.test("BinanceBookSync requires contiguous diffs after the first", () => {
  const sync = new BinanceBookSync(new OrderBook(inst));
  sync.onSnapshot(snapshot(10));
  assert.equal(sync.onDelta(delta(9, 11)), "applied");
  assert.equal(sync.onDelta(delta(12, 12)), "applied");
  assert.equal(sync.onDelta(delta(12, 12)), "stale");
  assert.equal(sync.onDelta(delta(14, 16)), "gap");
  assert.equal(sync.onDelta(delta(17, 18)), "buffered");
});

Deno.test("BinanceBookSync flags a crossed book and bounds its buffer", () => {
  const sync = new BinanceBookSync(new OrderBook(inst), { maxBuffer: 2 });
  sync.onDelta(delta(1, 1));
  sync.onDelta(delta(2, 2));
  sync.onDelta(delta(3, 3));
  assert.equal(sync.buffered, 2);
  assert.equal(sync.counters.overflowed, 1);
  sync.onSnapshot(snapshot(3));
  assert.equal(sync.onDelta(delta(4, 4, [lv(105, 1)])), "crossed");
  assert.equal(sync.counters.crossed, 1);
  sync.reset();
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("ask"), 0);
});
