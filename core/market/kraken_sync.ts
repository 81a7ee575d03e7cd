import type { BookDelta, BookSnapshot } from "./events.ts";
import type { BookSync, BookSyncCounters, ChecksumCounters, SyncOutcome } from "./book_sync.ts";
import { truncateBook } from "./book_sync.ts";
import { krakenChecksum } from "./kraken_checksum.ts";
import type { OrderBook } from "./order_book.ts";

/** Options of {@linkcode KrakenBookSync}. */
export interface KrakenBookSyncOptions {
  /** Subscribed book depth (10, 25, 100, 500, 1000); the book is truncated to it. Default 10. */
  depth?: number;
  /** Verify snapshot checksums too (WS v2 sends one; v1 does not). Default true. */
  verifySnapshots?: boolean;
}

/**
 * Kraken's book rules (WS v1 and v2) as a pure state machine: a snapshot replaces
 * the book; each update applies all its levels, truncates to the subscribed depth,
 * then verifies the CRC-32 of the top 10 levels. A mismatch clears the book
 * (`checksum_failed`): the caller resubscribes that symbol for a fresh snapshot.
 * Updates before the first snapshot are dropped (`unsynced`). Deletes of absent
 * levels are ignored, as Kraken sends some.
 *
 * @example A snapshot then an update carrying the checksum
 * ```ts
 * import assert from "node:assert/strict";
 * import { KrakenBookSync } from "./kraken_sync.ts";
 * import { krakenChecksum } from "./kraken_checksum.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { makeInstrument } from "./instrument.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const book = new OrderBook(makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals: 1, sizeDecimals: 8 }));
 * const sync = new KrakenBookSync(book, { depth: 10 });
 * const head = { venue: "kraken", symbol: "BTC/USD", exchangeTime: 0, receiveTime: 0 } as const;
 * sync.onSnapshot({ ...head, kind: "snapshot", sequence: 0, bids: [[100 as Ticks, 1 as Lots]], asks: [[101 as Ticks, 1 as Lots]] });
 * const wrong = sync.onDelta({ ...head, kind: "delta", firstSequence: 0, lastSequence: 0, bids: [], asks: [], checksum: 1 });
 * assert.equal(wrong, "checksum_failed");
 * ```
 */
export class KrakenBookSync implements BookSync {
  /** The book this sync maintains. */
  readonly book: OrderBook;
  /** Counters since construction. */
  readonly counters: BookSyncCounters & ChecksumCounters & { unsynced: number; truncated: number } =
    {
      applied: 0,
      stale: 0,
      gaps: 0,
      crossed: 0,
      checksumOk: 0,
      checksumFailed: 0,
      unsynced: 0,
      truncated: 0,
    };
  readonly #depth: number;
  readonly #verifySnapshots: boolean;
  #synced = false;

  /**
   * @param book The book to maintain.
   * @param options Subscribed depth.
   */
  constructor(book: OrderBook, options: KrakenBookSyncOptions = {}) {
    this.book = book;
    this.#depth = options.depth ?? 10;
    this.#verifySnapshots = options.verifySnapshots ?? true;
  }

  /** True once a snapshot is applied and no checksum failed since. */
  get synced(): boolean {
    return this.#synced;
  }

  /**
   * Replaces the book with a snapshot (verifying its checksum when it carries one).
   *
   * @returns `[]`, or `["checksum_failed"]` / `["crossed"]` when the snapshot itself is bad.
   */
  onSnapshot(snapshot: BookSnapshot & { readonly checksum?: number }): SyncOutcome[] {
    this.book.applySnapshot(snapshot);
    this.counters.truncated += truncateBook(this.book, this.#depth);
    this.#synced = true;
    if (this.#verifySnapshots && snapshot.checksum !== undefined) {
      const outcome = this.#verify(snapshot.checksum);
      if (outcome !== "applied") return [outcome];
    }
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
    this.counters.truncated += truncateBook(this.book, this.#depth);
    if (delta.checksum !== undefined) {
      const outcome = this.#verify(delta.checksum);
      if (outcome !== "applied") return outcome;
    }
    return this.#finish();
  }

  /** Drops the book and waits for a new snapshot. */
  reset(): void {
    this.#synced = false;
    this.book.clear();
  }

  #verify(expected: number): SyncOutcome {
    if (this.book.verifyChecksum(expected, krakenChecksum)) {
      this.counters.checksumOk++;
      return "applied";
    }
    this.counters.checksumFailed++;
    this.reset();
    return "checksum_failed";
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
