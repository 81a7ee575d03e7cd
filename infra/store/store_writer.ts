import type { MarketEvent } from "../../core/market/events.ts";
import { type OhlcvBar, OhlcvBuilder } from "../../core/market/ohlcv.ts";
import type { OrderBook } from "../../core/market/order_book.ts";
import type { MarketStore, PeriodicBookSnapshot } from "../../core/storage.ts";

/** Options of {@linkcode StoreWriter}. */
export interface StoreWriterOptions {
  /** Events buffered before a batch is written. Default 2,000. */
  batchSize?: number;
  /** Levels per side kept in periodic book pictures. Default 100. */
  snapshotDepth?: number;
  /**
   * Most events held in memory while the store refuses writes (disk full, read-only). Beyond
   * it the oldest unwritten events are dropped, counted in `dropped_events` and logged.
   * Default 50,000 (about 50 MB: recorded Binance events average 1 KB of heap; 6–7 minutes of
   * 14 simulated books).
   */
  maxBufferedEvents?: number;
  /** Pause after a failed write before the next attempt, ms. Default 5,000. */
  retryMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  now?: () => number;
  /** Log lines: the real error when writing pauses, drops, and when it resumes. */
  onLog?: (line: string) => void;
}

/** Counters of a {@linkcode StoreWriter}. */
export interface StoreWriterStats {
  /** Events written. */
  events: number;
  /** Periodic book pictures written. */
  books: number;
  /** Bars written (including updates of open bars on flush). */
  bars: number;
  /** Batches (transactions) written. */
  batches: number;
  /** Write attempts that failed. */
  failed_writes: number;
  /** Times writing paused (the store refused a write after a successful one). */
  pauses: number;
  /** Unwritten events dropped (oldest first) because the buffer reached its cap. */
  dropped_events: number;
  /** Unwritten book pictures dropped for the same reason. */
  dropped_books: number;
}

/**
 * Buffers normalized events, periodic book pictures and 1-minute OHLCV bars and
 * writes them to a {@linkcode MarketStore} in batched transactions. Use it as the
 * replay/harvest event sink; call {@linkcode StoreWriter.flush} at the end.
 *
 * When a write fails (disk full, read-only store) the batch stays buffered, the real error is
 * thrown once and logged, and writing pauses for `retryMs`: events keep arriving into a buffer
 * bounded by `maxBufferedEvents` (oldest dropped, counted and logged), and the next attempt
 * after the pause writes everything held once the store takes writes again. Nothing that was
 * committed is ever lost; what is dropped was never acknowledged and is counted.
 */
export class StoreWriter {
  /** Counters. */
  readonly stats: StoreWriterStats = {
    events: 0,
    books: 0,
    bars: 0,
    batches: 0,
    failed_writes: 0,
    pauses: 0,
    dropped_events: 0,
    dropped_books: 0,
  };
  readonly #store: MarketStore;
  readonly #batchSize: number;
  readonly #depth: number;
  readonly #max: number;
  readonly #retryMs: number;
  readonly #now: () => number;
  readonly #log: (line: string) => void;
  readonly #ohlcv = new OhlcvBuilder();
  #events: MarketEvent[] = [];
  #books: PeriodicBookSnapshot[] = [];
  #bars: OhlcvBar[] = [];
  #pausedSince: number | undefined;
  #retryAt = 0;
  #droppedInPause = 0;

  /**
   * @param store Destination store.
   * @param options Batch size, snapshot depth, buffer cap, retry pause, clock and log.
   */
  constructor(store: MarketStore, options: StoreWriterOptions = {}) {
    this.#store = store;
    this.#batchSize = options.batchSize ?? 2_000;
    this.#depth = options.snapshotDepth ?? 100;
    this.#max = Math.max(this.#batchSize, options.maxBufferedEvents ?? 50_000);
    this.#retryMs = options.retryMs ?? 5_000;
    this.#now = options.now ?? Date.now;
    this.#log = options.onLog ?? (() => {});
  }

  /** True while writing is paused after a failed write. */
  get paused(): boolean {
    return this.#pausedSince !== undefined;
  }

  /** Events held in memory, not yet written. */
  get bufferedEvents(): number {
    return this.#events.length;
  }

  /** Buffers an event (and updates the OHLCV bars from trades). */
  async onEvent(event: MarketEvent): Promise<void> {
    this.#events.push(event);
    if (event.kind === "trade") {
      const closed = this.#ohlcv.onTrade(event);
      if (closed) this.#bars.push(closed);
    }
    if (this.#pausedSince !== undefined) {
      this.#bound();
      if (this.#now() < this.#retryAt) return;
      await this.#write();
      return;
    }
    if (this.#events.length >= this.#batchSize) await this.#write();
  }

  /** Buffers a periodic picture of a synced book. */
  onBookSnapshot(book: OrderBook, time: number, sequence: number): void {
    this.#books.push({
      venue: book.instrument.venue,
      symbol: book.instrument.symbol,
      time,
      sequence,
      bids: book.top("bid", this.#depth),
      asks: book.top("ask", this.#depth),
    });
    if (this.#pausedSince !== undefined) this.#bound();
  }

  /** Writes everything buffered, including the open (incomplete) bars (ignores the pause). */
  async flush(): Promise<void> {
    this.#bars.push(...this.#ohlcv.openBars());
    await this.#write();
  }

  async #write(): Promise<void> {
    if (this.#events.length === 0 && this.#books.length === 0 && this.#bars.length === 0) return;
    const batch = { events: this.#events, books: this.#books, bars: this.#bars };
    this.#events = [];
    this.#books = [];
    this.#bars = [];
    try {
      await this.#store.writeBatch(batch);
    } catch (e) {
      // Keep the rows for the next attempt: nothing buffered is dropped on a failed write.
      this.#events = [...batch.events, ...this.#events];
      this.#books = [...batch.books, ...this.#books];
      this.#bars = [...batch.bars, ...this.#bars];
      this.#failed(e);
      throw e;
    }
    this.stats.events += batch.events.length;
    this.stats.books += batch.books.length;
    this.stats.bars += batch.bars.length;
    this.stats.batches++;
    if (this.#pausedSince !== undefined) {
      const downMs = this.#now() - this.#pausedSince;
      this.#log(
        `store writable again after ${
          Math.round(downMs / 1000)
        } s: wrote ${batch.events.length} held events` +
          (this.#droppedInPause ? `, ${this.#droppedInPause} oldest events were dropped` : ""),
      );
      this.#pausedSince = undefined;
      this.#droppedInPause = 0;
    }
  }

  #failed(e: unknown): void {
    this.stats.failed_writes++;
    const now = this.#now();
    this.#retryAt = now + this.#retryMs;
    const message = e instanceof Error ? e.message : String(e);
    if (this.#pausedSince === undefined) {
      this.#pausedSince = now;
      this.stats.pauses++;
      this.#log(
        `store write failed: ${message}; writing paused, holding up to ${this.#max} events in memory, retrying every ${this.#retryMs} ms`,
      );
    }
    this.#bound();
  }

  /** Drops the oldest unwritten events and pictures beyond the cap, counted and logged. */
  #bound(): void {
    const over = this.#events.length - this.#max;
    if (over > 0) {
      this.#events.splice(0, over);
      if (this.#droppedInPause === 0) {
        this.#log(
          `store buffer full (${this.#max} events): dropping the oldest unwritten events until the store takes writes`,
        );
      }
      this.stats.dropped_events += over;
      this.#droppedInPause += over;
    }
    const maxBooks = Math.max(100, Math.ceil(this.#max / 100));
    const overBooks = this.#books.length - maxBooks;
    if (overBooks > 0) {
      this.#books.splice(0, overBooks);
      this.stats.dropped_books += overBooks;
    }
    if (this.#bars.length > 10_000) this.#bars.splice(0, this.#bars.length - 10_000);
  }
}
