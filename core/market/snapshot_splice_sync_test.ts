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
  readonly counters: SpliceCounters = {
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    staleSnapshots: 0,
  };
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
  assert.deepEqual(sync.counters, {
    applied: 2,
    stale: 1,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    staleSnapshots: 0,
  });
});

Deno.test("SnapshotSpliceSync keeps the sequence and the gapping delta across a reset", () => {
  const sync = new RecordingSync(new OrderBook(inst), { maxBuffer: 1 });
  sync.onSnapshot(snapshot(20, []));
  const outcomes = [delta(22, 23), delta(24, 24)].map((d) => sync.onDelta(d));
  assert.deepEqual(outcomes, ["gap", "buffered"]);
  assert.equal(sync.sequence, 20);
  assert.deepEqual([sync.buffered, sync.counters.overflowed], [1, 1]);
  assert.deepEqual(sync.onSnapshot(snapshot(23)), ["applied"]);
  assert.deepEqual(sync.asked.map((a) => a.bridged), [false, false]);
  assert.equal(sync.onDelta(delta(25, 25, [lv(200, 1)])), "crossed");
  assert.deepEqual(sync.appliedAt, [23, 24]);
});

Deno.test("SnapshotSpliceSync ignores a snapshot older than its synced book (no roll-back)", () => {
  const sync = new RecordingSync(new OrderBook(inst));
  sync.onSnapshot(snapshot(10));
  assert.equal(sync.onDelta(delta(11, 12, [lv(100, 7)])), "applied");
  assert.deepEqual(sync.onSnapshot(snapshot(9, [lv(150, 1)])), []);
  assert.equal(sync.counters.staleSnapshots, 1);
  assert.equal(sync.sequence, 12);
  assert.deepEqual(sync.book.best("bid"), { price: 100, size: 7 });
  assert.deepEqual(sync.book.best("ask"), { price: 101, size: 1 });
  // A snapshot at or after the book's sequence replaces it; after a reset any snapshot does.
  sync.onSnapshot(snapshot(12, [lv(102, 1)]));
  assert.deepEqual(sync.book.best("ask"), { price: 102, size: 1 });
  sync.reset();
  sync.onSnapshot(snapshot(5));
  assert.equal(sync.sequence, 5);
  assert.equal(sync.counters.staleSnapshots, 1);
});
