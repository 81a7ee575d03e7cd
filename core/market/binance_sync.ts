import type { BookDelta } from "./events.ts";
import type { OrderBook } from "./order_book.ts";
import {
  type SnapshotSpliceOptions,
  SnapshotSpliceSync,
  type SpliceCounters,
  type SpliceOutcome,
} from "./snapshot_splice_sync.ts";

/** What happened to one delta given to {@linkcode BinanceBookSync.onDelta}. */
export type DeltaOutcome = SpliceOutcome;

/** Counters kept by the sync. */
export type SyncCounters = SpliceCounters;

/** Options of {@linkcode BinanceBookSync}. */
export type BinanceBookSyncOptions = SnapshotSpliceOptions;

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
export class BinanceBookSync extends SnapshotSpliceSync<BookDelta> {
  /** Counters since construction. */
  readonly counters: SyncCounters = {
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    staleSnapshots: 0,
  };

  /**
   * @param book The book to maintain.
   * @param options Buffer limit.
   */
  constructor(book: OrderBook, options: BinanceBookSyncOptions = {}) {
    super(book, options);
  }

  /** Last update id reflected in the book, or undefined before the first snapshot. */
  get lastUpdateId(): number | undefined {
    return this.sequence;
  }

  /** The first diff after a snapshot must have `U <= lastUpdateId + 1`; later ones `U == u + 1`. */
  protected continues(delta: BookDelta, lastUpdateId: number, bridged: boolean): boolean {
    return bridged
      ? delta.firstSequence === lastUpdateId + 1
      : delta.firstSequence <= lastUpdateId + 1;
  }

  /** Applies every level of the diff (sizes are absolute; 0 deletes). */
  protected applyDelta(delta: BookDelta): void {
    this.book.applyLevels("bid", delta.bids);
    this.book.applyLevels("ask", delta.asks);
  }
}
