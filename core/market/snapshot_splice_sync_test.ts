import assert from "node:assert/strict";
import type { BookDelta, BookSnapshot, LevelUpdate } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import { makeInstrument } from "./instrument.ts";
import { OrderBook } from "./order_book.ts";
import { SnapshotSpliceSync, type SpliceCounters } from "./snapshot_splice_sync.ts";

const inst = makeInstrument({
  venue: "binance",
  symbol: "BTC/USDT",
  priceDecimals: 2,
  sizeDecimals: 5,
});
const head = { venue: "binance", symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 } as const;
const lv = (p: number, s: number): LevelUpdate => [p as Ticks, s as Lots];

function delta(first: number, last: number, bids: LevelUpdate[] = []): BookDelta {
  return { ...head, kind: "delta", firstSequence: first, lastSequence: last, bids, asks: [] };
}

function snapshot(sequence: number, asks: LevelUpdate[] = [lv(101, 1)]): BookSnapshot {
  return { ...head, kind: "snapshot", sequence, bids: [lv(100, 1)], asks };
}

/** A test venue that records what the base class asks of it. */
class RecordingSync extends SnapshotSpliceSync<BookDelta> {
  readonly counters: SpliceCounters = { applied: 0, stale: 0, gaps: 0, crossed: 0, overflowed: 0 };
  readonly asked: { first: number; sequence: number; bridged: boolean }[] = [];
  readonly appliedAt: number[] = [];

  protected continues(d: BookDelta, sequence: number, bridged: boolean): boolean {
    this.asked.push({ first: d.firstSequence, sequence, bridged });
    return d.firstSequence <= sequence + 1;
  }

  protected applyDelta(d: BookDelta, sequence: number): void {
    this.appliedAt.push(sequence);
    this.book.applyLevels("bid", d.bids);
    this.book.applyLevels("ask", d.asks);
  }
}

Deno.test("SnapshotSpliceSync buffers, then replays the buffer against the snapshot", () => {
  const sync = new RecordingSync(new OrderBook(inst));
  assert.equal(sync.sequence, undefined);
  assert.equal(sync.onDelta(delta(1, 5)), "buffered");
  assert.equal(sync.onDelta(delta(6, 12, [lv(98, 7)])), "buffered");
  assert.equal(sync.onDelta(delta(13, 14)), "buffered");
  assert.equal(sync.buffered, 3);
  assert.deepEqual(sync.onSnapshot(snapshot(10)), ["stale", "applied", "applied"]);
  assert.equal(sync.synced, true);
  assert.equal(sync.sequence, 14);
  assert.equal(sync.buffered, 0);
  // The stale delta never reaches the venue rules; `bridged` turns true after the first apply.
  assert.deepEqual(sync.asked, [
    { first: 6, sequence: 10, bridged: false },
    { first: 13, sequence: 12, bridged: true },
  ]);
  assert.deepEqual(sync.appliedAt, [10, 12]);
  assert.deepEqual(sync.counters, { applied: 2, stale: 1, gaps: 0, crossed: 0, overflowed: 0 });
});

Deno.test("SnapshotSpliceSync clears the book on a gap and keeps the gapping delta", () => {
  const sync = new RecordingSync(new OrderBook(inst));
  sync.onSnapshot(snapshot(10));
  assert.equal(sync.onDelta(delta(12, 15)), "gap");
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("bid"), 0);
  assert.equal(sync.buffered, 1);
  assert.equal(sync.sequence, 10); // kept across the reset
  assert.deepEqual(sync.onSnapshot(snapshot(11)), ["applied"]);
  assert.equal(sync.asked.at(-1)?.bridged, false); // a new snapshot starts a new bridge
  assert.equal(sync.counters.gaps, 1);
});

Deno.test("SnapshotSpliceSync bounds its buffer and reports a crossed book", () => {
  const sync = new RecordingSync(new OrderBook(inst), { maxBuffer: 2 });
  sync.onDelta(delta(1, 1));
  sync.onDelta(delta(2, 2));
  sync.onDelta(delta(3, 3));
  assert.equal(sync.buffered, 2);
  assert.equal(sync.counters.overflowed, 1);
  sync.onSnapshot(snapshot(3));
  assert.equal(sync.onDelta(delta(4, 4, [lv(105, 1)])), "crossed");
  assert.equal(sync.counters.crossed, 1);
  assert.equal(sync.counters.applied, 1);
  sync.reset();
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("ask"), 0);
  assert.equal(sync.onDelta(delta(5, 5)), "buffered");
});
