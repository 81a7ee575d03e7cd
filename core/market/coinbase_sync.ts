import type { BookDelta, BookSnapshot } from "./events.ts";
import type { BookSync, BookSyncCounters, SyncOutcome } from "./book_sync.ts";
import type { OrderBook } from "./order_book.ts";

/**
 * Coinbase's level-2 rules (Advanced Trade `l2_data` and the legacy Exchange
 * `level2`): the stream starts with a full snapshot that replaces the book, then
 * updates carry absolute sizes (0 deletes). Updates before the first snapshot are
 * dropped (`unsynced`). Continuity is checked by the adapter on the connection's
 * `sequence_num`; it calls {@linkcode CoinbaseBookSync.reset} and resubscribes.
 *
 * @example Snapshot then update
 * ```ts
 * import assert from "node:assert/strict";
 * import { CoinbaseBookSync } from "./coinbase_sync.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { makeInstrument } from "./instrument.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const book = new OrderBook(makeInstrument({ venue: "coinbase", symbol: "BTC/USD", priceDecimals: 2, sizeDecimals: 8 }));
 * const sync = new CoinbaseBookSync(book);
 * const head = { venue: "coinbase", symbol: "BTC/USD", exchangeTime: 0, receiveTime: 0 } as const;
 * sync.onSnapshot({ ...head, kind: "snapshot", sequence: 0, bids: [[100 as Ticks, 1 as Lots]], asks: [[101 as Ticks, 1 as Lots]] });
 * assert.equal(sync.onDelta({ ...head, kind: "delta", firstSequence: 1, lastSequence: 1, bids: [[100 as Ticks, 0 as Lots]], asks: [] }), "applied");
 * assert.equal(book.levelCount("bid"), 0);
 * ```
 */
export class CoinbaseBookSync implements BookSync {
  /** The book this sync maintains. */
  readonly book: OrderBook;
  /** Counters since construction. */
  readonly counters: BookSyncCounters & { unsynced: number } = {
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    unsynced: 0,
  };
  #synced = false;

  /** @param book The book to maintain. */
  constructor(book: OrderBook) {
    this.book = book;
  }

  /** True once a snapshot is applied and no reset happened since. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Replaces the book with a snapshot; returns `[]`, or `["crossed"]` when it is crossed. */
  onSnapshot(snapshot: BookSnapshot): SyncOutcome[] {
    this.book.applySnapshot(snapshot);
    this.#synced = true;
    return this.#crossed() ? ["crossed"] : [];
  }

  /** Applies one update; see {@linkcode SyncOutcome}. */
  onDelta(delta: BookDelta): SyncOutcome {
    if (!this.#synced) {
      this.counters.unsynced++;
      return "unsynced";
    }
    this.book.applyLevels("bid", delta.bids);
    this.book.applyLevels("ask", delta.asks);
    return this.#finish();
  }

  /** Records a continuity break seen by the adapter and drops the book. */
  onGap(): void {
    this.counters.gaps++;
    this.reset();
  }

  /** Drops the book and waits for a new snapshot. */
  reset(): void {
    this.#synced = false;
    this.book.clear();
  }

  #finish(): SyncOutcome {
    this.counters.applied++;
    return this.#crossed() ? "crossed" : "applied";
  }

  #crossed(): boolean {
    if (!this.book.isCrossed()) return false;
    this.counters.crossed++;
    return true;
  }
}
