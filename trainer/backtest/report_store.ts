/**
 * Stores a backtest's headline figures in an edge store's `backtest_reports`
 * table (SQLite file or PostgreSQL URL, through infra/store's report repository),
 * where the dashboard's "Backtest reports" panel reads them. One row per backtest:
 * the tested strategy's figures and the best baseline net of fees.
 *
 * @module
 */

import { openReportStore } from "../../infra/store/backtest_report_store.ts";
import type { BacktestResult } from "./run.ts";

export { openReportStore, ReportStoreError } from "../../infra/store/backtest_report_store.ts";

/** The metrics JSON of a report row (numbers, or a name for the best baseline). */
export function reportMetrics(r: BacktestResult): Record<string, number | string | null> {
  const [tested, ...baselines] = r.results;
  if (tested === undefined) throw new RangeError("Cannot summarize a backtest without results");
  let best = baselines[0];
  for (const b of baselines) {
    if (best === undefined || b.net.total_return > best.net.total_return) best = b;
  }
  return {
    net_return: tested.net.total_return,
    gross_return: tested.gross.total_return,
    max_drawdown: tested.net.max_drawdown,
    trades: tested.net.trades,
    fees: tested.net.fees,
    intraday_sharpe: tested.net.intraday_sharpe,
    best_baseline: best?.strategy ?? null,
    best_baseline_net_return: best?.net.total_return ?? null,
  };
}

/**
 * Appends the report of `r` to `backtest_reports` in the store at `path` (file or URL).
 *
 * @param name Report name shown on the dashboard.
 * @param createdAt Creation time, epoch ms.
 * @returns The new row id.
 * @throws {ReportStoreError} See {@linkcode openReportStore}.
 */
export async function storeReport(
  path: string,
  name: string,
  r: BacktestResult,
  createdAt: number,
): Promise<number> {
  const store = await openReportStore(path);
  try {
    const ms = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));
    return await store.reports.append({
      createdAt,
      name,
      strategy: r.strategy,
      periodStart: ms(r.start),
      periodEnd: ms(r.end),
      metrics: reportMetrics(r),
    });
  } finally {
    await store.close();
  }
}
