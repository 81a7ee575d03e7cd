/**
 * The news repository's contract, whatever the backend: the articles, their scores, the
 * sentiment cache, the hourly aggregates and the sources' health records (`news_articles`,
 * `news_sentiment_hourly`, `news_sentiment_cache`, `news_sources`; migrations 2 and 3 of both
 * backends). SQLite implements it in news_repository.ts, PostgreSQL in pg_news_repository.ts;
 * news_contract.ts holds the one test suite both pass.
 *
 * @module
 */

import type { StoredArticle } from "../../../core/news/article.ts";
import type { SourceHealth } from "../../../core/news/source_health.ts";
import type { HourlySentiment, Regime } from "../../../core/sentiment/hourly_aggregate.ts";
import type { SentimentScore } from "../../../core/sentiment/sentiment_score.ts";

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
  /** `titleHash` of the headline. */
  readonly titleHash: string;
  /** `contentHash` of headline and summary. */
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

/**
 * The news tables of one store. Every write is one transaction, so a crash leaves either the
 * old or the new state.
 */
export interface NewsRepository {
  /** "sqlite" or "postgres". */
  readonly backend: string;
  /**
   * Stores new articles, skipping those whose canonical URL is known or whose normalized
   * headline was seen within `titleWindowMs` of its publication time (0 turns the headline
   * check off). Duplicates inside `items` count too.
   */
  insertArticles(
    items: readonly NewArticle[],
    fetchedAt: number,
    titleWindowMs: number,
  ): Promise<InsertResult>;
  /** Articles not scored yet, oldest first (they survive crashes: scoring is a separate step). */
  pending(limit: number): Promise<StoredArticle[]>;
  /** Number of articles not scored yet. */
  pendingCount(): Promise<number>;
  /** Records the score of one article, once; false when it was already scored. */
  saveScore(id: number, score: SentimentScore, scoredAt: number, note?: string): Promise<boolean>;
  /** A cached model judgement of identical text, if any. */
  cached(contentHash: string, scorer: string): Promise<SentimentScore | undefined>;
  /** Caches a model judgement by content hash and scorer (replacing an older one). */
  putCache(
    contentHash: string,
    score: SentimentScore,
    latencyMs: number | null,
    now: number,
  ): Promise<void>;
  /**
   * Recomputes the hourly aggregates of the given UTC hours from every scored article
   * published in them, replacing the hours' rows (idempotent).
   *
   * @returns The new rows.
   */
  recomputeHours(hours: Iterable<number>, now: number): Promise<HourlySentiment[]>;
  /** Every UTC hour (ms) that has at least one scored article, ascending. */
  scoredHours(): Promise<number[]>;
  /** Hourly rows, newest first (then by symbol), optionally of one symbol. */
  hourly(options: { symbol?: string; limit: number }): Promise<HourlySentiment[]>;
  /** Latest articles by publication time (then id), optionally of one symbol. */
  recent(options: { limit: number; symbol?: string }): Promise<ScoredArticle[]>;
  /** The health record of a source, if it was ever tried. */
  health(sourceId: string): Promise<SourceHealth | undefined>;
  /** Every source's health record, by source id. */
  healthAll(): Promise<SourceHealth[]>;
  /** Writes (inserts or replaces) a source's health record. */
  saveHealth(h: SourceHealth): Promise<void>;
}

/** Milliseconds in an hour (hourly aggregates start on UTC hours). */
export const HOUR_MS = 3_600_000;

/** The article columns {@linkcode NewsRepository.insertArticles} writes, in order. */
export const ARTICLE_INSERT_COLUMNS = [
  "url",
  "title_hash",
  "title",
  "source",
  "published_at",
  "fetched_at",
  "symbols",
  "description",
  "content_hash",
  "feed",
] as const;

/** The values of {@linkcode ARTICLE_INSERT_COLUMNS} for one article. */
export function articleValues(a: NewArticle, fetchedAt: number): (string | number | null)[] {
  return [
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
  ];
}

/** The hourly columns {@linkcode NewsRepository.recomputeHours} writes, in order. */
export const HOURLY_INSERT_COLUMNS = [
  "symbol",
  "hour_start",
  "count",
  "mean",
  "weighted_mean",
  "dispersion",
  "regime",
  "scorers",
  "updated_at",
] as const;

/** The values of {@linkcode HOURLY_INSERT_COLUMNS} for one row. */
export function hourlyValues(h: HourlySentiment, now: number): (string | number)[] {
  return [
    h.symbol,
    h.hourStart,
    h.count,
    h.mean,
    h.weightedMean,
    h.dispersion,
    h.regime,
    JSON.stringify(h.scorers),
    now,
  ];
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

/** Reads a stored `news_articles` row. */
export function toArticle(r: Record<string, unknown>): ScoredArticle {
  const sentiment = num(r.sentiment);
  const scorer = str(r.scorer);
  return {
    id: Number(r.id),
    url: String(r.url),
    title: String(r.title),
    description: str(r.description),
    source: String(r.source),
    publishedAt: Number(r.published_at),
    symbols: JSON.parse(String(r.symbols)) as string[],
    contentHash: str(r.content_hash) ?? "",
    feed: str(r.feed),
    scoreNote: str(r.score_note),
    sentiment: sentiment === null || scorer === null ? null : {
      score: sentiment,
      confidence: num(r.confidence) ?? 0,
      rationale: str(r.rationale) ?? "",
      scorer,
    },
  };
}

/** Reads a stored `news_sentiment_hourly` row. */
export function toHourly(r: Record<string, unknown>): HourlySentiment {
  return {
    symbol: String(r.symbol),
    hourStart: Number(r.hour_start),
    count: Number(r.count),
    mean: Number(r.mean),
    weightedMean: Number(r.weighted_mean),
    dispersion: Number(r.dispersion),
    regime: String(r.regime) as Regime,
    scorers: r.scorers ? JSON.parse(String(r.scorers)) as Record<string, number> : {},
  };
}

/** Reads a stored `news_sentiment_cache` row (score, confidence, rationale) of `scorer`. */
export function toCachedScore(r: Record<string, unknown>, scorer: string): SentimentScore {
  return {
    score: Number(r.score),
    confidence: Number(r.confidence),
    rationale: String(r.rationale),
    scorer,
  };
}
