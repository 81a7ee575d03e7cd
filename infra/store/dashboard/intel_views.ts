/**
 * View types of the market-intelligence panels: feed health, arbitrage, news, backtests.
 *
 * @module
 */

import type { ArbitrageOpportunity } from "../../../core/trading/strategy/arbitrage.ts";

/** Feed health of one venue/symbol (the harvester's `feed_health` rows). */
export interface FeedHealthView {
  id: number;
  time: number;
  venue: string;
  symbol: string;
  /** live (synced, fresh), stale (synced but older than the configured limit), syncing. */
  status: "live" | "stale" | "syncing";
  msgs: number;
  msgs_per_s: number;
  latency_p50_ms: number | null;
  latency_p99_ms: number | null;
  gaps: number;
  resyncs: number;
  checksum_failures: number;
  crossed: number;
  /** Deltas dropped as already covered. */
  stale_drops: number;
  stale_resyncs: number;
  /** Time since the last market message, ms. */
  age_ms: number | null;
}

/** A cross-venue arbitrage opportunity (net of taker fees) as the harvester records it, with its row id. */
export interface ArbitrageView extends ArbitrageOpportunity {
  id: number;
}

/** A news headline (text is untrusted: render as text only). */
export interface HeadlineView {
  id: number;
  title: string;
  source: string;
  url: string;
  published_at: number;
  symbols: string[];
  sentiment: number | null;
}

/** The latest hourly sentiment of one symbol. */
export interface SentimentView {
  symbol: string;
  hour_start: number;
  count: number;
  mean: number;
  weighted_mean: number;
  regime: string;
}

/** A stored backtest report. */
export interface BacktestReportView {
  id: number;
  created_at: number;
  name: string;
  strategy: string;
  period_start: number;
  period_end: number;
  metrics: Record<string, number | string | null>;
}
