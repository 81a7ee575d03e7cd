import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { StoredArticle } from "../../../core/news/article.ts";
import type { HourlySentiment } from "../../../core/sentiment/hourly_aggregate.ts";
import type { SentimentScore } from "../../../core/sentiment/sentiment_score.ts";
import { readHourly, recomputeHourRows, scoredHours } from "./hourly_sentiment_table.ts";
import type { SourceHealth } from "../../../core/news/source_health.ts";
import { loadAllHealth, loadHealth, saveHealth } from "./source_health_table.ts";
import { sqliteTransaction } from "../sqlite_transaction.ts";

/** An article ready to store. */
export interface NewArticle {
  /** Canonical URL (identity). */
  readonly url: string;
  /** Headline as received. */
  readonly title: string;
  /** Summary as received (bounded), if any. */
  readonly description?: string;
  /** Publisher. */
  readonly publisher: string;
  /** Publication time (ms). */
  readonly publishedAt: number;
  /** Collector source id. */
  readonly feed: string;
  /** Symbols the article concerns. */
  readonly symbols: readonly string[];
  /** {@linkcode titleHash} of the headline. */
  readonly titleHash: string;
  /** {@linkcode contentHash} of headline and summary. */
  readonly contentHash: string;
}

/** What {@linkcode NewsRepository.insertArticles} did. */
export interface InsertResult {
  /** New rows. */
  readonly inserted: number;
  /** Skipped: canonical URL already stored. */
  readonly duplicateUrl: number;
  /** Skipped: same normalized headline within the window. */
  readonly duplicateTitle: number;
}

/** A stored article with its score, for display. */
export interface ScoredArticle extends StoredArticle {
  /** Score, confidence, rationale and scorer; null until scored. */
  readonly sentiment: SentimentScore | null;
  /** Collector source id. */
  readonly feed: string | null;
  /** Why the fallback scorer was used, if it was. */
  readonly scoreNote: string | null;
}

interface ArticleRow {
  id: number;
  url: string;
  title: string;
  description: string | null;
  source: string;
  published_at: number;
  symbols: string;
  content_hash: string | null;
  feed: string | null;
  sentiment: number | null;
  confidence: number | null;
  rationale: string | null;
  scorer: string | null;
  score_note: string | null;
}

function toArticle(r: ArticleRow): ScoredArticle {
  return {
    id: r.id,
    url: r.url,
    title: r.title,
    description: r.description,
    source: r.source,
    publishedAt: r.published_at,
    symbols: JSON.parse(r.symbols) as string[],
    contentHash: r.content_hash ?? "",
    feed: r.feed,
    scoreNote: r.score_note,
    sentiment: r.sentiment === null || r.scorer === null ? null : {
      score: r.sentiment,
      confidence: r.confidence ?? 0,
      rationale: r.rationale ?? "",
      scorer: r.scorer,
    },
  };
}

/**
 * The news tables of the SQLite store (`news_articles`, `news_sentiment_hourly`,
 * `news_sources`, `news_sentiment_cache`; migrations 2 and 3). Every write is one
 * transaction, so a crash leaves either the old or the new state.
 */
export class NewsRepository {
  readonly #db: DatabaseSync;

  /** @param db An open database migrated to version 3 or later. */
  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Stores new articles, skipping those whose canonical URL is known or whose
   * normalized headline was seen within `titleWindowMs` of its publication time
   * (0 turns the headline check off). Duplicates inside `items` count too.
   */
  insertArticles(
    items: readonly NewArticle[],
    fetchedAt: number,
    titleWindowMs: number,
  ): InsertResult {
    const byUrl = this.#db.prepare("SELECT 1 AS x FROM news_articles WHERE url = ?");
    const byTitle = this.#db.prepare(
      "SELECT 1 AS x FROM news_articles WHERE title_hash = ? AND published_at BETWEEN ? AND ? LIMIT 1",
    );
    const insert = this.#db.prepare(
      `INSERT INTO news_articles (url, title_hash, title, source, published_at, fetched_at, symbols,
        description, content_hash, feed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let inserted = 0;
    let duplicateUrl = 0;
    let duplicateTitle = 0;
    this.#transaction(() => {
      for (const a of items) {
        if (byUrl.get(a.url)) {
          duplicateUrl++;
          continue;
        }
        if (
          titleWindowMs > 0 &&
          byTitle.get(a.titleHash, a.publishedAt - titleWindowMs, a.publishedAt + titleWindowMs)
        ) {
          duplicateTitle++;
          continue;
        }
        insert.run(
          a.url,
          a.titleHash,
          a.title,
          a.publisher,
          a.publishedAt,
          fetchedAt,
          JSON.stringify(a.symbols),
          a.description ?? null,
          a.contentHash,
          a.feed,
        );
        inserted++;
      }
    });
    return { inserted, duplicateUrl, duplicateTitle };
  }

  /** Articles not scored yet, oldest first (they survive crashes: scoring is a separate step). */
  pending(limit: number): StoredArticle[] {
    const rows = this.#db.prepare(
      "SELECT * FROM news_articles WHERE scored_at IS NULL ORDER BY id LIMIT ?",
    ).all(limit) as unknown as ArticleRow[];
    return rows.map(toArticle);
  }

  /** Number of articles not scored yet. */
  pendingCount(): number {
    return (this.#db.prepare("SELECT COUNT(*) AS n FROM news_articles WHERE scored_at IS NULL")
      .get() as { n: number }).n;
  }

  /**
   * Records the score of one article, once: an article already scored keeps its score.
   *
   * @returns Whether the row was updated.
   */
  saveScore(id: number, score: SentimentScore, scoredAt: number, note?: string): boolean {
    const r = this.#db.prepare(
      `UPDATE news_articles SET sentiment = ?, confidence = ?, rationale = ?, scorer = ?,
        scored_at = ?, score_note = ? WHERE id = ? AND scored_at IS NULL`,
    ).run(score.score, score.confidence, score.rationale, score.scorer, scoredAt, note ?? null, id);
    return Number(r.changes) === 1;
  }

  /** A cached model judgement of identical text, if any. */
  cached(contentHash: string, scorer: string): SentimentScore | undefined {
    const r = this.#db.prepare(
      "SELECT score, confidence, rationale FROM news_sentiment_cache WHERE content_hash = ? AND scorer = ?",
    ).get(contentHash, scorer) as
      | { score: number; confidence: number; rationale: string }
      | undefined;
    return r ? { ...r, scorer } : undefined;
  }

  /** Caches a model judgement by content hash and scorer. */
  putCache(
    contentHash: string,
    score: SentimentScore,
    latencyMs: number | null,
    now: number,
  ): void {
    this.#db.prepare(
      `INSERT OR REPLACE INTO news_sentiment_cache (content_hash, scorer, score, confidence, rationale,
        latency_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      contentHash,
      score.scorer,
      score.score,
      score.confidence,
      score.rationale,
      latencyMs,
      now,
    );
  }

  /**
   * Recomputes the hourly aggregates of the given UTC hours from every scored article
   * published in them, replacing the hours' rows (idempotent: the same articles give
   * the same rows; late articles simply change the hour's rows).
   *
   * @returns The new rows.
   */
  recomputeHours(hours: Iterable<number>, now: number): HourlySentiment[] {
    const out: HourlySentiment[] = [];
    this.#transaction(() => out.push(...recomputeHourRows(this.#db, hours, now)));
    return out;
  }

  /** Every hour that has at least one scored article. */
  scoredHours(): number[] {
    return scoredHours(this.#db);
  }

  /** Hourly rows, newest first. */
  hourly(options: { symbol?: string; limit: number }): HourlySentiment[] {
    return readHourly(this.#db, options);
  }

  /** Latest articles by publication time, optionally of one symbol. */
  recent(options: { limit: number; symbol?: string }): ScoredArticle[] {
    const where = options.symbol
      ? "WHERE EXISTS (SELECT 1 FROM json_each(symbols) WHERE value = ?)"
      : "";
    const args: SQLInputValue[] = options.symbol
      ? [options.symbol, options.limit]
      : [options.limit];
    const rows = this.#db.prepare(
      `SELECT * FROM news_articles ${where} ORDER BY published_at DESC, id DESC LIMIT ?`,
    ).all(...args) as unknown as ArticleRow[];
    return rows.map(toArticle);
  }

  /** The health record of a source, if it was ever tried. */
  health(sourceId: string): SourceHealth | undefined {
    return loadHealth(this.#db, sourceId);
  }

  /** Every source's health record. */
  healthAll(): SourceHealth[] {
    return loadAllHealth(this.#db);
  }

  /** Writes a source's health record. */
  saveHealth(h: SourceHealth): void {
    saveHealth(this.#db, h);
  }

  #transaction(fn: () => void): void {
    sqliteTransaction(this.#db, fn);
  }
}

/** Articles in the store (0 when it has no news tables yet). */
export function storedArticleCount(db: DatabaseSync): number {
  try {
    return Number((db.prepare("SELECT COUNT(*) AS n FROM news_articles").get() as { n: number }).n);
  } catch {
    return 0;
  }
}
