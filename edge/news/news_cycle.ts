import { canonicalUrl } from "../../core/news/canonical_url.ts";
import type { SymbolTagger } from "../../core/news/symbol_tags.ts";
import { contentHash, titleHash } from "../../core/news/article_hash.ts";
import { NewsSourceError } from "./news_errors.ts";
import type { NewArticle, NewsRepository } from "../../infra/store/news/news_store.ts";
import type { NewsSource, SourceRead } from "./news_sources.ts";
import type { OllamaSentiment } from "./ollama_scorer.ts";
import { scorePending, type ScoringSummary } from "./sentiment_runner.ts";
import { newHealth, recordFailure, recordSuccess } from "../../core/news/source_health.ts";

/** What one cycle needs. */
export interface CycleDeps {
  /** The store. */
  readonly repo: NewsRepository;
  /** Sources to read. */
  readonly sources: readonly NewsSource[];
  /** Symbol tagging by keywords. */
  readonly tagger: SymbolTagger;
  /** The model scorer (absent: lexicon only). */
  readonly llm?: OllamaSentiment | undefined;
  /** Model requests in flight at once. */
  readonly concurrency: number;
  /** Same normalized headline within this window (ms) is a duplicate; 0 = off. */
  readonly titleWindowMs: number;
  /** Clock. */
  readonly now: () => number;
  /** Sleep between in-cycle retries. */
  readonly sleep: (ms: number) => Promise<void>;
  /** Pauses before retrying a retriable failure within the cycle. Default [1000, 3000]. */
  readonly retryDelaysMs?: readonly number[];
  /** Skip scoring (collect only). */
  readonly skipScoring?: boolean;
}

/** What happened to one source in a cycle. */
export interface SourceOutcome {
  /** Source id. */
  readonly id: string;
  /** ok, not_modified, error, rate_limited, or waiting (backoff / interval not over). */
  readonly status: "ok" | "not_modified" | "error" | "rate_limited" | "waiting";
  /** Items read. */
  readonly items: number;
  /** New articles stored. */
  readonly inserted: number;
  /** Items already stored (same URL or headline). */
  readonly duplicates: number;
  /** Items without a usable link. */
  readonly invalid: number;
  /** Warnings of the read. */
  readonly warnings: readonly string[];
  /** The error, when it failed. */
  readonly error?: string;
  /** When the source may be asked next (ms). */
  readonly nextAllowedAt: number;
}

/** The summary of one cycle. */
export interface CycleSummary {
  /** Start (ms). */
  readonly startedAt: number;
  /** End (ms). */
  readonly finishedAt: number;
  /** Per source. */
  readonly sources: readonly SourceOutcome[];
  /** New articles in total. */
  readonly inserted: number;
  /** Scoring (absent with skipScoring). */
  readonly scoring?: ScoringSummary;
  /** Hourly rows rewritten. */
  readonly hourlyRows: number;
  /** Articles still unscored after the cycle. */
  readonly pending: number;
}

const FUTURE_SLACK_MS = 3_600_000;
const INTERVAL_SLACK_MS = 60_000;

/**
 * One collection cycle: read every source whose wait is over (retrying retriable
 * failures a couple of times, but never a 429), store new articles (deduplicated,
 * tagged), update each source's health record, then score pending articles and
 * recompute the affected hourly aggregates. Articles are committed before scoring
 * starts, so a crash in between leaves them pending for the next cycle.
 */
export async function runNewsCycle(deps: CycleDeps): Promise<CycleSummary> {
  const startedAt = deps.now();
  const outcomes: SourceOutcome[] = [];
  for (const source of deps.sources) outcomes.push(await readSource(deps, source));
  const inserted = outcomes.reduce((n, o) => n + o.inserted, 0);
  let scoring: ScoringSummary | undefined;
  let hourlyRows = 0;
  if (!deps.skipScoring) {
    scoring = await scorePending({
      repo: deps.repo,
      llm: deps.llm,
      concurrency: deps.concurrency,
      now: deps.now,
    });
    hourlyRows = (await deps.repo.recomputeHours(scoring.hours, deps.now())).length;
  }
  const pending = await deps.repo.pendingCount();
  return {
    startedAt,
    finishedAt: deps.now(),
    sources: outcomes,
    inserted,
    ...(scoring ? { scoring } : {}),
    hourlyRows,
    pending,
  };
}

async function readSource(deps: CycleDeps, source: NewsSource): Promise<SourceOutcome> {
  const { repo, now } = deps;
  const health = (await repo.health(source.id)) ??
    newHealth(source.id, source.kind, source.location);
  const empty = { items: 0, inserted: 0, duplicates: 0, invalid: 0, warnings: [] };
  if (now() < health.nextAllowedAt) {
    return { id: source.id, status: "waiting", ...empty, nextAllowedAt: health.nextAllowedAt };
  }
  const minIntervalMs = Math.max(0, source.minIntervalMs - INTERVAL_SLACK_MS);
  const at = now();
  const delays = deps.retryDelaysMs ?? [1000, 3000];
  let read: SourceRead | undefined;
  let error: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await deps.sleep(delays[attempt - 1]!);
    try {
      read = await source.read(health);
      break;
    } catch (e) {
      error = e;
      const retriable = e instanceof NewsSourceError && e.retriable && e.status !== 429 &&
        e.retryAfterMs === undefined;
      if (!retriable) break;
    }
  }
  if (!read) {
    const e = error instanceof NewsSourceError
      ? error
      : new NewsSourceError(source.id, String(error), { cause: error });
    const message = e.message.startsWith(`${source.id}: `)
      ? e.message.slice(source.id.length + 2)
      : e.message;
    const next = recordFailure(health, {
      at,
      latencyMs: now() - at,
      error: message,
      retryAfterMs: e.retryAfterMs,
      rateLimited: e.status === 429,
      minIntervalMs,
    });
    await repo.saveHealth(next);
    return {
      id: source.id,
      status: next.lastStatus === "rate_limited" ? "rate_limited" : "error",
      ...empty,
      error: message,
      nextAllowedAt: next.nextAllowedAt,
    };
  }
  const fetchedAt = now();
  let invalid = 0;
  const articles: NewArticle[] = [];
  for (const item of read.items) {
    const url = canonicalUrl(item.link);
    if (!url) {
      invalid++;
      continue;
    }
    const published = item.publishedAt;
    const publishedAt = published === undefined || published > fetchedAt + FUTURE_SLACK_MS
      ? fetchedAt
      : Math.floor(published);
    articles.push({
      url,
      title: item.title,
      ...(item.description !== undefined ? { description: item.description } : {}),
      publisher: item.publisher,
      publishedAt,
      feed: source.id,
      symbols: deps.tagger.tag(item.title, item.description),
      titleHash: titleHash(item.title, item.publisher),
      contentHash: contentHash(item.title, item.description),
    });
  }
  const result = await repo.insertArticles(articles, fetchedAt, deps.titleWindowMs);
  const next = recordSuccess(health, {
    at,
    latencyMs: now() - at,
    notModified: read.notModified,
    items: read.items.length,
    inserted: result.inserted,
    warnings: read.warnings,
    ...(read.etag !== undefined ? { etag: read.etag } : {}),
    ...(read.lastModified !== undefined ? { lastModified: read.lastModified } : {}),
    ...(read.cursorAt !== undefined ? { cursorAt: read.cursorAt } : {}),
    minIntervalMs,
  });
  await repo.saveHealth(next);
  return {
    id: source.id,
    status: read.notModified ? "not_modified" : "ok",
    items: read.items.length,
    inserted: result.inserted,
    duplicates: result.duplicateUrl + result.duplicateTitle,
    invalid,
    warnings: read.warnings,
    nextAllowedAt: next.nextAllowedAt,
  };
}
