import { DASHBOARD_TABLES } from "../../infra/store/dashboard/dashboard_tables.ts";
import {
  type PortfolioCaps,
  portfolioStreams,
  type PortfolioStreamsView,
} from "./portfolio_streams.ts";
import type { LiveBooks } from "../live/live_books.ts";
import type { Overview, StoreStatus } from "../live/types.ts";
import type { Decoder } from "../../infra/store/dashboard/decoder.ts";
import { readInstruments } from "../../infra/store/dashboard/decoder.ts";
import { latestDecision } from "../../infra/store/dashboard/decision_queries.ts";
import {
  arbitrageAfter,
  backtestReports,
  headlinesAfter,
  latestFeedHealth,
  latestSentiment,
  recentTrades,
} from "../../infra/store/dashboard/market_queries.ts";
import {
  alertsAfter,
  type RiskLimitsView,
  riskView,
} from "../../infra/store/dashboard/risk_queries.ts";
import type { DashboardReader } from "../../infra/store/dashboard/store_reader.ts";
import {
  activeRun,
  controlsAfter,
  equityCurve,
  latestPortfolio,
  openOrders,
  positions,
  recentFills,
} from "../../infra/store/dashboard/trading_queries.ts";

export { DASHBOARD_TABLES };

/** Limits from config.yaml the views compare against. */
export interface DashboardLimits extends RiskLimitsView {
  /** A feed older than this is stale, ms (config `risk.stale_after_s`). */
  stale_after_ms: number;
  /** Traded streams (config `trading.streams`), shown in the portfolio before their first fill. */
  traded_streams?: { venue: string; symbol: string }[];
  /** Portfolio caps (config `trading.portfolio`). */
  portfolio_caps?: PortfolioCaps;
}

/** The portfolio view of the active run (positions, exposure and P&L per stream and in total). */
export async function portfolioOf(
  reader: DashboardReader,
  decoder: Decoder,
  runId: string | null,
  books: LiveBooks,
  limits: DashboardLimits,
): Promise<PortfolioStreamsView> {
  return portfolioStreams(
    await positions(reader, decoder, runId, (k) => books.top(k)?.mid, true),
    (await latestPortfolio(reader))?.equity ?? null,
    limits.traded_streams ?? [],
    limits.portfolio_caps ?? null,
  );
}

/** The limits of the shipped config.yaml, for tests and tools. */
export const DEFAULT_LIMITS: DashboardLimits = {
  max_drawdown: 0.15,
  daily_loss_limit: 0.05,
  stale_after_ms: 5000,
};

/** Whether the store is readable, which dashboard tables it lacks, and the active run. */
export async function storeStatus(reader: DashboardReader): Promise<StoreStatus> {
  if (!(await reader.available())) {
    return {
      available: false,
      error: reader.lastError,
      missing_tables: [...DASHBOARD_TABLES],
      run_id: null,
    };
  }
  const missing: string[] = [];
  for (const t of DASHBOARD_TABLES) if (!(await reader.hasTable(t))) missing.push(t);
  return {
    available: true,
    error: null,
    missing_tables: missing,
    run_id: await activeRun(reader),
  };
}

/** Inputs of {@linkcode buildOverview}. */
export interface OverviewSources {
  /** The store. */
  reader: DashboardReader;
  /** Decoder of the store's instruments. */
  decoder: Decoder;
  /** The live books (tops, mids). */
  books: LiveBooks;
  /** Configured limits. */
  limits: DashboardLimits;
  /** Whether controls are enabled. */
  controlsEnabled: boolean;
  /** Current time, ms. */
  now: number;
}

/** Everything the page shows on load, from the store's current state. */
export async function buildOverview(s: OverviewSources): Promise<Overview> {
  const { reader, decoder } = s;
  const store = await storeStatus(reader);
  const empty: Overview = {
    server_time: s.now,
    controls_enabled: s.controlsEnabled,
    store,
    instruments: [],
    portfolio: null,
    equity_curve: [],
    positions: [],
    portfolio_streams: portfolioStreams([], null, s.limits.traded_streams ?? [], null),
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
  const run = store.run_id;
  return {
    ...empty,
    instruments: await readInstruments(reader),
    portfolio: await latestPortfolio(reader),
    equity_curve: await equityCurve(reader, run, 2000),
    positions: await positions(reader, decoder, run, (k) => s.books.top(k)?.mid),
    portfolio_streams: await portfolioOf(reader, decoder, run, s.books, s.limits),
    open_orders: await openOrders(reader, decoder, run),
    fills: await recentFills(reader, decoder, run, 100),
    books: s.books.keys().flatMap((k) => s.books.top(k) ?? []),
    trades: await recentTrades(reader, decoder, 30),
    decision: await latestDecision(reader),
    risk: await riskView(reader, run, s.limits),
    alerts: await alertsAfter(reader, -1, 50),
    feed_health: await latestFeedHealth(reader, s.limits.stale_after_ms),
    arbitrage: await arbitrageAfter(reader, -1, 30),
    headlines: await headlinesAfter(reader, -1, 30),
    sentiment: await latestSentiment(reader),
    backtests: await backtestReports(reader, 20),
    controls: await controlsAfter(reader, -1, 30),
  };
}
