import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { HourlySentiment, ScoredPoint } from "../../../core/sentiment/hourly_aggregate.ts";
import { HOUR_MS, HOURLY_INSERT_COLUMNS, hourlyValues, toHourly } from "./news_store.ts";
import { aggregateHourly } from "../../../core/sentiment/hourly_aggregate.ts";

/** Selects the scored articles of one hour: parameters hour start, hour end (exclusive). */
export const SCORED_IN_HOUR_SQL =
  `SELECT published_at, symbols, sentiment, confidence, scorer FROM news_articles
      WHERE scored_at IS NOT NULL AND published_at >= ? AND published_at < ?`;

/** The hourly aggregates of one hour's scored `news_articles` rows (any backend's rows). */
export function aggregateRows(rows: readonly Record<string, unknown>[]): HourlySentiment[] {
  const points: ScoredPoint[] = rows.map((r) => ({
    publishedAt: Number(r.published_at),
    symbols: JSON.parse(String(r.symbols)) as string[],
    score: Number(r.sentiment),
    confidence: r.confidence === null || r.confidence === undefined ? 0 : Number(r.confidence),
    scorer: String(r.scorer),
  }));
  return aggregateHourly(points);
}

/** Inserts one `news_sentiment_hourly` row ({@linkcode HOURLY_INSERT_COLUMNS}). */
export const INSERT_HOURLY_SQL = `INSERT INTO news_sentiment_hourly (${
  HOURLY_INSERT_COLUMNS.join(", ")
}) VALUES (${HOURLY_INSERT_COLUMNS.map(() => "?").join(", ")})`;

/**
 * Replaces the `news_sentiment_hourly` rows of the given UTC hours with aggregates of
 * every scored article published in them. Run it inside a transaction.
 *
 * @returns The new rows.
 */
export function recomputeHourRows(
  db: DatabaseSync,
  hours: Iterable<number>,
  now: number,
): HourlySentiment[] {
  const select = db.prepare(SCORED_IN_HOUR_SQL);
  const del = db.prepare("DELETE FROM news_sentiment_hourly WHERE hour_start = ?");
  const insert = db.prepare(INSERT_HOURLY_SQL);
  const out: HourlySentiment[] = [];
  for (const hour of new Set(hours)) {
    const rows = select.all(hour, hour + HOUR_MS);
    del.run(hour);
    for (const h of aggregateRows(rows)) {
      insert.run(...hourlyValues(h, now));
      out.push(h);
    }
  }
  return out;
}

/** Every UTC hour (ms) with at least one scored article. */
export const SCORED_HOURS_SQL =
  `SELECT DISTINCT (published_at / ${HOUR_MS}) * ${HOUR_MS} AS h FROM news_articles
      WHERE scored_at IS NOT NULL ORDER BY h`;

/** Every UTC hour (ms) with at least one scored article. */
export function scoredHours(db: DatabaseSync): number[] {
  return db.prepare(SCORED_HOURS_SQL).all().map((r) => Number(r.h));
}

/** Rows of `news_sentiment_hourly`, newest first, optionally of one symbol. */
export function readHourly(
  db: DatabaseSync,
  options: { symbol?: string; limit: number },
): HourlySentiment[] {
  const where = options.symbol ? "WHERE symbol = ?" : "";
  const args: SQLInputValue[] = options.symbol ? [options.symbol, options.limit] : [options.limit];
  return db.prepare(
    `SELECT * FROM news_sentiment_hourly ${where} ORDER BY hour_start DESC, symbol LIMIT ?`,
  ).all(...args).map((r) => toHourly(r as Record<string, unknown>));
}
