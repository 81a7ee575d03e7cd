/**
 * The book sync of a replayed storage archive of a Coinbase, Kraken or KuCoin book: the
 * harvester's adapter already applied that venue's sequence and checksum rules before the
 * events were stored, so a snapshot replaces the book and deltas apply in order while synced
 * (the venues' sequence fields do not follow Binance's `U == previous u + 1`).
 *
 * @module
 */

import type { BookSync, BookSyncCounters, SyncOutcome } from "../../core/market/book_sync.ts";
import type { BookDelta, BookSnapshot } from "../../core/market/events.ts";
import type { OrderBook } from "../../core/market/order_book.ts";

/** See the module documentation. */
export class StoredBookSync implements BookSync {
  /** The book maintained. */
  readonly book: OrderBook;
  /** Counters since construction (`stale` and `gaps` stay 0: the adapter checked them). */
  readonly counters: BookSyncCounters = { applied: 0, stale: 0, gaps: 0, crossed: 0 };
  #synced = false;
  #last: number | undefined;

  /** @param book The book to maintain. */
  constructor(book: OrderBook) {
    this.book = book;
  }

  /** True after a snapshot. */
  get synced(): boolean {
    return this.#synced;
  }

  /** The venue sequence of the last snapshot or applied delta. */
  get lastUpdateId(): number | undefined {
    return this.#last;
  }

  /** Replaces the book. */
  onSnapshot(snapshot: BookSnapshot): readonly SyncOutcome[] {
    this.book.applySnapshot(snapshot);
    this.#synced = true;
    this.#last = snapshot.sequence;
    return this.book.isCrossed() ? ["crossed"] : [];
  }

  /** Applies a delta when synced. */
  onDelta(delta: BookDelta): SyncOutcome {
    if (!this.#synced) return "unsynced";
    this.book.applyLevels("bid", delta.bids);
    this.book.applyLevels("ask", delta.asks);
    this.counters.applied++;
    this.#last = delta.lastSequence;
    if (this.book.isCrossed()) {
      this.counters.crossed++;
      return "crossed";
    }
    return "applied";
  }

  /** Drops the book. */
  reset(): void {
    this.#synced = false;
    this.book.clear();
  }
}
