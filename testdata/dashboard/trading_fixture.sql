-- Hand-written dashboard fixture (not recorded data): paper-trading rows on top of the
-- replayed Binance BTCUSDT store (binance BTC/USDT: price_decimals 2, size_decimals 8).
-- Times are around the recording (2024-08-09 00:00 UTC).
INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown, positions) VALUES
  (1723161600000, 'default', 10000, 10000, 0, 0, 0, 0, '[]'),
  (1723161660000, 'default', 8767.9, 10002.5, 0, 2.5, 1.23, 0, '[{"venue":"binance","symbol":"BTC/USDT","qty":2000000,"avg_price":61690.1,"unrealized_pnl":2.5}]'),
  (1723161720000, 'default', 8767.9, 9990.1, 0, -9.9, 1.23, 0.00124, '[{"venue":"binance","symbol":"BTC/USDT","qty":2000000,"avg_price":61690.1,"unrealized_pnl":-9.9}]'),
  (1723161780000, 'default', 10003.2, 10003.2, 4.43, 0, 2.47, 0, '[]'),
  (1723161840000, 'default', 8771.0, 10004.9, 4.43, 1.7, 3.7, 0, '[{"venue":"binance","symbol":"BTC/USDT","qty":2000000,"avg_price":61611.0,"unrealized_pnl":1.7}]');
INSERT INTO paper_orders (id, run_id, venue, symbol, side, type, tif, price, size, filled, status, queue_ahead, tag, reason, submit_time, updated_at) VALUES
  ('o1', 'default', 'binance', 'BTC/USDT', 'buy', 'market', 'IOC', NULL, 2000000, 2000000, 'filled', NULL, 'strategy', NULL, 1723161650000, 1723161650050),
  ('o2', 'default', 'binance', 'BTC/USDT', 'sell', 'market', 'IOC', NULL, 2000000, 2000000, 'filled', NULL, 'take_profit', NULL, 1723161770000, 1723161770050),
  ('o3', 'default', 'binance', 'BTC/USDT', 'buy', 'market', 'IOC', NULL, 2000000, 2000000, 'filled', NULL, 'strategy', NULL, 1723161830000, 1723161830050),
  ('o4', 'default', 'binance', 'BTC/USDT', 'sell', 'limit', 'GTC', 6170000, 2000000, 0, 'open', 125000000, 'take_profit', NULL, 1723161835000, 1723161835050);
INSERT INTO paper_fills (seq, run_id, order_id, venue, symbol, side, price, size, notional, fee, liquidity, time, tag, realized_pnl) VALUES
  (1, 'default', 'o1', 'binance', 'BTC/USDT', 'buy', 6169010, 2000000, 1233.802, 1.233802, 'taker', 1723161650050, 'strategy', NULL),
  (2, 'default', 'o2', 'binance', 'BTC/USDT', 'sell', 6171226, 2000000, 1234.2452, 1.2342452, 'taker', 1723161770050, 'take_profit', 4.43),
  (3, 'default', 'o3', 'binance', 'BTC/USDT', 'buy', 6161100, 2000000, 1232.22, 1.23222, 'taker', 1723161830050, 'strategy', NULL);
INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs, position_size, risk_score, price_pred, latency_ms, attention) VALUES
  (1723161830000, 'binance', 'BTC/USDT', 'v0.3.1-int8', 'buy', '{"hold":0.21,"buy":0.64,"sell":0.15}', 0.12, 0.31, '[0.0004,0.0011,-0.0002]', 7.4, '[[0.5,0.3,0.2],[0.1,0.7,0.2],[0.2,0.2,0.6]]');
INSERT INTO risk_state (time, run_id, state, reason, entries_paused, drawdown, max_drawdown, daily_loss, daily_loss_limit, consecutive_losses, cooldown_until, locks, correlations) VALUES
  (1723161840000, 'default', 'ACTIVE', NULL, 0, 0.0004, 0.15, 0.0012, 0.05, 0, NULL, '[{"symbol":"ETH/USDT","until":1723163640000,"reason":"correlation 0.86 with BTC/USDT"}]', '{"BTC/USDT~ETH/USDT":0.86}');
INSERT INTO alerts (time, kind, severity, message, value, threshold) VALUES
  (1723161700000, 'confidence', 'warning', 'Model confidence 0.18 below 0.2', 0.18, 0.2);
INSERT INTO feed_health (time, venue, symbol, status, latency_p50_ms, latency_p99_ms, gaps, resyncs, staleness_ms, messages) VALUES
  (1723161840000, 'binance', 'BTC/USDT', 'live', 31.5, 118.2, 0, 1, 40, 26399),
  (1723161840000, 'kraken', 'BTC/USD', 'stale', 55.0, 410.0, 2, 3, 7300, 8001);
INSERT INTO arbitrage_opportunities (time, symbol, buy_venue, sell_venue, buy_price, sell_price, size, gross_bps, net_bps, est_profit) VALUES
  (1723161840000, 'BTC/USDT', 'binance', 'binance_us', 6160202, 6162000, 1000000, 2.92, -17.1, -1.05);
INSERT INTO news_articles (url, title_hash, title, source, published_at, fetched_at, symbols, description, sentiment, confidence, rationale, scorer, scored_at) VALUES
  ('https://example.com/etf', 'h1', 'Bitcoin ETF inflows rise for a third day', 'example', 1723161000000, 1723161100000, '["BTC"]', NULL, 0.42, 0.8, 'inflows', 'lexicon', 1723161100000),
  ('javascript:alert(1)', 'h2', '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">Exchange hacked?', 'evil & co <b>', 1723161500000, 1723161550000, '["BTC","ETH"]', NULL, -0.6, 0.7, 'hack', 'lexicon', 1723161550000);
INSERT INTO news_sentiment_hourly (symbol, hour_start, count, mean, weighted_mean, dispersion, regime) VALUES
  ('BTC', 1723161600000, 12, 0.11, 0.14, 0.3, 'neutral'),
  ('ETH', 1723161600000, 5, -0.2, -0.25, 0.4, 'bearish');
INSERT INTO backtest_reports (created_at, name, strategy, period_start, period_end, metrics) VALUES
  (1723162000000, 'walk-forward fold 1', 'imbalance', 1723161254000, 1723161905000, '{"total_return":0.0005,"sharpe":1.2,"max_drawdown":0.0012,"trades":2,"win_rate":0.5}');
