/**
 * The harvester's own SQLite tables, beside the store's schema: `feed_health`
 * (one row per venue/symbol per health interval) and `arbitrage_opportunities`.
 * Created by the store's migration 5 (sqlite_migrations.ts), and with `IF NOT EXISTS` on a
 * store opened without migrations.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { SQLITE_HARVEST_TABLES } from "../sqlite_migrations.ts";
import type { ArbitrageOpportunity } from "../../../core/trading/strategy/arbitrage.ts";
import { sqliteTransaction } from "../sqlite_transaction.ts";

/** Health figures of one symbol's feed, as stored and logged (snake_case JSON). */
export interface FeedHealthReport {
  venue: string;
  symbol: string;
  msgs: number;
  msgs_per_s: number;
  latency_p50_ms: number | null;
  latency_p99_ms: number | null;
  gaps: number;
  resyncs: number;
  checksum_failures: number;
  crossed: number;
  stale: number;
  stale_resyncs: number;
  synced: boolean;
  age_ms: number | null;
}

/** A health report with the time it was taken. */
export type FeedHealthRow = FeedHealthReport & { time: number };

/** Creates the tables when missing. */
export function ensureHarvestTables(db: DatabaseSync): void {
  db.exec(SQLITE_HARVEST_TABLES);
}

/** Writes health rows in one transaction. */
export function writeFeedHealth(db: DatabaseSync, rows: readonly FeedHealthRow[]): void {
  if (rows.length === 0) return;
  const st = db.prepare(
    `INSERT INTO feed_health (time, venue, symbol, msgs, msgs_per_s, latency_p50_ms, latency_p99_ms,
      gaps, resyncs, checksum_failures, crossed, stale, stale_resyncs, synced, age_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  transaction(db, () => {
    for (const r of rows) {
      st.run(
        Math.round(r.time),
        r.venue,
        r.symbol,
        r.msgs,
        r.msgs_per_s,
        r.latency_p50_ms,
        r.latency_p99_ms,
        r.gaps,
        r.resyncs,
        r.checksum_failures,
        r.crossed,
        r.stale,
        r.stale_resyncs,
        r.synced ? 1 : 0,
        r.age_ms === null ? null : Math.round(r.age_ms),
      );
    }
  });
}

/** Writes closed opportunities in one transaction. */
export function writeArbitrage(db: DatabaseSync, rows: readonly ArbitrageOpportunity[]): void {
  if (rows.length === 0) return;
  const st = db.prepare(
    `INSERT INTO arbitrage_opportunities (symbol, buy_venue, sell_venue, start, end, duration_ms,
      edge_bps_open, edge_bps_max, size_max, buy_price, sell_price, reason)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  transaction(db, () => {
    for (const o of rows) {
      st.run(
        o.symbol,
        o.buy_venue,
        o.sell_venue,
        Math.round(o.start),
        Math.round(o.end),
        Math.round(o.duration_ms),
        o.edge_bps_open,
        o.edge_bps_max,
        o.size_max,
        o.buy_price,
        o.sell_price,
        o.reason,
      );
    }
  });
}

/** Reads health rows, oldest first. */
export function readFeedHealth(db: DatabaseSync): FeedHealthRow[] {
  const rows = db.prepare("SELECT * FROM feed_health ORDER BY id").all() as Record<
    string,
    unknown
  >[];
  return rows.map(({ id: _id, synced, ...r }) => ({ ...r, synced: synced === 1 }) as FeedHealthRow);
}

/** Reads opportunities, oldest first. */
export function readArbitrage(db: DatabaseSync): ArbitrageOpportunity[] {
  const rows = db.prepare("SELECT * FROM arbitrage_opportunities ORDER BY id").all() as Record<
    string,
    unknown
  >[];
  return rows.map(({ id: _id, ...r }) => r as unknown as ArbitrageOpportunity);
}

function transaction(db: DatabaseSync, fn: () => void): void {
  sqliteTransaction(db, fn, "BEGIN");
}
