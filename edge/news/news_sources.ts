import type { FetchedArticle } from "../../core/news/article.ts";
import { parseFeedLocation } from "./feed_location.ts";
import { FeedParseError, parseFeed } from "./feed_parser.ts";
import { type FetchedBody, fetchLimited, readFileLimited } from "./http_fetch.ts";
import { NewsSourceError } from "./news_errors.ts";
import { fetchNewsApi, NEWSAPI_SOURCE } from "./newsapi.ts";
import type { SourceHealth } from "../../core/news/source_health.ts";
import { decodeFeedText } from "./text_decode.ts";

/** What one read of a source produced. */
export interface SourceRead {
  /** Articles parsed. */
  readonly items: FetchedArticle[];
  /** The server said 304 Not Modified. */
  readonly notModified: boolean;
  /** Problems that did not stop the read. */
  readonly warnings: string[];
  /** Validators for the next conditional request (HTTP feeds). */
  readonly etag?: string | null;
  /** Validators for the next conditional request (HTTP feeds). */
  readonly lastModified?: string | null;
  /** Newest publication time seen (NewsAPI). */
  readonly cursorAt?: number | null;
}

/** A place news comes from. */
export interface NewsSource {
  /** Health-record key: "newsapi" or "rss:<entry>". */
  readonly id: string;
  /** "rss" or "newsapi". */
  readonly kind: "rss" | "newsapi";
  /** URL or path, for people (never a key). */
  readonly location: string;
  /** Least time between two reads (ms). */
  readonly minIntervalMs: number;
  /**
   * Reads the source once.
   *
   * @throws {NewsSourceError} On failure.
   */
  read(health: SourceHealth): Promise<SourceRead>;
}

/** Network limits shared by the sources. */
export interface SourceLimits {
  /** Request timeout (ms). */
  readonly timeoutMs: number;
  /** Largest body accepted. */
  readonly maxBytes: number;
  /** Clock. */
  readonly now: () => number;
  /** fetch (tests). */
  readonly fetch?: typeof fetch;
}

/**
 * An RSS/Atom feed at an http(s):// URL, a file:// URL or a path. HTTP feeds are read
 * with conditional requests (ETag / Last-Modified), so unchanged feeds cost a 304.
 *
 * @throws {TypeError} For unsupported URL schemes.
 */
export function rssSource(entry: string, limits: SourceLimits, baseDir?: string): NewsSource {
  const loc = parseFeedLocation(entry, baseDir);
  return {
    id: loc.sourceId,
    kind: "rss",
    location: entry,
    minIntervalMs: 0,
    async read(health) {
      let body: FetchedBody;
      if (loc.kind === "http") {
        const headers: Record<string, string> = {
          accept:
            "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5",
        };
        if (health.etag) headers["if-none-match"] = health.etag;
        if (health.lastModified) headers["if-modified-since"] = health.lastModified;
        body = await fetchLimited(loc.url, {
          source: loc.sourceId,
          timeoutMs: limits.timeoutMs,
          maxBytes: limits.maxBytes,
          headers,
          now: limits.now,
          ...(limits.fetch ? { fetch: limits.fetch } : {}),
        });
        if (body.status === 304) return { items: [], notModified: true, warnings: [] };
      } else {
        body = await readFileLimited(loc.path, { source: loc.sourceId, maxBytes: limits.maxBytes });
      }
      const decoded = decodeFeedText(body.bytes, body.headers.get("content-type"));
      const fallbackPublisher = loc.kind === "http"
        ? new URL(loc.url).hostname.replace(/^www\./, "")
        : loc.path.slice(loc.path.lastIndexOf("/") + 1);
      try {
        const feed = parseFeed(decoded.text, {
          fallbackPublisher,
          ...(loc.kind === "http" ? { baseUrl: loc.url } : {}),
        });
        return {
          items: feed.items,
          notModified: false,
          warnings: [...(decoded.warning ? [decoded.warning] : []), ...feed.warnings],
          etag: body.headers.get("etag"),
          lastModified: body.headers.get("last-modified"),
        };
      } catch (e) {
        if (e instanceof FeedParseError) {
          throw new NewsSourceError(loc.sourceId, e.message, { cause: e });
        }
        throw e;
      }
    },
  };
}

/** Options of {@linkcode newsApiSource}. */
export interface NewsApiSourceOptions extends SourceLimits {
  /** Base URL. */
  readonly baseUrl: string;
  /** The key. */
  readonly apiKey: string;
  /** The query. */
  readonly query: string;
  /** Least time between requests (ms). */
  readonly minIntervalMs: number;
}

const DAY_MS = 86_400_000;
const OVERLAP_MS = 3_600_000;

/**
 * NewsAPI `/v2/everything`: asks for articles since the newest one seen minus an
 * hour of overlap (the first time: the last 24 hours); duplicates are dropped on insert.
 */
export function newsApiSource(options: NewsApiSourceOptions): NewsSource {
  return {
    id: NEWSAPI_SOURCE,
    kind: "newsapi",
    location: `${options.baseUrl.replace(/\/$/, "")}/v2/everything?q=${options.query}`,
    minIntervalMs: options.minIntervalMs,
    async read(health) {
      const now = options.now();
      const from = health.cursorAt ? health.cursorAt - OVERLAP_MS : now - DAY_MS;
      const page = await fetchNewsApi({ ...options, from: Math.max(from, now - 30 * DAY_MS) });
      const newest = Math.max(0, ...page.items.map((a) => a.publishedAt ?? 0));
      return {
        items: page.items,
        notModified: false,
        warnings: page.warnings,
        cursorAt: newest > 0 ? Math.min(newest, now) : null,
      };
    },
  };
}
