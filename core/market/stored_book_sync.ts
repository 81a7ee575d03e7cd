/**
 * The book sync of a replayed storage archive of a Coinbase, Kraken or KuCoin book: the
 * harvester's adapter already applied that venue's sequence and checksum rules before the
 * events were stored, so a snapshot replaces the book and deltas apply in order while synced
 * (the venues' sequence fields do not follow Binance's `U == previous u + 1`).
 *
 * @module
 */

import type { BookSync, BookSyncCounters, SyncOutcome } from "./book_sync.ts";
import type { BookDelta, BookSnapshot } from "./events.ts";
import { BinanceBookSync } from "./binance_sync.ts";
import type { OrderBook } from "./order_book.ts";

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

/**
 * The sync a reader of recordings uses for a book: Binance's splice rule for the Binance venues
 * (their recordings are raw venue frames), {@linkcode StoredBookSync} for the others (their
 * recordings are storage archives of already-synced events).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultInstrument } from "./instruments.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { recordingSyncFor, StoredBookSync } from "./stored_book_sync.ts";
 * const kraken = defaultInstrument("kraken", "BTC/USD")!;
 * assert.ok(recordingSyncFor(new OrderBook(kraken)) instanceof StoredBookSync);
 * ```
 */
export function recordingSyncFor(book: OrderBook): BinanceBookSync | StoredBookSync {
  const v = book.instrument.venue;
  return v === "binance" || v === "binance_us"
    ? new BinanceBookSync(book)
    : new StoredBookSync(book);
}
