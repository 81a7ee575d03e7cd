import type { BookDelta, BookSnapshot } from "./events.ts";
import type { BookSync, BookSyncCounters, SyncOutcome } from "./book_sync.ts";
import type { OrderBook } from "./order_book.ts";

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
export interface KucoinBookSyncOptions {
  /** Most increments kept while waiting for a snapshot (oldest dropped first). Default 10,000. */
  maxBuffer?: number;
}

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
export class KucoinBookSync implements BookSync {
  /** The book this sync maintains. */
  readonly book: OrderBook;
  /** Counters since construction. */
  readonly counters: BookSyncCounters & { overflowed: number; skippedRecords: number } = {
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    overflowed: 0,
    skippedRecords: 0,
  };
  readonly #maxBuffer: number;
  #buffer: KucoinDelta[] = [];
  #synced = false;
  #sequence: number | undefined;

  /**
   * @param book The book to maintain.
   * @param options Buffer limit.
   */
  constructor(book: OrderBook, options: KucoinBookSyncOptions = {}) {
    this.book = book;
    this.#maxBuffer = options.maxBuffer ?? 10_000;
  }

  /** True once a snapshot is applied and no gap happened since. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Sequence the book reflects, or undefined before the first snapshot. */
  get sequence(): number | undefined {
    return this.#sequence;
  }

  /** Number of increments waiting for a snapshot. */
  get buffered(): number {
    return this.#buffer.length;
  }

  /** Applies a REST snapshot, then replays the buffered increments. */
  onSnapshot(snapshot: BookSnapshot): SyncOutcome[] {
    this.book.applySnapshot(snapshot);
    this.#synced = true;
    this.#sequence = snapshot.sequence;
    const pending = this.#buffer;
    this.#buffer = [];
    return pending.map((d) => this.onDelta(d));
  }

  /** Feeds one increment (a {@linkcode KucoinDelta}; a plain delta is applied whole). */
  onDelta(delta: BookDelta | KucoinDelta): SyncOutcome {
    if (!this.#synced) {
      this.#buffer.push(delta as KucoinDelta);
      if (this.#buffer.length > this.#maxBuffer) {
        this.#buffer.shift();
        this.counters.overflowed++;
      }
      return "buffered";
    }
    const seq = this.#sequence as number;
    if (delta.lastSequence <= seq) {
      this.counters.stale++;
      return "stale";
    }
    if (delta.firstSequence > seq + 1) {
      this.counters.gaps++;
      this.reset();
      this.#buffer.push(delta as KucoinDelta);
      return "gap";
    }
    const k = delta as Partial<KucoinDelta>;
    this.#apply("bid", delta.bids, k.bidSequences, seq);
    this.#apply("ask", delta.asks, k.askSequences, seq);
    this.#sequence = delta.lastSequence;
    this.counters.applied++;
    if (this.book.isCrossed()) {
      this.counters.crossed++;
      return "crossed";
    }
    return "applied";
  }

  /** Drops the book and buffers until a new snapshot. */
  reset(): void {
    this.#synced = false;
    this.#sequence = undefined;
    this.#buffer = [];
    this.book.clear();
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
