import type { StoredArticle } from "../../core/news/article.ts";
import { hourStart } from "../../core/sentiment/hourly_aggregate.ts";
import { lexiconScore } from "../../core/sentiment/lexicon_scorer.ts";
import type { SentimentScore } from "../../core/sentiment/sentiment_score.ts";
import { OllamaReplyError, OllamaUnavailableError } from "./news_errors.ts";
import type { NewsRepository } from "../../infra/store/news/news_store.ts";
import type { OllamaSentiment } from "./ollama_scorer.ts";

/** Options of {@linkcode scorePending}. */
export interface ScoringOptions {
  /** The store. */
  readonly repo: NewsRepository;
  /** The model scorer; without it every article gets the lexicon. */
  readonly llm?: OllamaSentiment | undefined;
  /** Model requests in flight at once. */
  readonly concurrency: number;
  /** Clock. */
  readonly now: () => number;
  /** Articles read from the store per round. Default 100. */
  readonly batchSize?: number;
  /** After this many model failures in a row, use the lexicon for the rest of the run. Default 3. */
  readonly maxConsecutiveFailures?: number;
}

/** What a scoring run did. */
export interface ScoringSummary {
  /** Articles scored. */
  readonly scored: number;
  /** Articles per scorer id. */
  readonly byScorer: Record<string, number>;
  /** Model scores reused from the cache. */
  readonly cached: number;
  /** Articles scored by the lexicon although a model was configured. */
  readonly fallbacks: number;
  /** Model state at the end: "off" (none configured), "up" or "down". */
  readonly llm: "off" | "up" | "down";
  /** Why the model was not (or no longer) used. */
  readonly llmNote?: string;
  /** Wall time of each successful model request (ms). */
  readonly llmLatencyMs: number[];
  /** UTC hours (ms) whose aggregates need recomputing. */
  readonly hours: number[];
}

/**
 * Scores every article not scored yet, oldest first, and saves each score as soon as
 * it is known (a crash loses at most the articles in flight; they stay pending and are
 * scored on the next run). With a model configured: identical text is answered from
 * the cache, otherwise the model is asked with bounded concurrency. When the host is
 * unreachable, the model missing, or it keeps failing, the lexicon scores the rest
 * and the note says why; each score records its scorer.
 */
export async function scorePending(options: ScoringOptions): Promise<ScoringSummary> {
  const { repo, llm, now } = options;
  const maxFailures = options.maxConsecutiveFailures ?? 3;
  const byScorer: Record<string, number> = {};
  const hours = new Set<number>();
  const latencies: number[] = [];
  let scored = 0;
  let cached = 0;
  let fallbacks = 0;
  let state: ScoringSummary["llm"] = llm ? "up" : "off";
  let note: string | undefined;
  let failuresInRow = 0;

  if (llm && (await repo.pendingCount()) > 0) {
    const status = await llm.check();
    if (!status.reachable) {
      state = "down";
      note =
        `Ollama not reachable at ${status.host} (${status.error}); start it with \`ollama serve\``;
    } else if (!status.modelPresent) {
      state = "down";
      note =
        `model "${status.model}" is not on ${status.host}; run \`ollama pull ${status.model}\``;
    }
  }

  const save = async (a: StoredArticle, score: SentimentScore, why?: string) => {
    if (await repo.saveScore(a.id, score, now(), why)) {
      scored++;
      byScorer[score.scorer] = (byScorer[score.scorer] ?? 0) + 1;
      hours.add(hourStart(a.publishedAt));
    }
  };

  const scoreOne = async (a: StoredArticle): Promise<void> => {
    if (llm) {
      const hit = a.contentHash ? await repo.cached(a.contentHash, llm.scorer) : undefined;
      if (hit) {
        cached++;
        return save(a, hit, "cached");
      }
    }
    if (llm && state === "up") {
      try {
        const j = await llm.score(a.title, a.description);
        failuresInRow = 0;
        latencies.push(j.latencyMs);
        if (a.contentHash) await repo.putCache(a.contentHash, j.score, j.latencyMs, now());
        return save(a, j.score);
      } catch (e) {
        if (e instanceof OllamaUnavailableError) {
          state = "down";
          note = e.message;
        } else if (e instanceof OllamaReplyError) {
          failuresInRow++;
          if (failuresInRow >= maxFailures && state === "up") {
            state = "down";
            note = `${failuresInRow} model failures in a row (last: ${e.message})`;
          }
          fallbacks++;
          return save(a, lexiconScore(a.title, a.description ?? undefined), e.message);
        } else {
          throw e;
        }
      }
    }
    if (llm) fallbacks++;
    await save(a, lexiconScore(a.title, a.description ?? undefined), llm ? note : undefined);
  };

  const batchSize = options.batchSize ?? 100;
  while (true) {
    const batch = await repo.pending(batchSize);
    if (batch.length === 0) break;
    await inPool(batch, state === "up" ? options.concurrency : 1, scoreOne);
  }
  return {
    scored,
    byScorer,
    cached,
    fallbacks,
    llm: state,
    ...(note ? { llmNote: note } : {}),
    llmLatencyMs: latencies,
    hours: [...hours].sort((x, y) => x - y),
  };
}

/** Runs `fn` over `items` with at most `limit` calls in flight. */
async function inPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
