/**
 * The tables every {@linkcode MarketStore} backend creates (SQLite and PostgreSQL migrations)
 * and counts in {@linkcode MarketStore.tableCounts}.
 *
 * @module
 */
import type { MarketStore } from "../../core/storage.ts";

/** The tables every store has, in the order {@linkcode MarketStore.tableCounts} reports them. */
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
