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
}

/**
 * Buffers normalized events, periodic book pictures and 1-minute OHLCV bars and
 * writes them to a {@linkcode MarketStore} in batched transactions. Use it as the
 * replay/harvest event sink; call {@linkcode StoreWriter.flush} at the end.
 */
export class StoreWriter {
  /** Counters. */
  readonly stats: StoreWriterStats = { events: 0, books: 0, bars: 0, batches: 0 };
  readonly #store: MarketStore;
  readonly #batchSize: number;
  readonly #depth: number;
  readonly #ohlcv = new OhlcvBuilder();
  #events: MarketEvent[] = [];
  #books: PeriodicBookSnapshot[] = [];
  #bars: OhlcvBar[] = [];

  /**
   * @param store Destination store.
   * @param options Batch size and snapshot depth.
   */
  constructor(store: MarketStore, options: StoreWriterOptions = {}) {
    this.#store = store;
    this.#batchSize = options.batchSize ?? 2_000;
    this.#depth = options.snapshotDepth ?? 100;
  }

  /** Buffers an event (and updates the OHLCV bars from trades). */
  async onEvent(event: MarketEvent): Promise<void> {
    this.#events.push(event);
    if (event.kind === "trade") {
      const closed = this.#ohlcv.onTrade(event);
      if (closed) this.#bars.push(closed);
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
  }

  /** Writes everything buffered, including the open (incomplete) bars. */
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
      throw e;
    }
    this.stats.events += batch.events.length;
    this.stats.books += batch.books.length;
    this.stats.bars += batch.bars.length;
    this.stats.batches++;
  }
}
