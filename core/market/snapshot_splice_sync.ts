/**
 * The "REST snapshot + buffered diff splice" book sync that venues with a REST
 * snapshot share (Binance, KuCoin): buffer diffs until the snapshot, replay the
 * buffer, drop diffs the snapshot already covers, clear the book on a sequence
 * gap. Each venue supplies its own continuity rule and how a diff is applied.
 *
 * @module
 */

import type { BookSync, BookSyncCounters } from "./book_sync.ts";
import type { BookDelta, BookSnapshot } from "./events.ts";
import type { OrderBook } from "./order_book.ts";

/** What happened to one delta given to a {@linkcode SnapshotSpliceSync}. */
export type SpliceOutcome =
  /** Held until a snapshot arrives. */
  | "buffered"
  /** Entirely covered by the book (`lastSequence <= sequence`), dropped. */
  | "stale"
  /** Applied to the book. */
  | "applied"
  /** Applied, but the book is now crossed: the caller should resync. */
  | "crossed"
  /** Sequence gap: the book was cleared and the sync waits for a new snapshot. */
  | "gap";

/** Counters of a {@linkcode SnapshotSpliceSync}. */
export interface SpliceCounters extends BookSyncCounters {
  /** Deltas dropped from a full pre-snapshot buffer. */
  overflowed: number;
  /** Snapshots older than the synced book, ignored (a book never rolls back). */
  staleSnapshots: number;
}

/** Options of a {@linkcode SnapshotSpliceSync}. */
export interface SnapshotSpliceOptions {
  /** Most deltas kept while waiting for a snapshot (oldest dropped first). Default 10,000. */
  maxBuffer?: number;
}

/**
 * A pure state machine over an {@linkcode OrderBook} that splices a REST snapshot
 * into a buffered diff stream. Before the first snapshot (and after a gap) every
 * delta is buffered, up to `maxBuffer`. Once synced, a delta with
 * `lastSequence <= sequence` is stale; one that fails the venue's
 * {@linkcode SnapshotSpliceSync.continues} rule is a gap (book cleared, the delta
 * kept for the next snapshot); otherwise the venue's
 * {@linkcode SnapshotSpliceSync.applyDelta} runs and the sequence becomes
 * `lastSequence`. The sequence survives {@linkcode SnapshotSpliceSync.reset}.
 *
 * @typeParam D The venue's delta type.
 *
 * @example A venue that requires `firstSequence <= sequence + 1`
 * ```ts
 * import assert from "node:assert/strict";
 * import { SnapshotSpliceSync, type SpliceCounters } from "./snapshot_splice_sync.ts";
 * import type { BookDelta } from "./events.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { makeInstrument } from "./instrument.ts";
 * class Sync extends SnapshotSpliceSync<BookDelta> {
 *   readonly counters: SpliceCounters = { applied: 0, stale: 0, gaps: 0, crossed: 0, overflowed: 0, staleSnapshots: 0 };
 *   protected continues(d: BookDelta, seq: number): boolean {
 *     return d.firstSequence <= seq + 1;
 *   }
 *   protected applyDelta(d: BookDelta): void {
 *     this.book.applyLevels("bid", d.bids);
 *     this.book.applyLevels("ask", d.asks);
 *   }
 * }
 * const sync = new Sync(new OrderBook(makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 5 })));
 * const head = { venue: "binance", symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 } as const;
 * assert.equal(sync.onDelta({ ...head, kind: "delta", firstSequence: 8, lastSequence: 12, bids: [], asks: [] }), "buffered");
 * assert.deepEqual(sync.onSnapshot({ ...head, kind: "snapshot", sequence: 10, bids: [], asks: [] }), ["applied"]);
 * assert.equal(sync.sequence, 12);
 * ```
 */
export abstract class SnapshotSpliceSync<D extends BookDelta = BookDelta> implements BookSync {
  /** The book this sync maintains. */
  readonly book: OrderBook;
  /** Counters since construction. */
  abstract readonly counters: SpliceCounters;
  readonly #maxBuffer: number;
  #buffer: D[] = [];
  #synced = false;
  #bridged = false;
  #sequence: number | undefined;

  /**
   * @param book The book to maintain.
   * @param options Buffer limit.
   */
  constructor(book: OrderBook, options: SnapshotSpliceOptions = {}) {
    this.book = book;
    this.#maxBuffer = options.maxBuffer ?? 10_000;
  }

  /** True once a snapshot is applied and no gap has happened since. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Last sequence reflected in the book (kept across a reset), or undefined before the first snapshot. */
  get sequence(): number | undefined {
    return this.#sequence;
  }

  /** Number of deltas waiting for a snapshot. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Applies a REST snapshot and then every buffered delta, in order. A snapshot older
   * than the synced book (`sequence` below the book's) is ignored and counted in
   * `staleSnapshots`: it must not roll the book back.
   *
   * @returns The outcomes of the buffered deltas, in order.
   */
  onSnapshot(snapshot: BookSnapshot): SpliceOutcome[] {
    if (this.#synced && snapshot.sequence < (this.#sequence as number)) {
      this.counters.staleSnapshots++;
      return [];
    }
    this.book.applySnapshot(snapshot);
    this.#synced = true;
    this.#bridged = false;
    this.#sequence = snapshot.sequence;
    const pending = this.#buffer;
    this.#buffer = [];
    const outcomes: SpliceOutcome[] = [];
    for (const delta of pending) outcomes.push(this.onDelta(delta));
    return outcomes;
  }

  /** Feeds one delta; see {@linkcode SpliceOutcome}. */
  onDelta(delta: D): SpliceOutcome {
    if (!this.#synced) {
      this.#buffer.push(delta);
      if (this.#buffer.length > this.#maxBuffer) {
        this.#buffer.shift();
        this.counters.overflowed++;
      }
      return "buffered";
    }
    const sequence = this.#sequence as number;
    if (delta.lastSequence <= sequence) {
      this.counters.stale++;
      return "stale";
    }
    if (!this.continues(delta, sequence, this.#bridged)) {
      this.counters.gaps++;
      this.reset();
      this.#buffer.push(delta);
      return "gap";
    }
    this.applyDelta(delta, sequence);
    this.#bridged = true;
    this.#sequence = delta.lastSequence;
    this.counters.applied++;
    if (this.book.isCrossed()) {
      this.counters.crossed++;
      return "crossed";
    }
    return "applied";
  }

  /** Drops the book and waits for a new snapshot (deltas fed from now on are buffered). */
  reset(): void {
    this.#synced = false;
    this.#bridged = false;
    this.book.clear();
    this.#buffer = [];
  }

  /**
   * The venue's continuity rule for a delta that is not stale.
   *
   * @param delta The delta (its `lastSequence` is above `sequence`).
   * @param sequence The sequence the book reflects.
   * @param bridged False for the first delta applied after a snapshot.
   * @returns True to apply the delta, false for a gap.
   */
  protected abstract continues(delta: D, sequence: number, bridged: boolean): boolean;

  /**
   * Applies a continuing delta's levels to {@linkcode SnapshotSpliceSync.book}.
   *
   * @param delta The delta.
   * @param sequence The sequence the book reflected before this delta.
   */
  protected abstract applyDelta(delta: D, sequence: number): void;
}
