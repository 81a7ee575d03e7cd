/**
 * The tables every `MarketStore` backend creates (SQLite and PostgreSQL migrations) and counts
 * in `tableCounts()`.
 *
 * @module
 */

/** The tables every store has, in the order `tableCounts()` reports them. */
export const STORE_TABLES = [
  "instruments",
  "order_books",
  "book_deltas",
  "trades",
  "ohlcv",
  "portfolio_state",
  "predictions",
  "news_articles",
  "news_sentiment_hourly",
] as const;
