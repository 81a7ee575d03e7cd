import { BinanceBookSync } from "./binance_sync.ts";
import type { BookSync } from "./book_sync.ts";
import { CoinbaseBookSync } from "./coinbase_sync.ts";
import type { Instrument } from "./instrument.ts";
import { KrakenBookSync } from "./kraken_sync.ts";
import { KucoinBookSync } from "./kucoin_sync.ts";
import { OrderBook } from "./order_book.ts";

/**
 * The book sync each venue's adapter runs, for code that rebuilds books from stored
 * snapshots and deltas (the dashboard): the same rules give the same book, gaps and
 * resets included.
 *
 * @param inst The instrument (its precision scales the book).
 * @param options Kraken's subscribed depth (default 10).
 * @returns A fresh sync over a new book.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultInstrument } from "./instruments.ts";
 * import { venueBookSync } from "./venue_book_sync.ts";
 * const sync = venueBookSync(defaultInstrument("kraken", "BTC/USD")!);
 * assert.equal(sync.synced, false);
 * ```
 */
export function venueBookSync(inst: Instrument, options: { krakenDepth?: number } = {}): BookSync {
  const book = new OrderBook(inst);
  switch (inst.venue) {
    case "binance":
    case "binance_us":
      return new BinanceBookSync(book);
    case "kucoin":
      return new KucoinBookSync(book);
    case "coinbase":
      return new CoinbaseBookSync(book);
    case "kraken":
      return new KrakenBookSync(book, { depth: options.krakenDepth ?? 10, verifySnapshots: false });
  }
}
