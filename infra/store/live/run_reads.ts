/**
 * What `reconcile` reads of a stored paper run: its strategy, its fills in a window, and the
 * times of each book's venue snapshots (resyncs).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** A stored fill as reconcile compares it. */
export interface StoredFill {
  readonly venue: string;
  readonly symbol: string;
  readonly time: number;
  readonly side: string;
  readonly price: number;
  readonly size: number;
  readonly liquidity: string;
}

/** The strategy a paper run traded with, or undefined when there is no such run. */
export function runStrategy(db: DatabaseSync, runId: string): string | undefined {
  const run = db.prepare("SELECT strategy FROM paper_runs WHERE run_id = ?").get(runId) as
    | { strategy: string }
    | undefined;
  return run?.strategy;
}

/** A run's fills with a time in [fromTime, toTime), in fill order. */
export function runFills(
  db: DatabaseSync,
  runId: string,
  fromTime?: number,
  toTime?: number,
): StoredFill[] {
  return (db.prepare(
    `SELECT venue, symbol, time, side, price, size, liquidity FROM paper_fills WHERE run_id = ?${
      fromTime !== undefined ? " AND time >= ?" : ""
    }${toTime !== undefined ? " AND time < ?" : ""} ORDER BY seq`,
  ).all(
    runId,
    ...(fromTime !== undefined ? [fromTime] : []),
    ...(toTime !== undefined ? [toTime] : []),
  ) as Array<Record<string, unknown>>).map((r) => ({
    venue: String(r.venue),
    symbol: String(r.symbol),
    time: Number(r.time),
    side: String(r.side),
    price: Number(r.price),
    size: Number(r.size),
    liquidity: String(r.liquidity),
  }));
}

/** Receive times of a book's stored venue snapshots (each one a sync or resync). */
export function venueSnapshotTimes(db: DatabaseSync, venue: string, symbol: string): number[] {
  return (db.prepare(
    "SELECT receive_time AS t FROM order_books WHERE venue = ? AND symbol = ? AND source = 'venue'",
  ).all(venue, symbol) as Array<{ t: number }>).map((r) => Number(r.t));
}
