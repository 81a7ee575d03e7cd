import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import {
  aggregateHourly,
  type HourlySentiment,
  type Regime,
  type ScoredPoint,
} from "../../../core/sentiment/hourly_aggregate.ts";

const HOUR_MS = 3_600_000;

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
  const select = db.prepare(
    `SELECT published_at, symbols, sentiment, confidence, scorer FROM news_articles
      WHERE scored_at IS NOT NULL AND published_at >= ? AND published_at < ?`,
  );
  const del = db.prepare("DELETE FROM news_sentiment_hourly WHERE hour_start = ?");
  const insert = db.prepare(
    `INSERT INTO news_sentiment_hourly (symbol, hour_start, count, mean, weighted_mean, dispersion,
      regime, scorers, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const out: HourlySentiment[] = [];
  for (const hour of new Set(hours)) {
    const rows = select.all(hour, hour + HOUR_MS) as {
      published_at: number;
      symbols: string;
      sentiment: number;
      confidence: number | null;
      scorer: string;
    }[];
    const points: ScoredPoint[] = rows.map((r) => ({
      publishedAt: r.published_at,
      symbols: JSON.parse(r.symbols) as string[],
      score: r.sentiment,
      confidence: r.confidence ?? 0,
      scorer: r.scorer,
    }));
    del.run(hour);
    for (const h of aggregateHourly(points)) {
      insert.run(
        h.symbol,
        h.hourStart,
        h.count,
        h.mean,
        h.weightedMean,
        h.dispersion,
        h.regime,
        JSON.stringify(h.scorers),
        now,
      );
      out.push(h);
    }
  }
  return out;
}

/** Every UTC hour (ms) with at least one scored article. */
export function scoredHours(db: DatabaseSync): number[] {
  return (db.prepare(
    `SELECT DISTINCT (published_at / ${HOUR_MS}) * ${HOUR_MS} AS h FROM news_articles
      WHERE scored_at IS NOT NULL ORDER BY h`,
  ).all() as { h: number }[]).map((r) => r.h);
}

/** Rows of `news_sentiment_hourly`, newest first, optionally of one symbol. */
export function readHourly(
  db: DatabaseSync,
  options: { symbol?: string; limit: number },
): HourlySentiment[] {
  const where = options.symbol ? "WHERE symbol = ?" : "";
  const args: SQLInputValue[] = options.symbol ? [options.symbol, options.limit] : [options.limit];
  const rows = db.prepare(
    `SELECT * FROM news_sentiment_hourly ${where} ORDER BY hour_start DESC, symbol LIMIT ?`,
  ).all(...args) as {
    symbol: string;
    hour_start: number;
    count: number;
    mean: number;
    weighted_mean: number;
    dispersion: number;
    regime: string;
    scorers: string | null;
  }[];
  return rows.map((r) => ({
    symbol: r.symbol,
    hourStart: r.hour_start,
    count: r.count,
    mean: r.mean,
    weightedMean: r.weighted_mean,
    dispersion: r.dispersion,
    regime: r.regime as Regime,
    scorers: r.scorers ? JSON.parse(r.scorers) as Record<string, number> : {},
  }));
}
