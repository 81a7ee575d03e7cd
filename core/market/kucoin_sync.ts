import type { BookDelta } from "./events.ts";
import type { OrderBook } from "./order_book.ts";
import {
  type SnapshotSpliceOptions,
  SnapshotSpliceSync,
  type SpliceCounters,
} from "./snapshot_splice_sync.ts";

/**
 * A KuCoin `/market/level2` increment: a {@linkcode BookDelta} whose
 * `firstSequence`/`lastSequence` are `sequenceStart`/`sequenceEnd`, plus the
 * sequence of each change record (parallel to `bids` / `asks`).
 */
export interface KucoinDelta extends BookDelta {
  /** Sequence of each bid record, same order as `bids`. */
  readonly bidSequences: readonly number[];
  /** Sequence of each ask record, same order as `asks`. */
  readonly askSequences: readonly number[];
}

/** Options of {@linkcode KucoinBookSync}. */
export type KucoinBookSyncOptions = SnapshotSpliceOptions;

/**
 * KuCoin's level-2 calibration as a pure state machine: buffer increments until
 * the REST snapshot; then an increment with `sequenceEnd <= seq` is stale, one with
 * `sequenceStart > seq + 1` is a gap (book cleared, buffering again), otherwise
 * each record is applied only when its own sequence is `> seq` (this matters for
 * the increment that straddles the snapshot) and `seq` becomes `sequenceEnd`.
 * Records with price "0" must be removed by the parser (they only advance the
 * sequence, which `sequenceEnd` covers).
 *
 * @example Splice a snapshot into a straddling increment
 * ```ts
 * import assert from "node:assert/strict";
 * import { KucoinBookSync } from "./kucoin_sync.ts";
 * import { OrderBook } from "./order_book.ts";
 * import { makeInstrument } from "./instrument.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const book = new OrderBook(makeInstrument({ venue: "kucoin", symbol: "BTC/USDT", priceDecimals: 1, sizeDecimals: 8 }));
 * const sync = new KucoinBookSync(book);
 * const head = { venue: "kucoin", symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 } as const;
 * sync.onDelta({ ...head, kind: "delta", firstSequence: 15, lastSequence: 18,
 *   bids: [[100 as Ticks, 5 as Lots]], bidSequences: [15], asks: [[102 as Ticks, 3 as Lots]], askSequences: [18] });
 * sync.onSnapshot({ ...head, kind: "snapshot", sequence: 16, bids: [[100 as Ticks, 1 as Lots]], asks: [] });
 * assert.equal(book.sizeAt("bid", 100 as Ticks), 1); // record 15 <= 16: skipped
 * assert.equal(book.sizeAt("ask", 102 as Ticks), 3); // record 18 > 16: applied
 * ```
 */
export class KucoinBookSync extends SnapshotSpliceSync<BookDelta | KucoinDelta> {
  /** Counters since construction. */
  readonly counters: SpliceCounters & { skippedRecords: number } = {
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    staleSnapshots: 0,
    skippedRecords: 0,
  };

  /**
   * @param book The book to maintain.
   * @param options Buffer limit.
   */
  constructor(book: OrderBook, options: KucoinBookSyncOptions = {}) {
    super(book, options);
  }

  /** Sequence the book reflects, or undefined before the first snapshot and after a reset. */
  override get sequence(): number | undefined {
    return this.synced ? super.sequence : undefined;
  }

  /** An increment continues the book when `sequenceStart <= seq + 1`. */
  protected continues(delta: BookDelta | KucoinDelta, seq: number): boolean {
    return delta.firstSequence <= seq + 1;
  }

  /** Applies each record whose own sequence is above `seq` (a plain delta is applied whole). */
  protected applyDelta(delta: BookDelta | KucoinDelta, seq: number): void {
    const k = delta as Partial<KucoinDelta>;
    this.#apply("bid", delta.bids, k.bidSequences, seq);
    this.#apply("ask", delta.asks, k.askSequences, seq);
  }

  #apply(
    side: "bid" | "ask",
    levels: BookDelta["bids"],
    sequences: readonly number[] | undefined,
    after: number,
  ): void {
    for (let i = 0; i < levels.length; i++) {
      if (sequences !== undefined && (sequences[i] as number) <= after) {
        this.counters.skippedRecords++;
        continue;
      }
      const lv = levels[i] as BookDelta["bids"][number];
      this.book.set(side, lv[0], lv[1]);
    }
  }
}
