/**
 * The book-sync state machine each venue uses, for replaying normalized events (a
 * `tickerml-events/1` recording or the store) through the trading engine: Binance's and
 * KuCoin's snapshot splice, Coinbase's snapshot-then-updates, Kraken's depth-10 book with
 * its checksum on every update that carries one.
 *
 * @module
 */

import { BinanceBookSync } from "./binance_sync.ts";
import type { BookSync } from "./book_sync.ts";
import { CoinbaseBookSync } from "./coinbase_sync.ts";
import { KrakenBookSync } from "./kraken_sync.ts";
import { KucoinBookSync } from "./kucoin_sync.ts";
import type { OrderBook } from "./order_book.ts";

/** A fresh sync of the book's venue. */
export function venueBookSync(book: OrderBook): BookSync {
  switch (book.instrument.venue) {
    case "binance":
    case "binance_us":
      return new BinanceBookSync(book);
    case "kucoin":
      return new KucoinBookSync(book);
    case "coinbase":
      return new CoinbaseBookSync(book);
    case "kraken":
      return new KrakenBookSync(book, { depth: 10 });
  }
}
