/**
 * The tables the dashboard reads (its store status lists the missing ones).
 *
 * @module
 */

import { STORE_TABLES } from "../store_tables.ts";

/**
 * Tables the dashboard reads; the ones a store lacks are reported and their panels stay empty.
 * Market data, portfolio_state, predictions, news, control_commands and backtest_reports come
 * from the store's migrations; paper_* from the paper trader; feed_health and
 * arbitrage_opportunities from the harvester.
 */
export const DASHBOARD_TABLES = [
  ...STORE_TABLES,
  "control_commands",
  "backtest_reports",
  "paper_runs",
  "paper_orders",
  "paper_fills",
  "paper_positions",
  "paper_risk_events",
  "paper_decisions",
  "feed_health",
  "arbitrage_opportunities",
] as const;
