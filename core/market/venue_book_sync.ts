/**
 * The book-sync state machine each venue's adapter runs, for code that replays normalized
 * events (a `tickerml-events/1` recording or the store) through the trading engine, and for
 * code that rebuilds books from stored snapshots and deltas (the dashboard): Binance's and
 * KuCoin's snapshot splice, Coinbase's snapshot-then-updates, Kraken's subscribed-depth book
 * with its checksum on every update that carries one. The same rules give the same book,
 * gaps and resets included.
 *
 * @module
 */

import { BinanceBookSync } from "./binance_sync.ts";
import type { BookSync } from "./book_sync.ts";
import { CoinbaseBookSync } from "./coinbase_sync.ts";
import type { Instrument } from "./instrument.ts";
import { KrakenBookSync } from "./kraken_sync.ts";
import { KucoinBookSync } from "./kucoin_sync.ts";
import { OrderBook } from "./order_book.ts";

/** Options of {@linkcode venueBookSync}. */
export interface VenueSyncOptions {
  /** Kraken's subscribed depth (default 10). */
  krakenDepth?: number;
  /** Whether Kraken snapshots are checked against a checksum (default true). */
  verifySnapshots?: boolean;
}

/**
 * A fresh sync of the book's venue.
 *
 * @param book The book to maintain (its instrument names the venue).
 * @param options Kraken's depth and snapshot check.
 * @returns The venue's sync over `book`.
 */
export function venueBookSync(book: OrderBook, options: VenueSyncOptions = {}): BookSync {
  switch (book.instrument.venue) {
    case "binance":
    case "binance_us":
      return new BinanceBookSync(book);
    case "kucoin":
      return new KucoinBookSync(book);
    case "coinbase":
      return new CoinbaseBookSync(book);
    case "kraken":
      return new KrakenBookSync(book, {
        depth: options.krakenDepth ?? 10,
        ...(options.verifySnapshots === false ? { verifySnapshots: false } : {}),
      });
  }
}

/**
 * A fresh sync over a new book of `inst`, as the dashboard rebuilds stored books (stored
 * Kraken snapshots carry no checksum, so they are not verified).
 *
 * @param inst The instrument (its precision scales the book).
 * @param options Kraken's subscribed depth (default 10).
 * @returns A fresh sync over a new book.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultInstrument } from "./instruments.ts";
 * import { storedVenueSync } from "./venue_book_sync.ts";
 * const sync = storedVenueSync(defaultInstrument("kraken", "BTC/USD")!);
 * assert.equal(sync.synced, false);
 * ```
 */
export function storedVenueSync(
  inst: Instrument,
  options: { krakenDepth?: number } = {},
): BookSync {
  return venueBookSync(new OrderBook(inst), { ...options, verifySnapshots: false });
}
