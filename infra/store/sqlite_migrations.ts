import type { Migration } from "./migration.ts";

/**
 * The harvester's tables (feed health per venue/symbol and interval, arbitrage windows). Also
 * run by `ensureHarvestTables` on a store opened without migrations.
 */
export const SQLITE_HARVEST_TABLES = `
CREATE TABLE IF NOT EXISTS feed_health (
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  msgs INTEGER NOT NULL, msgs_per_s REAL NOT NULL, latency_p50_ms REAL, latency_p99_ms REAL,
  gaps INTEGER NOT NULL, resyncs INTEGER NOT NULL, checksum_failures INTEGER NOT NULL,
  crossed INTEGER NOT NULL, stale INTEGER NOT NULL, stale_resyncs INTEGER NOT NULL,
  synced INTEGER NOT NULL, age_ms INTEGER
);
CREATE INDEX IF NOT EXISTS feed_health_time ON feed_health (venue, symbol, time);
CREATE TABLE IF NOT EXISTS arbitrage_opportunities (
  id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, buy_venue TEXT NOT NULL, sell_venue TEXT NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
  edge_bps_open REAL NOT NULL, edge_bps_max REAL NOT NULL, size_max REAL NOT NULL,
  buy_price REAL NOT NULL, sell_price REAL NOT NULL, reason TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS arbitrage_time ON arbitrage_opportunities (symbol, start);
`;

/**
 * The live edge's runs (one current) and process sessions. Also run by `ensureLiveTables` on a
 * store opened without migrations.
 */
export const SQLITE_LIVE_TABLES = `
CREATE TABLE IF NOT EXISTS live_runs (
  run_id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, current INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS live_sessions (
  id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, pid INTEGER NOT NULL,
  started_at INTEGER NOT NULL, ended_at INTEGER, detail TEXT);`;

/**
 * SQLite schema, as ordered migrations. Never edit a released migration: add a new one.
 * Table names follow the seed (order_books, trades, ohlcv, portfolio_state, predictions,
 * news_articles, news_sentiment_hourly) plus book_deltas and instruments for exact replay.
 * Prices and sizes are fixed-point integers of the instrument recorded in `instruments`.
 */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "market data",
    sql: `
CREATE TABLE instruments (
  venue TEXT NOT NULL, symbol TEXT NOT NULL, venue_symbol TEXT NOT NULL,
  base TEXT NOT NULL, quote TEXT NOT NULL,
  price_decimals INTEGER NOT NULL, size_decimals INTEGER NOT NULL,
  price_text_decimals INTEGER NOT NULL, size_text_decimals INTEGER NOT NULL,
  tick_size INTEGER NOT NULL, lot_size INTEGER NOT NULL,
  PRIMARY KEY (venue, symbol)
);
CREATE TABLE order_books (
  id INTEGER PRIMARY KEY, seq INTEGER, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  source TEXT NOT NULL CHECK (source IN ('venue', 'periodic')),
  exchange_time INTEGER NOT NULL, receive_time REAL NOT NULL, sequence INTEGER NOT NULL,
  best_bid INTEGER, best_ask INTEGER, bid_levels INTEGER NOT NULL, ask_levels INTEGER NOT NULL,
  bids TEXT NOT NULL, asks TEXT NOT NULL
);
CREATE INDEX order_books_time ON order_books (venue, symbol, receive_time);
CREATE UNIQUE INDEX order_books_seq ON order_books (seq) WHERE seq IS NOT NULL;
CREATE TABLE book_deltas (
  seq INTEGER PRIMARY KEY, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  exchange_time INTEGER NOT NULL, receive_time REAL NOT NULL,
  first_sequence INTEGER NOT NULL, last_sequence INTEGER NOT NULL,
  bids TEXT NOT NULL, asks TEXT NOT NULL, checksum INTEGER
);
CREATE INDEX book_deltas_time ON book_deltas (venue, symbol, receive_time);
CREATE TABLE trades (
  seq INTEGER PRIMARY KEY, venue TEXT NOT NULL, symbol TEXT NOT NULL, trade_id TEXT NOT NULL,
  price INTEGER NOT NULL, size INTEGER NOT NULL, taker_side TEXT NOT NULL CHECK (taker_side IN ('buy', 'sell')),
  exchange_time INTEGER NOT NULL, receive_time REAL NOT NULL,
  UNIQUE (venue, symbol, trade_id)
);
CREATE INDEX trades_time ON trades (venue, symbol, receive_time);
CREATE TABLE ohlcv (
  venue TEXT NOT NULL, symbol TEXT NOT NULL, start INTEGER NOT NULL,
  open INTEGER NOT NULL, high INTEGER NOT NULL, low INTEGER NOT NULL, close INTEGER NOT NULL,
  volume INTEGER NOT NULL, trades INTEGER NOT NULL,
  PRIMARY KEY (venue, symbol, start)
);
`,
  },
  {
    version: 2,
    name: "trading, predictions and news",
    sql: `
CREATE TABLE portfolio_state (
  id INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, run_id TEXT NOT NULL DEFAULT 'default',
  cash REAL NOT NULL, equity REAL NOT NULL, realized_pnl REAL NOT NULL, unrealized_pnl REAL NOT NULL,
  fees_paid REAL NOT NULL, drawdown REAL NOT NULL, positions TEXT NOT NULL
);
CREATE INDEX portfolio_state_time ON portfolio_state (run_id, timestamp);
CREATE TABLE predictions (
  id INTEGER PRIMARY KEY, timestamp INTEGER NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  model_version TEXT NOT NULL, action TEXT NOT NULL, action_probs TEXT NOT NULL,
  position_size REAL NOT NULL, risk_score REAL NOT NULL, price_pred TEXT NOT NULL, latency_ms REAL
);
CREATE INDEX predictions_time ON predictions (symbol, timestamp);
CREATE TABLE news_articles (
  id INTEGER PRIMARY KEY, url TEXT NOT NULL UNIQUE, title_hash TEXT NOT NULL, title TEXT NOT NULL,
  source TEXT NOT NULL, published_at INTEGER NOT NULL, fetched_at INTEGER NOT NULL,
  symbols TEXT NOT NULL, description TEXT,
  sentiment REAL, confidence REAL, rationale TEXT, scorer TEXT, scored_at INTEGER
);
CREATE INDEX news_articles_published ON news_articles (published_at);
CREATE INDEX news_articles_title ON news_articles (title_hash);
CREATE TABLE news_sentiment_hourly (
  symbol TEXT NOT NULL, hour_start INTEGER NOT NULL, count INTEGER NOT NULL,
  mean REAL NOT NULL, weighted_mean REAL NOT NULL, dispersion REAL NOT NULL, regime TEXT NOT NULL,
  PRIMARY KEY (symbol, hour_start)
);
`,
  },
  {
    version: 3,
    name: "news sources health, sentiment cache",
    sql: `
CREATE TABLE news_sources (
  source_id TEXT PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL,
  last_attempt_at INTEGER, last_success_at INTEGER, last_status TEXT, last_error TEXT,
  last_warning TEXT, last_latency_ms REAL, last_items INTEGER, last_new INTEGER,
  consecutive_failures INTEGER NOT NULL DEFAULT 0, next_allowed_at INTEGER NOT NULL DEFAULT 0,
  etag TEXT, last_modified TEXT, cursor_at INTEGER,
  attempts INTEGER NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0,
  items_total INTEGER NOT NULL DEFAULT 0, new_total INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE news_sentiment_cache (
  content_hash TEXT NOT NULL, scorer TEXT NOT NULL,
  score REAL NOT NULL, confidence REAL NOT NULL, rationale TEXT NOT NULL,
  latency_ms REAL, created_at INTEGER NOT NULL,
  PRIMARY KEY (content_hash, scorer)
);
ALTER TABLE news_articles ADD COLUMN content_hash TEXT;
ALTER TABLE news_articles ADD COLUMN feed TEXT;
ALTER TABLE news_articles ADD COLUMN score_note TEXT;
CREATE INDEX news_articles_unscored ON news_articles (id) WHERE scored_at IS NULL;
ALTER TABLE news_sentiment_hourly ADD COLUMN scorers TEXT;
ALTER TABLE news_sentiment_hourly ADD COLUMN updated_at INTEGER;
`,
  },
  {
    version: 4,
    name: "dashboard: control commands, backtest reports, attention weights",
    sql: `
CREATE TABLE control_commands (
  id INTEGER PRIMARY KEY, ts INTEGER NOT NULL,
  command TEXT NOT NULL CHECK (command IN ('pause_entries', 'resume', 'flatten_all', 'kill_switch', 'reload_model')),
  source TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'applied', 'rejected')),
  handled_at INTEGER, detail TEXT
);
CREATE INDEX control_commands_pending ON control_commands (status, id);
CREATE TABLE backtest_reports (
  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, name TEXT NOT NULL, strategy TEXT NOT NULL,
  period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, metrics TEXT NOT NULL
);
ALTER TABLE predictions ADD COLUMN attention TEXT;
`,
  },
  {
    version: 5,
    name: "harvest and live tables: feed health, arbitrage, live runs and sessions",
    sql: SQLITE_HARVEST_TABLES + SQLITE_LIVE_TABLES,
  },
];
