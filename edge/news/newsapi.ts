import { z } from "zod";
import type { FetchedArticle } from "../../core/news/article.ts";
import { fetchLimited } from "./http_fetch.ts";
import { NewsSourceError } from "./news_errors.ts";

/** The source id of NewsAPI. */
export const NEWSAPI_SOURCE = "newsapi";

const ArticleSchema = z.object({
  source: z.object({ id: z.string().nullish(), name: z.string().nullish() }).nullish(),
  author: z.string().nullish(),
  title: z.string().nullish(),
  description: z.string().nullish(),
  url: z.string().nullish(),
  publishedAt: z.string().nullish(),
  content: z.string().nullish(),
});

const OkSchema = z.object({
  status: z.literal("ok"),
  totalResults: z.number().int().min(0),
  articles: z.array(z.unknown()),
});

const ErrorSchema = z.object({
  status: z.literal("error"),
  code: z.string(),
  message: z.string(),
});

/** Options of {@linkcode fetchNewsApi}. */
export interface NewsApiOptions {
  /** Base URL, e.g. https://newsapi.org. */
  readonly baseUrl: string;
  /** The key (NEWSAPI_KEY), sent as the X-Api-Key header, never in the URL. */
  readonly apiKey: string;
  /** The `q` query. */
  readonly query: string;
  /** Only articles published at or after this time (ms). */
  readonly from?: number;
  /** Page size (max 100). */
  readonly pageSize?: number;
  /** Timeout and body limit. */
  readonly timeoutMs: number;
  /** Timeout and body limit. */
  readonly maxBytes: number;
  /** Clock. */
  readonly now: () => number;
  /** fetch (tests). */
  readonly fetch?: typeof fetch;
}

/** One page of `/v2/everything`. */
export interface NewsApiPage {
  /** Usable articles. */
  readonly items: FetchedArticle[];
  /** Articles dropped (removed, no title, bad URL, bad shape). */
  readonly skipped: number;
  /** `totalResults` as reported. */
  readonly totalResults: number;
  /** Notes on dropped articles. */
  readonly warnings: string[];
}

/**
 * Fetches the newest page of NewsAPI `/v2/everything` for the query, sorted by
 * publication time. Error bodies (`{"status":"error","code",...}`) become a
 * {@linkcode NewsSourceError}; `rateLimited` (HTTP 429) carries `Retry-After`, key
 * problems (401) are not retriable.
 *
 * @throws {NewsSourceError} On any failure.
 */
export async function fetchNewsApi(options: NewsApiOptions): Promise<NewsApiPage> {
  const url = new URL("/v2/everything", options.baseUrl);
  url.searchParams.set("q", options.query);
  url.searchParams.set("language", "en");
  url.searchParams.set("sortBy", "publishedAt");
  url.searchParams.set("pageSize", String(Math.min(100, options.pageSize ?? 100)));
  if (options.from !== undefined) {
    url.searchParams.set("from", new Date(options.from).toISOString().slice(0, 19));
  }
  let body: Uint8Array;
  try {
    body = (await fetchLimited(url.href, {
      source: NEWSAPI_SOURCE,
      timeoutMs: options.timeoutMs,
      maxBytes: options.maxBytes,
      headers: { "x-api-key": options.apiKey, accept: "application/json" },
      now: options.now,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    })).bytes;
  } catch (e) {
    if (e instanceof NewsSourceError && e.status !== undefined) throw withApiMessage(e);
    throw e;
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(body));
  } catch (e) {
    throw new NewsSourceError(NEWSAPI_SOURCE, "response is not JSON", {
      retriable: true,
      cause: e,
    });
  }
  const err = ErrorSchema.safeParse(json);
  if (err.success) {
    throw new NewsSourceError(NEWSAPI_SOURCE, `${err.data.code}: ${err.data.message}`, {
      retriable: err.data.code === "unexpectedError",
    });
  }
  const ok = OkSchema.safeParse(json);
  if (!ok.success) {
    throw new NewsSourceError(
      NEWSAPI_SOURCE,
      `unexpected response shape: ${ok.error.issues[0]?.path.join(".")}: ${
        ok.error.issues[0]?.message
      }`,
    );
  }
  const items: FetchedArticle[] = [];
  const reasons = new Map<string, number>();
  const skip = (why: string) => reasons.set(why, (reasons.get(why) ?? 0) + 1);
  for (const raw of ok.data.articles) {
    const a = ArticleSchema.safeParse(raw);
    if (!a.success) {
      skip("bad shape");
      continue;
    }
    const { title, url: link, description, publishedAt, source } = a.data;
    if (!title || title === "[Removed]" || link === "https://removed.com") {
      skip("removed or no headline");
      continue;
    }
    if (!link || !/^https?:\/\//i.test(link)) {
      skip("no http(s) link");
      continue;
    }
    const at = publishedAt ? Date.parse(publishedAt) : NaN;
    items.push({
      link,
      title,
      publisher: source?.name?.trim() || "NewsAPI",
      ...(description ? { description: description.slice(0, 2000) } : {}),
      ...(Number.isFinite(at) ? { publishedAt: at } : {}),
    });
  }
  let skipped = 0;
  const warnings: string[] = [];
  for (const [why, n] of reasons) {
    skipped += n;
    warnings.push(`${n} article(s) skipped: ${why}`);
  }
  return { items, skipped, totalResults: ok.data.totalResults, warnings };
}

/** Replaces "HTTP 401: {json}" by NewsAPI's own code and message when the body has them. */
function withApiMessage(e: NewsSourceError): NewsSourceError {
  const m = /^newsapi: HTTP \d+: (.*)$/s.exec(e.message);
  let detail: string | undefined;
  try {
    const parsed = ErrorSchema.safeParse(JSON.parse(m?.[1] ?? ""));
    if (parsed.success) detail = `${parsed.data.code}: ${parsed.data.message}`;
  } catch {
    // not JSON: keep the message
  }
  if (!detail) return e;
  return new NewsSourceError(NEWSAPI_SOURCE, `HTTP ${e.status} ${detail}`, {
    retriable: e.retriable,
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.retryAfterMs !== undefined ? { retryAfterMs: e.retryAfterMs } : {}),
    cause: e,
  });
}
