/**
 * Stores a backtest's headline figures in an edge SQLite store's
 * `backtest_reports` table (created by the edge's store migrations), where the
 * dashboard's "Backtest reports" panel reads them. One row per backtest: the
 * tested strategy's figures and the best baseline net of fees.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import type { BacktestResult } from "./run.ts";

/** Error for a store that cannot take a report. */
export class ReportStoreError extends Error {
  /** @param path The store. @param why What is wrong. */
  constructor(path: string, why: string) {
    super(`Cannot store the backtest report in ${path}: ${why}`);
    this.name = "ReportStoreError";
  }
}

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
 * Opens the SQLite store at `path` and checks it has `backtest_reports`
 * (call it before a long backtest to fail early; close the result).
 *
 * @throws {ReportStoreError} When the store cannot be opened or has no `backtest_reports`.
 */
export function openReportStore(path: string): DatabaseSync {
  let db: DatabaseSync;
  try {
    Deno.statSync(path); // never create a store here
    db = new DatabaseSync(path, { timeout: 5_000 }); // a running edge holds short write locks
  } catch (e) {
    throw new ReportStoreError(path, (e as Error).message);
  }
  let has: unknown;
  try {
    has = db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'backtest_reports'",
    ).get();
  } catch (e) {
    db.close();
    throw new ReportStoreError(path, `not an SQLite store (${(e as Error).message})`);
  }
  if (has === undefined) {
    db.close();
    throw new ReportStoreError(
      path,
      "it has no backtest_reports table (it is not an edge store: run `deno task db:migrate` for the store config.yaml names, or any edge command on it)",
    );
  }
  return db;
}

/**
 * Appends the report of `r` to `backtest_reports` in the SQLite store at `path`.
 *
 * @param name Report name shown on the dashboard.
 * @param createdAt Creation time, epoch ms.
 * @returns The new row id.
 * @throws {ReportStoreError} See {@linkcode openReportStore}.
 */
export function storeReport(
  path: string,
  name: string,
  r: BacktestResult,
  createdAt: number,
): number {
  const db = openReportStore(path);
  try {
    const ms = (iso: string | null) => (iso === null ? 0 : Date.parse(iso));
    let row: unknown;
    try {
      row = db.prepare(
        `INSERT INTO backtest_reports (created_at, name, strategy, period_start, period_end, metrics)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
      ).get(createdAt, name, r.strategy, ms(r.start), ms(r.end), JSON.stringify(reportMetrics(r)));
    } catch (e) {
      throw new ReportStoreError(path, (e as Error).message);
    }
    return Number((row as { id: number }).id);
  } finally {
    db.close();
  }
}
