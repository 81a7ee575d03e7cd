import type { LiveBooks } from "../live/live_books.ts";
import type { Overview, StoreStatus } from "../live/types.ts";
import type { Decoder } from "./decoder.ts";
import { readInstruments } from "./decoder.ts";
import {
  arbitrageAfter,
  backtestReports,
  headlinesAfter,
  latestFeedHealth,
  latestSentiment,
  recentTrades,
} from "./market_queries.ts";
import type { StoreReader } from "./store_reader.ts";
import {
  alertsAfter,
  controlsAfter,
  decisionsAfter,
  equityCurve,
  latestPortfolio,
  latestPositions,
  openOrders,
  recentFills,
  riskAfter,
} from "./trading_queries.ts";

/** Tables the dashboard reads; the ones a store lacks are reported, their panels stay empty. */
export const DASHBOARD_TABLES = [
  "instruments",
  "order_books",
  "book_deltas",
  "trades",
  "ohlcv",
  "portfolio_state",
  "predictions",
  "news_articles",
  "news_sentiment_hourly",
  "control_commands",
  "paper_orders",
  "paper_fills",
  "risk_state",
  "alerts",
  "feed_health",
  "arbitrage_opportunities",
  "backtest_reports",
] as const;

/** Whether the store is readable and which dashboard tables it lacks. */
export function storeStatus(reader: StoreReader): StoreStatus {
  if (!reader.available()) {
    return { available: false, error: reader.lastError, missing_tables: [...DASHBOARD_TABLES] };
  }
  return {
    available: true,
    error: null,
    missing_tables: DASHBOARD_TABLES.filter((t) => !reader.hasTable(t)),
  };
}

/** Inputs of {@linkcode buildOverview}. */
export interface OverviewSources {
  /** The store. */
  reader: StoreReader;
  /** Decoder of the store's instruments. */
  decoder: Decoder;
  /** The live books (tops). */
  books: LiveBooks;
  /** Whether controls are enabled. */
  controlsEnabled: boolean;
  /** Current time, ms. */
  now: number;
}

/** Everything the page shows on load, from the store's current state. */
export function buildOverview(s: OverviewSources): Overview {
  const { reader, decoder } = s;
  const store = storeStatus(reader);
  const empty: Overview = {
    server_time: s.now,
    controls_enabled: s.controlsEnabled,
    store,
    instruments: [],
    portfolio: null,
    equity_curve: [],
    positions: [],
    open_orders: [],
    fills: [],
    books: [],
    trades: [],
    decision: null,
    risk: null,
    alerts: [],
    feed_health: [],
    arbitrage: [],
    headlines: [],
    sentiment: [],
    backtests: [],
    controls: [],
  };
  if (!store.available) return empty;
  return {
    ...empty,
    instruments: readInstruments(reader),
    portfolio: latestPortfolio(reader),
    equity_curve: equityCurve(reader, 2000),
    positions: latestPositions(reader, decoder),
    open_orders: openOrders(reader, decoder),
    fills: recentFills(reader, decoder, 100),
    books: s.books.keys().flatMap((k) => s.books.top(k) ?? []),
    trades: recentTrades(reader, decoder, 30),
    decision: decisionsAfter(reader, -1)[0] ?? null,
    risk: riskAfter(reader, -1)[0] ?? null,
    alerts: alertsAfter(reader, -1, 50),
    feed_health: latestFeedHealth(reader),
    arbitrage: arbitrageAfter(reader, decoder, -1, 30),
    headlines: headlinesAfter(reader, -1, 30),
    sentiment: latestSentiment(reader),
    backtests: backtestReports(reader, 20),
    controls: controlsAfter(reader, -1, 30),
  };
}
