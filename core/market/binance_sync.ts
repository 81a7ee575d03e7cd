import type { BookDelta, BookSnapshot } from "./events.ts";
import type { OrderBook } from "./order_book.ts";

/** What happened to one delta given to {@linkcode BinanceBookSync.onDelta}. */
export type DeltaOutcome =
  /** Held until a snapshot arrives. */
  | "buffered"
  /** Entirely covered by the snapshot (`u <= lastUpdateId`), dropped. */
  | "stale"
  /** Applied to the book. */
  | "applied"
  /** Applied, but the book is now crossed: the caller should resync. */
  | "crossed"
  /** Sequence gap: the book was cleared and the sync waits for a new snapshot. */
  | "gap";

/** Counters kept by the sync. */
export interface SyncCounters {
  /** Deltas applied to the book. */
  applied: number;
  /** Deltas dropped as covered by the snapshot. */
  stale: number;
  /** Sequence gaps detected. */
  gaps: number;
  /** Applications after which the book was crossed. */
  crossed: number;
  /** Deltas dropped from a full pre-snapshot buffer. */
  overflowed: number;
}

/** Options of {@linkcode BinanceBookSync}. */
export interface BinanceBookSyncOptions {
  /** Most deltas kept while waiting for a snapshot (oldest dropped first). Default 10,000. */
  maxBuffer?: number;
}

/**
 * Binance's diff-depth splice rule as a pure state machine over an {@linkcode OrderBook}.
 *
 * Buffer diffs until the REST snapshot arrives; drop diffs with `u <= lastUpdateId`;
 * the first applied diff must satisfy `U <= lastUpdateId + 1 <= u`; afterwards each
 * diff's `U` must equal the previous `u + 1`. A violation is a gap: the book is
 * cleared, the state returns to waiting, and the caller fetches a new snapshot.
 * Deltas use `firstSequence` for `U` and `lastSequence` for `u`.
 *
 * @example Splice a snapshot into a buffered stream
 * ```ts
 * import assert from "node:assert/strict";
 * import { BinanceBookSync } from "./binance_sync.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { makeInstrument } from "./instrument.ts";
 * const book = new OrderBook(makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 5 }));
 * const sync = new BinanceBookSync(book);
 * const head = { venue: "binance", symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 } as const;
 * assert.equal(sync.onDelta({ ...head, kind: "delta", firstSequence: 8, lastSequence: 12, bids: [], asks: [] }), "buffered");
 * sync.onSnapshot({ ...head, kind: "snapshot", sequence: 10, bids: [], asks: [] });
 * assert.equal(sync.lastUpdateId, 12);
 * ```
 */
export class BinanceBookSync {
  /** The book this sync maintains. */
  readonly book: OrderBook;
  /** Counters since construction. */
  readonly counters: SyncCounters = { applied: 0, stale: 0, gaps: 0, crossed: 0, overflowed: 0 };
  #buffer: BookDelta[] = [];
  #synced = false;
  #bridged = false;
  #lastUpdateId: number | undefined;
  readonly #maxBuffer: number;

  /**
   * @param book The book to maintain.
   * @param options Buffer limit.
   */
  constructor(book: OrderBook, options: BinanceBookSyncOptions = {}) {
    this.book = book;
    this.#maxBuffer = options.maxBuffer ?? 10_000;
  }

  /** True once a snapshot is applied and no gap has happened since. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Last update id reflected in the book, or undefined before the first snapshot. */
  get lastUpdateId(): number | undefined {
    return this.#lastUpdateId;
  }

  /** Number of deltas waiting for a snapshot. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /**
   * Applies a REST snapshot and then every buffered delta it bridges.
   *
   * @returns The outcomes of the buffered deltas, in order.
   */
  onSnapshot(snapshot: BookSnapshot): DeltaOutcome[] {
    this.book.applySnapshot(snapshot);
    this.#synced = true;
    this.#bridged = false;
    this.#lastUpdateId = snapshot.sequence;
    const pending = this.#buffer;
    this.#buffer = [];
    const outcomes: DeltaOutcome[] = [];
    for (const delta of pending) outcomes.push(this.onDelta(delta));
    return outcomes;
  }

  /** Feeds one diff; see {@linkcode DeltaOutcome}. */
  onDelta(delta: BookDelta): DeltaOutcome {
    if (!this.#synced) {
      this.#buffer.push(delta);
      if (this.#buffer.length > this.#maxBuffer) {
        this.#buffer.shift();
        this.counters.overflowed++;
      }
      return "buffered";
    }
    const last = this.#lastUpdateId as number;
    if (delta.lastSequence <= last) {
      this.counters.stale++;
      return "stale";
    }
    const bridges = this.#bridged
      ? delta.firstSequence === last + 1
      : delta.firstSequence <= last + 1;
    if (!bridges) {
      this.counters.gaps++;
      this.reset();
      this.#buffer.push(delta);
      return "gap";
    }
    this.book.applyLevels("bid", delta.bids);
    this.book.applyLevels("ask", delta.asks);
    this.#bridged = true;
    this.#lastUpdateId = delta.lastSequence;
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
}
