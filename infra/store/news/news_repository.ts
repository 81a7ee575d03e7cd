/**
 * The {@linkcode NewsRepository} on the SQLite store (the edge's file). The work is synchronous
 * (node:sqlite); the methods return settled promises so callers are the same for both backends.
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { StoredArticle } from "../../../core/news/article.ts";
import type { SourceHealth } from "../../../core/news/source_health.ts";
import type { HourlySentiment } from "../../../core/sentiment/hourly_aggregate.ts";
import type { SentimentScore } from "../../../core/sentiment/sentiment_score.ts";
import { settled } from "../settled.ts";
import { sqliteTransaction } from "../sqlite_transaction.ts";
import { readHourly, recomputeHourRows, scoredHours } from "./hourly_sentiment_table.ts";
import {
  ARTICLE_INSERT_COLUMNS,
  articleValues,
  type InsertResult,
  type NewArticle,
  type NewsRepository,
  type ScoredArticle,
  toArticle,
  toCachedScore,
} from "./news_store.ts";
import { loadAllHealth, loadHealth, saveHealth } from "./source_health_table.ts";

/** The news tables of an open SQLite store migrated to version 3 or later. */
export class SqliteNewsRepository implements NewsRepository {
  /** Always "sqlite". */
  readonly backend = "sqlite";
  readonly #db: DatabaseSync;

  /** @param db An open database migrated to version 3 or later (the caller closes it). */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** {@inheritDoc NewsRepository.insertArticles} */
  insertArticles(
    items: readonly NewArticle[],
    fetchedAt: number,
    titleWindowMs: number,
  ): Promise<InsertResult> {
    return settled(() => {
      const byUrl = this.#db.prepare("SELECT 1 AS x FROM news_articles WHERE url = ?");
      const byTitle = this.#db.prepare(
        "SELECT 1 AS x FROM news_articles WHERE title_hash = ? AND published_at BETWEEN ? AND ? LIMIT 1",
      );
      const insert = this.#db.prepare(
        `INSERT INTO news_articles (${ARTICLE_INSERT_COLUMNS.join(", ")}) VALUES (${
          ARTICLE_INSERT_COLUMNS.map(() => "?").join(", ")
        })`,
      );
      let inserted = 0;
      let duplicateUrl = 0;
      let duplicateTitle = 0;
      sqliteTransaction(this.#db, () => {
        for (const a of items) {
          if (byUrl.get(a.url)) {
            duplicateUrl++;
            continue;
          }
          const [from, to] = [a.publishedAt - titleWindowMs, a.publishedAt + titleWindowMs];
          if (titleWindowMs > 0 && byTitle.get(a.titleHash, from, to)) {
            duplicateTitle++;
            continue;
          }
          insert.run(...articleValues(a, fetchedAt));
          inserted++;
        }
      });
      return { inserted, duplicateUrl, duplicateTitle };
    });
  }

  /** {@inheritDoc NewsRepository.pending} */
  pending(limit: number): Promise<StoredArticle[]> {
    return settled(() =>
      this.#db.prepare("SELECT * FROM news_articles WHERE scored_at IS NULL ORDER BY id LIMIT ?")
        .all(limit).map((r) => toArticle(r as Record<string, unknown>))
    );
  }

  /** {@inheritDoc NewsRepository.pendingCount} */
  pendingCount(): Promise<number> {
    return settled(() =>
      Number(
        this.#db.prepare("SELECT COUNT(*) AS n FROM news_articles WHERE scored_at IS NULL").get()
          ?.n,
      )
    );
  }

  /** {@inheritDoc NewsRepository.saveScore} */
  saveScore(id: number, score: SentimentScore, scoredAt: number, note?: string): Promise<boolean> {
    return settled(() => {
      const r = this.#db.prepare(
        `UPDATE news_articles SET sentiment = ?, confidence = ?, rationale = ?, scorer = ?,
          scored_at = ?, score_note = ? WHERE id = ? AND scored_at IS NULL`,
      ).run(
        score.score,
        score.confidence,
        score.rationale,
        score.scorer,
        scoredAt,
        note ?? null,
        id,
      );
      return Number(r.changes) === 1;
    });
  }

  /** {@inheritDoc NewsRepository.cached} */
  cached(contentHash: string, scorer: string): Promise<SentimentScore | undefined> {
    return settled(() => {
      const r = this.#db.prepare(
        "SELECT score, confidence, rationale FROM news_sentiment_cache WHERE content_hash = ? AND scorer = ?",
      ).get(contentHash, scorer);
      return r ? toCachedScore(r, scorer) : undefined;
    });
  }

  /** {@inheritDoc NewsRepository.putCache} */
  putCache(
    contentHash: string,
    score: SentimentScore,
    latencyMs: number | null,
    now: number,
  ): Promise<void> {
    return settled(() => {
      this.#db.prepare(
        `INSERT OR REPLACE INTO news_sentiment_cache (content_hash, scorer, score, confidence,
          rationale, latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        contentHash,
        score.scorer,
        score.score,
        score.confidence,
        score.rationale,
        latencyMs,
        now,
      );
    });
  }

  /** {@inheritDoc NewsRepository.recomputeHours} */
  recomputeHours(hours: Iterable<number>, now: number): Promise<HourlySentiment[]> {
    return settled(() =>
      sqliteTransaction(this.#db, () => recomputeHourRows(this.#db, hours, now))
    );
  }

  /** {@inheritDoc NewsRepository.scoredHours} */
  scoredHours(): Promise<number[]> {
    return settled(() => scoredHours(this.#db));
  }

  /** {@inheritDoc NewsRepository.hourly} */
  hourly(options: { symbol?: string; limit: number }): Promise<HourlySentiment[]> {
    return settled(() => readHourly(this.#db, options));
  }

  /** {@inheritDoc NewsRepository.recent} */
  recent(options: { limit: number; symbol?: string }): Promise<ScoredArticle[]> {
    return settled(() => {
      const where = options.symbol
        ? "WHERE EXISTS (SELECT 1 FROM json_each(symbols) WHERE value = ?)"
        : "";
      const args: SQLInputValue[] = options.symbol
        ? [options.symbol, options.limit]
        : [options.limit];
      return this.#db.prepare(
        `SELECT * FROM news_articles ${where} ORDER BY published_at DESC, id DESC LIMIT ?`,
      ).all(...args).map((r) => toArticle(r as Record<string, unknown>));
    });
  }

  /** {@inheritDoc NewsRepository.health} */
  health(sourceId: string): Promise<SourceHealth | undefined> {
    return settled(() => loadHealth(this.#db, sourceId));
  }

  /** {@inheritDoc NewsRepository.healthAll} */
  healthAll(): Promise<SourceHealth[]> {
    return settled(() => loadAllHealth(this.#db));
  }

  /** {@inheritDoc NewsRepository.saveHealth} */
  saveHealth(h: SourceHealth): Promise<void> {
    return settled(() => saveHealth(this.#db, h));
  }
}

/** Articles in the store (0 when it has no news tables yet). */
export function storedArticleCount(db: DatabaseSync): number {
  try {
    return Number(db.prepare("SELECT COUNT(*) AS n FROM news_articles").get()?.n);
  } catch {
    return 0;
  }
}
