/**
 * The {@linkcode NewsRepository} on a PostgreSQL store (the tables of pg_migrations.ts
 * versions 2 and 3), on the store's client pool. Writes run in one transaction each, like
 * SQLite's; an article whose URL another writer stored meanwhile counts as a duplicate URL.
 *
 * @module
 */

import type postgres from "postgres";
import type { StoredArticle } from "../../../core/news/article.ts";
import type { SourceHealth } from "../../../core/news/source_health.ts";
import type { HourlySentiment } from "../../../core/sentiment/hourly_aggregate.ts";
import type { SentimentScore } from "../../../core/sentiment/sentiment_score.ts";
import { aggregateRows, SCORED_HOURS_SQL, SCORED_IN_HOUR_SQL } from "./hourly_sentiment_table.ts";
import {
  ARTICLE_INSERT_COLUMNS,
  articleValues,
  HOUR_MS,
  HOURLY_INSERT_COLUMNS,
  hourlyValues,
  type InsertResult,
  type NewArticle,
  type NewsRepository,
  type ScoredArticle,
  toArticle,
  toCachedScore,
  toHourly,
} from "./news_store.ts";
import { fromHealthRow, HEALTH_COLUMNS } from "./source_health_table.ts";

type Rows = Record<string, unknown>[];
type Query = (text: string, params?: unknown[]) => Promise<Rows>;

/** `?` placeholders as PostgreSQL's `$1`, `$2`, … (for statements shared with SQLite). */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const placeholders = (n: number) => Array.from({ length: n }, (_, i) => `$${i + 1}`).join(", ");

const INSERT_ARTICLE = `INSERT INTO news_articles (${ARTICLE_INSERT_COLUMNS.join(", ")})
  VALUES (${
  placeholders(ARTICLE_INSERT_COLUMNS.length)
}) ON CONFLICT (url) DO NOTHING RETURNING id`;
const INSERT_HOURLY = `INSERT INTO news_sentiment_hourly (${HOURLY_INSERT_COLUMNS.join(", ")})
  VALUES (${placeholders(HOURLY_INSERT_COLUMNS.length)})`;
const HEALTH_NAMES = HEALTH_COLUMNS.map(([, c]) => c);
const SAVE_HEALTH = `INSERT INTO news_sources (${HEALTH_NAMES.join(", ")})
  VALUES (${placeholders(HEALTH_NAMES.length)}) ON CONFLICT (source_id) DO UPDATE SET ${
  HEALTH_NAMES.filter((c) => c !== "source_id").map((c) => `${c} = EXCLUDED.${c}`).join(", ")
}`;

function querier(sql: postgres.Sql | postgres.TransactionSql): Query {
  return async (text, params = []) => (await sql.unsafe(text, params as never)) as unknown as Rows;
}

/** The news tables of a PostgreSQL store (the caller owns and ends `sql`). */
export class PgNewsRepository implements NewsRepository {
  /** Always "postgres". */
  readonly backend = "postgres";
  readonly #sql: postgres.Sql;
  readonly #q: Query;

  /** @param sql A client on a schema migrated to version 3 or later. */
  constructor(sql: postgres.Sql) {
    this.#sql = sql;
    this.#q = querier(sql);
  }

  async #transaction<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    return (await this.#sql.begin((tx) => fn(querier(tx)))) as T;
  }

  /** {@inheritDoc NewsRepository.insertArticles} */
  insertArticles(
    items: readonly NewArticle[],
    fetchedAt: number,
    titleWindowMs: number,
  ): Promise<InsertResult> {
    return this.#transaction(async (q) => {
      let inserted = 0;
      let duplicateUrl = 0;
      let duplicateTitle = 0;
      for (const a of items) {
        if ((await q("SELECT 1 FROM news_articles WHERE url = $1", [a.url])).length > 0) {
          duplicateUrl++;
          continue;
        }
        if (
          titleWindowMs > 0 &&
          (await q(
              "SELECT 1 FROM news_articles WHERE title_hash = $1 AND published_at BETWEEN $2 AND $3 LIMIT 1",
              [a.titleHash, a.publishedAt - titleWindowMs, a.publishedAt + titleWindowMs],
            )).length > 0
        ) {
          duplicateTitle++;
          continue;
        }
        if ((await q(INSERT_ARTICLE, articleValues(a, fetchedAt))).length === 1) inserted++;
        else duplicateUrl++;
      }
      return { inserted, duplicateUrl, duplicateTitle };
    });
  }

  /** {@inheritDoc NewsRepository.pending} */
  async pending(limit: number): Promise<StoredArticle[]> {
    const rows = await this.#q(
      "SELECT * FROM news_articles WHERE scored_at IS NULL ORDER BY id LIMIT $1",
      [limit],
    );
    return rows.map(toArticle);
  }

  /** {@inheritDoc NewsRepository.pendingCount} */
  async pendingCount(): Promise<number> {
    const [r] = await this.#q("SELECT COUNT(*) AS n FROM news_articles WHERE scored_at IS NULL");
    return Number(r?.n);
  }

  /** {@inheritDoc NewsRepository.saveScore} */
  async saveScore(
    id: number,
    score: SentimentScore,
    scoredAt: number,
    note?: string,
  ): Promise<boolean> {
    const rows = await this.#q(
      `UPDATE news_articles SET sentiment = $1, confidence = $2, rationale = $3, scorer = $4,
        scored_at = $5, score_note = $6 WHERE id = $7 AND scored_at IS NULL RETURNING id`,
      [score.score, score.confidence, score.rationale, score.scorer, scoredAt, note ?? null, id],
    );
    return rows.length === 1;
  }

  /** {@inheritDoc NewsRepository.cached} */
  async cached(contentHash: string, scorer: string): Promise<SentimentScore | undefined> {
    const [r] = await this.#q(
      "SELECT score, confidence, rationale FROM news_sentiment_cache WHERE content_hash = $1 AND scorer = $2",
      [contentHash, scorer],
    );
    return r ? toCachedScore(r, scorer) : undefined;
  }

  /** {@inheritDoc NewsRepository.putCache} */
  async putCache(
    contentHash: string,
    score: SentimentScore,
    latencyMs: number | null,
    now: number,
  ): Promise<void> {
    await this.#q(
      `INSERT INTO news_sentiment_cache (content_hash, scorer, score, confidence, rationale,
        latency_ms, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (content_hash, scorer) DO UPDATE SET score = EXCLUDED.score,
        confidence = EXCLUDED.confidence, rationale = EXCLUDED.rationale,
        latency_ms = EXCLUDED.latency_ms, created_at = EXCLUDED.created_at`,
      [contentHash, score.scorer, score.score, score.confidence, score.rationale, latencyMs, now],
    );
  }

  /** {@inheritDoc NewsRepository.recomputeHours} */
  recomputeHours(hours: Iterable<number>, now: number): Promise<HourlySentiment[]> {
    const unique = [...new Set(hours)];
    return this.#transaction(async (q) => {
      const out: HourlySentiment[] = [];
      for (const hour of unique) {
        const rows = await q(numbered(SCORED_IN_HOUR_SQL), [hour, hour + HOUR_MS]);
        await q("DELETE FROM news_sentiment_hourly WHERE hour_start = $1", [hour]);
        for (const h of aggregateRows(rows)) {
          await q(INSERT_HOURLY, hourlyValues(h, now));
          out.push(h);
        }
      }
      return out;
    });
  }

  /** {@inheritDoc NewsRepository.scoredHours} */
  async scoredHours(): Promise<number[]> {
    return (await this.#q(SCORED_HOURS_SQL)).map((r) => Number(r.h));
  }

  /** {@inheritDoc NewsRepository.hourly} */
  async hourly(options: { symbol?: string; limit: number }): Promise<HourlySentiment[]> {
    const rows = options.symbol
      ? await this.#q(
        `SELECT * FROM news_sentiment_hourly WHERE symbol = $1 ORDER BY hour_start DESC, symbol COLLATE "C" LIMIT $2`,
        [options.symbol, options.limit],
      )
      : await this.#q(
        `SELECT * FROM news_sentiment_hourly ORDER BY hour_start DESC, symbol COLLATE "C" LIMIT $1`,
        [options.limit],
      );
    return rows.map(toHourly);
  }

  /** {@inheritDoc NewsRepository.recent} */
  async recent(options: { limit: number; symbol?: string }): Promise<ScoredArticle[]> {
    const rows = options.symbol
      ? await this.#q(
        `SELECT * FROM news_articles WHERE EXISTS (SELECT 1 FROM jsonb_array_elements_text(symbols::jsonb) AS s(v)
          WHERE s.v = $1) ORDER BY published_at DESC, id DESC LIMIT $2`,
        [options.symbol, options.limit],
      )
      : await this.#q("SELECT * FROM news_articles ORDER BY published_at DESC, id DESC LIMIT $1", [
        options.limit,
      ]);
    return rows.map(toArticle);
  }

  /** {@inheritDoc NewsRepository.health} */
  async health(sourceId: string): Promise<SourceHealth | undefined> {
    const [r] = await this.#q("SELECT * FROM news_sources WHERE source_id = $1", [sourceId]);
    return r ? fromHealthRow(r) : undefined;
  }

  /** {@inheritDoc NewsRepository.healthAll} */
  async healthAll(): Promise<SourceHealth[]> {
    return (await this.#q(`SELECT * FROM news_sources ORDER BY source_id COLLATE "C"`)).map(
      fromHealthRow,
    );
  }

  /** {@inheritDoc NewsRepository.saveHealth} */
  async saveHealth(h: SourceHealth): Promise<void> {
    await this.#q(SAVE_HEALTH, HEALTH_COLUMNS.map(([k]) => h[k] ?? null));
  }
}
