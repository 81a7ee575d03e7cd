/**
 * The market tables every store has (its migrations create them).
 *
 * @module
 */

/**
 * The tables every `MarketStore` has (its migrations create them), in the order
 * `MarketStore.tableCounts` reports them.
 */
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
