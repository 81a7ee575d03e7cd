-- Hand-written dashboard fixture (not recorded data), laid over a replay of binance-spot/
-- (binance BTC/USDT: price_decimals 2, size_decimals 8; times around 2024-08-09 00:00 UTC).
-- The paper-trading tables below mirror the paper trader's schema (branch `trading`,
-- edge/trader/trading_migrations.ts) and the harvester's (branch `venues`,
-- edge/harvest/harvest_tables.ts); IF NOT EXISTS keeps this valid once those are merged.
-- Amounts (notional, fee, cost) are exact integers of 10^-18 quote units, as TEXT.
CREATE TABLE IF NOT EXISTS paper_runs (
  run_id TEXT PRIMARY KEY, strategy TEXT NOT NULL, created_at INTEGER NOT NULL,
  sources TEXT NOT NULL, cursor INTEGER NOT NULL, last_time REAL NOT NULL,
  order_seq INTEGER NOT NULL, fill_seq INTEGER NOT NULL, decision_seq INTEGER NOT NULL, fees TEXT NOT NULL,
  ledger_seq INTEGER NOT NULL, risk TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS paper_orders (
  run_id TEXT NOT NULL, id TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  side TEXT NOT NULL, type TEXT NOT NULL, tif TEXT, size INTEGER NOT NULL, price INTEGER,
  reduce_only INTEGER NOT NULL, tag TEXT, status TEXT NOT NULL, filled INTEGER NOT NULL,
  submit_time REAL NOT NULL, arrival_time REAL NOT NULL, decision_mid REAL,
  queue_ahead REAL NOT NULL, reason TEXT, cancel_at REAL,
  PRIMARY KEY (run_id, id)
);
CREATE TABLE IF NOT EXISTS paper_fills (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, order_id TEXT NOT NULL, venue TEXT NOT NULL,
  symbol TEXT NOT NULL, side TEXT NOT NULL, price INTEGER NOT NULL, size INTEGER NOT NULL,
  notional TEXT NOT NULL, fee TEXT NOT NULL, liquidity TEXT NOT NULL, time REAL NOT NULL,
  decision_mid REAL, tag TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS paper_positions (
  run_id TEXT NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL, qty INTEGER NOT NULL,
  cost TEXT NOT NULL, realized_gross TEXT NOT NULL, fees TEXT NOT NULL, opened_at REAL,
  trip_fees TEXT NOT NULL, trip_peak_cost TEXT NOT NULL, trip_gross TEXT NOT NULL,
  PRIMARY KEY (run_id, venue, symbol)
);
CREATE TABLE IF NOT EXISTS paper_risk_events (
  run_id TEXT NOT NULL, n INTEGER NOT NULL, time REAL NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL,
  PRIMARY KEY (run_id, n)
);
CREATE TABLE IF NOT EXISTS paper_decisions (
  run_id TEXT NOT NULL, seq INTEGER NOT NULL, time REAL NOT NULL, venue TEXT NOT NULL,
  symbol TEXT NOT NULL, action TEXT NOT NULL, size REAL NOT NULL, confidence REAL,
  outputs TEXT, mid REAL, order_id TEXT, rejected TEXT, outcome_bps REAL,
  PRIMARY KEY (run_id, seq)
);
CREATE TABLE IF NOT EXISTS feed_health (
  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, venue TEXT NOT NULL, symbol TEXT NOT NULL,
  msgs INTEGER NOT NULL, msgs_per_s REAL NOT NULL, latency_p50_ms REAL, latency_p99_ms REAL,
  gaps INTEGER NOT NULL, resyncs INTEGER NOT NULL, checksum_failures INTEGER NOT NULL,
  crossed INTEGER NOT NULL, stale INTEGER NOT NULL, stale_resyncs INTEGER NOT NULL,
  synced INTEGER NOT NULL, age_ms INTEGER
);
CREATE TABLE IF NOT EXISTS arbitrage_opportunities (
  id INTEGER PRIMARY KEY, symbol TEXT NOT NULL, buy_venue TEXT NOT NULL, sell_venue TEXT NOT NULL,
  start INTEGER NOT NULL, end INTEGER NOT NULL, duration_ms INTEGER NOT NULL,
  edge_bps_open REAL NOT NULL, edge_bps_max REAL NOT NULL, size_max REAL NOT NULL,
  buy_price REAL NOT NULL, sell_price REAL NOT NULL, reason TEXT NOT NULL
);

INSERT INTO paper_runs VALUES ('paper', 'imbalance', 1723161600000, '["testdata/binance-spot"]', 26000, 1723161840000, 4, 3, 7, '3700000000000000000', 12, '{"kill":null,"drawdown":null,"daily":null,"peak":10004.9,"day":19944,"dayStart":10000,"losses":1,"cooldownUntil":1723163640000}', 0);
INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown, positions) VALUES
  (1723161600000, 'paper', 10000, 10000, 0, 0, 0, 0, '{}'),
  (1723161660000, 'paper', 8767.9, 10002.5, 0, 2.5, 1.23, 0, '{"binance:BTC/USDT":"2000000"}'),
  (1723161720000, 'paper', 8767.9, 9990.1, 0, -9.9, 1.23, 0.00124, '{"binance:BTC/USDT":"2000000"}'),
  (1723161780000, 'paper', 10003.2, 10003.2, 4.43, 0, 2.47, 0, '{}'),
  (1723161840000, 'paper', 8771.0, 10004.9, 4.43, 1.7, 3.7, 0, '{"binance:BTC/USDT":"2000000"}');
INSERT INTO paper_orders VALUES
  ('paper', 'o1', 'binance', 'BTC/USDT', 'buy', 'market', NULL, 2000000, NULL, 0, 'strategy', 'filled', 2000000, 1723161650000, 1723161650050, 6169000.5, 0, NULL, NULL),
  ('paper', 'o2', 'binance', 'BTC/USDT', 'sell', 'market', NULL, 2000000, NULL, 1, 'take_profit', 'filled', 2000000, 1723161770000, 1723161770050, 6171200.5, 0, NULL, NULL),
  ('paper', 'o3', 'binance', 'BTC/USDT', 'buy', 'market', NULL, 2000000, NULL, 0, 'strategy', 'filled', 2000000, 1723161830000, 1723161830050, 6161099.5, 0, NULL, NULL),
  ('paper', 'o4', 'binance', 'BTC/USDT', 'sell', 'limit', 'GTC', 2000000, 6170000, 1, 'take_profit', 'open', 0, 1723161835000, 1723161835050, 6161000.5, 125000000, NULL, NULL);
INSERT INTO paper_fills VALUES
  ('paper', 1, 'o1', 'binance', 'BTC/USDT', 'buy', 6169010, 2000000, '1233802000000000000000', '1233802000000000000', 'taker', 1723161650050, 6169000.5, 'strategy'),
  ('paper', 2, 'o2', 'binance', 'BTC/USDT', 'sell', 6171226, 2000000, '1234245200000000000000', '1234245200000000000', 'taker', 1723161770050, 6171200.5, 'take_profit'),
  ('paper', 3, 'o3', 'binance', 'BTC/USDT', 'buy', 6161100, 2000000, '1232220000000000000000', '1232220000000000000', 'taker', 1723161830050, 6161099.5, 'strategy');
INSERT INTO paper_positions VALUES
  ('paper', 'binance', 'BTC/USDT', 2000000, '1232220000000000000000', '443200000000000000', '3700267200000000000', 1723161830050, '1232220000000000000', '1232220000000000000000', '0');
INSERT INTO paper_risk_events VALUES
  ('paper', 1, 1723161700000, 'alert:confidence', '{"time":1723161700000,"kind":"confidence","value":0.18,"threshold":0.2,"message":"Model confidence 0.18 below 0.2"}'),
  ('paper', 2, 1723161710000, 'book:stale', '{"halted":true,"reason":"stale","time":1723161710000,"detail":"binance:BTC/USDT no update for 5000 ms"}'),
  ('paper', 3, 1723161716000, 'book:stale', '{"halted":false,"reason":"stale","time":1723161716000,"detail":"binance:BTC/USDT updates again"}');
INSERT INTO paper_decisions VALUES
  ('paper', 7, 1723161820000, 'binance', 'BTC/USDT', 'hold', 0, 0.4, '{"imbalance":0.31}', 6161099.5, NULL, NULL, NULL);
INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs, position_size, risk_score, price_pred, latency_ms, attention) VALUES
  (1723161830000, 'binance', 'BTC/USDT', 'v0.3.1-int8', 'buy', '{"hold":0.21,"buy":0.64,"sell":0.15}', 0.12, 0.31, '[0.0004,0.0011,-0.0002]', 7.4, '[[0.5,0.3,0.2],[0.1,0.7,0.2],[0.2,0.2,0.6]]');
INSERT INTO feed_health (time, venue, symbol, msgs, msgs_per_s, latency_p50_ms, latency_p99_ms, gaps, resyncs, checksum_failures, crossed, stale, stale_resyncs, synced, age_ms) VALUES
  (1723161840000, 'binance', 'BTC/USDT', 26399, 40.6, 31.5, 118.2, 0, 1, 0, 0, 2, 0, 1, 40),
  (1723161840000, 'kraken', 'BTC/USD', 8001, 12.3, 55.0, 410.0, 2, 3, 1, 0, 0, 1, 0, 7300);
INSERT INTO arbitrage_opportunities (symbol, buy_venue, sell_venue, start, end, duration_ms, edge_bps_open, edge_bps_max, size_max, buy_price, sell_price, reason) VALUES
  ('BTC/USDT', 'binance', 'binance_us', 1723161838000, 1723161840000, 2000, 1.2, 2.9, 0.01, 61602.02, 61620.0, 'gone');
INSERT INTO news_articles (url, title_hash, title, source, published_at, fetched_at, symbols, description, sentiment, confidence, rationale, scorer, scored_at) VALUES
  ('https://example.com/etf', 'h1', 'Bitcoin ETF inflows rise for a third day', 'example', 1723161000000, 1723161100000, '["BTC"]', NULL, 0.42, 0.8, 'inflows', 'lexicon', 1723161100000),
  ('javascript:alert(1)', 'h2', '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Exchange hacked?', 'evil & co <b>', 1723161500000, 1723161550000, '["BTC","ETH"]', NULL, -0.6, 0.7, 'hack', 'lexicon', 1723161550000);
INSERT INTO news_sentiment_hourly (symbol, hour_start, count, mean, weighted_mean, dispersion, regime) VALUES
  ('BTC', 1723161600000, 12, 0.11, 0.14, 0.3, 'neutral'),
  ('ETH', 1723161600000, 5, -0.2, -0.25, 0.4, 'bearish');
INSERT INTO backtest_reports (created_at, name, strategy, period_start, period_end, metrics) VALUES
  (1723162000000, 'walk-forward fold 1', 'imbalance', 1723161254000, 1723161905000, '{"total_return":0.0005,"sharpe":1.2,"max_drawdown":0.0012,"trades":2,"win_rate":0.5}');
