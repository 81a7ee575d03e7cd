/**
 * The news cycle as `config.yaml` describes it (feeds, NewsAPI, Ollama, keywords), shared by
 * the `news` command and the live edge's news timer.
 *
 * @module
 */

import type { Config, Secrets } from "../../core/config.ts";
import { symbolTagger } from "../../core/news/symbol_tags.ts";
import type { NewsRepository } from "../../infra/store/news/news_store.ts";
import { fromFileUrl } from "../../infra/file_url.ts";
import { type CycleSummary, runNewsCycle } from "./news_cycle.ts";
import { newsApiSource, type NewsSource, rssSource } from "./news_sources.ts";
import { OllamaSentiment } from "./ollama_scorer.ts";

/** The feeds bundled in testdata/news/ for offline runs (`news --bundled`). */
export const BUNDLED_FEEDS: readonly string[] = [
  "crypto_wire_rss.xml",
  "chain_ledger_atom.xml",
  "market_desk_latin1_rss.xml",
].map((f) => fromFileUrl(new URL(`../../testdata/news/${f}`, import.meta.url)));

/** Which sources and scorer a cycle uses. */
export interface NewsChoice {
  /** Feed URLs or paths instead of the configured ones. */
  readonly feeds?: readonly string[];
  /** The bundled feeds, no NewsAPI. */
  readonly bundled?: boolean;
  /** Leave NewsAPI out even with a key. */
  readonly noNewsApi?: boolean;
  /** Lexicon only (no Ollama). */
  readonly noLlm?: boolean;
}

/**
 * The sources of a cycle: RSS/Atom feeds and, with a key, NewsAPI.
 *
 * @throws Error naming a feed that is not a valid URL or path.
 */
export function newsSources(config: Config, secrets: Secrets, choice: NewsChoice): NewsSource[] {
  const limits = {
    timeoutMs: config.news.fetch_timeout_s * 1000,
    maxBytes: config.news.max_body_bytes,
    now: Date.now,
  };
  const feeds = choice.feeds ??
    (choice.bundled ? [...BUNDLED_FEEDS] : [...config.news.rss_feeds]);
  const sources: NewsSource[] = feeds.map((f) => rssSource(f, limits));
  if (secrets.newsApiKey && !choice.bundled && !choice.noNewsApi) {
    sources.push(newsApiSource({
      ...limits,
      baseUrl: config.news.newsapi_url,
      apiKey: secrets.newsApiKey,
      query: config.news.newsapi_query,
      minIntervalMs: config.news.newsapi_min_interval_minutes * 60_000,
    }));
  }
  return sources;
}

/** The configured Ollama scorer. */
export function ollamaScorer(config: Config): OllamaSentiment {
  return new OllamaSentiment({
    host: config.news.ollama_host,
    model: config.news.ollama_model,
    timeoutMs: config.news.ollama_timeout_s * 1000,
    retries: config.news.ollama_retries,
  });
}

/** One cycle on `repo` with the given sources: fetch, dedupe, tag, score, aggregate. */
export function configuredCycle(
  config: Config,
  repo: NewsRepository,
  sources: readonly NewsSource[],
  noLlm: boolean,
): Promise<CycleSummary> {
  return runNewsCycle({
    repo,
    sources: [...sources],
    tagger: symbolTagger(config.news.keywords),
    llm: noLlm ? undefined : ollamaScorer(config),
    concurrency: config.news.ollama_concurrency,
    titleWindowMs: config.news.title_dedupe_days * 86_400_000,
    now: Date.now,
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  });
}
