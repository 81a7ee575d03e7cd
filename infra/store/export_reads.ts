/**
 * What `export-data` reads from an SQLite store besides market events: the streams that have
 * events, the hourly sentiment aggregates, and whole tables (e.g. `predictions`) as rows.
 *
 * @module
 */

import type { HourlySentiment } from "../../core/features/sentiment.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import type { SqliteStore } from "./sqlite_store.ts";

/** A stream with events in the store. */
export interface StoredStream {
  readonly venue: VenueId;
  readonly symbol: string;
  /** Ingest sequence of its first event. */
  readonly first: number;
}

/** Hourly sentiment aggregates (`weighted_mean` is the score), oldest first. */
export function storedSentiment(store: SqliteStore): HourlySentiment[] {
  const rows = store.db.prepare(
    "SELECT symbol, hour_start, weighted_mean, count FROM news_sentiment_hourly ORDER BY hour_start",
  ).all() as { symbol: string; hour_start: number; weighted_mean: number; count: number }[];
  return rows.map((r) => ({
    symbol: r.symbol,
    hourStart: r.hour_start,
    score: r.weighted_mean,
    count: r.count,
  }));
}

/** Streams that have book or trade events in the store, in order of their first event. */
export function streamsInStore(store: SqliteStore): StoredStream[] {
  return store.db.prepare(`
SELECT venue, symbol, MIN(seq) AS first FROM (
  SELECT venue, symbol, seq FROM trades
  UNION ALL SELECT venue, symbol, seq FROM book_deltas
  UNION ALL SELECT venue, symbol, seq FROM order_books WHERE source = 'venue'
) GROUP BY venue, symbol ORDER BY first`).all() as unknown as StoredStream[];
}

/** The tables `export-data` dumps whole, with their time column. */
export const EXPORTED_TABLES = { predictions: "timestamp" } as const;

/**
 * All columns and rows of an exported table ordered by its time column, filtered by the
 * query's times.
 */
export function tableRows(
  store: SqliteStore,
  table: keyof typeof EXPORTED_TABLES,
  query: { fromTime?: number; toTime?: number },
): { columns: string[]; rows: Record<string, unknown>[] } {
  const timeColumn = EXPORTED_TABLES[table];
  const columns = (store.db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[])
    .map((c) => c.name);
  const where: string[] = [];
  const params: number[] = [];
  if (query.fromTime !== undefined) {
    where.push(`${timeColumn} >= ?`);
    params.push(query.fromTime);
  }
  if (query.toTime !== undefined) {
    where.push(`${timeColumn} < ?`);
    params.push(query.toTime);
  }
  const sql = `SELECT * FROM ${table} ${
    where.length ? `WHERE ${where.join(" AND ")}` : ""
  } ORDER BY ${timeColumn}, rowid`;
  return { columns, rows: store.db.prepare(sql).all(...params) as Record<string, unknown>[] };
}
