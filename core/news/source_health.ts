import { backoffDelay } from "../../core/backoff.ts";

/** The health record of one news source (a row of `news_sources`). */
export interface SourceHealth {
  /** "newsapi" or "rss:<location>". */
  readonly sourceId: string;
  /** "newsapi" or "rss". */
  readonly kind: string;
  /** URL or path as configured (never the API key). */
  readonly location: string;
  /** Last attempt (ms), if any. */
  readonly lastAttemptAt: number | null;
  /** Last success (ms), if any. */
  readonly lastSuccessAt: number | null;
  /** "ok", "not_modified", "error" or "rate_limited". */
  readonly lastStatus: string | null;
  /** Last error message (kept after a success until the next error, for history). */
  readonly lastError: string | null;
  /** Warnings of the last successful read (malformed XML salvaged, wrong charset, ...). */
  readonly lastWarning: string | null;
  /** Duration of the last attempt (ms). */
  readonly lastLatencyMs: number | null;
  /** Items in the last successful read. */
  readonly lastItems: number | null;
  /** New articles from the last successful read. */
  readonly lastNew: number | null;
  /** Failures since the last success. */
  readonly consecutiveFailures: number;
  /** Do not ask before this time (ms): backoff, Retry-After or the source's minimum interval. */
  readonly nextAllowedAt: number;
  /** HTTP validators for conditional GETs. */
  readonly etag: string | null;
  /** HTTP validators for conditional GETs. */
  readonly lastModified: string | null;
  /** NewsAPI: publication time of the newest article seen (ms), to ask only for newer ones. */
  readonly cursorAt: number | null;
  /** Totals. */
  readonly attempts: number;
  /** Totals. */
  readonly failures: number;
  /** Totals. */
  readonly itemsTotal: number;
  /** Totals. */
  readonly newTotal: number;
}

/** A fresh record for a source never tried. */
export function newHealth(sourceId: string, kind: string, location: string): SourceHealth {
  return {
    sourceId,
    kind,
    location,
    lastAttemptAt: null,
    lastSuccessAt: null,
    lastStatus: null,
    lastError: null,
    lastWarning: null,
    lastLatencyMs: null,
    lastItems: null,
    lastNew: null,
    consecutiveFailures: 0,
    nextAllowedAt: 0,
    etag: null,
    lastModified: null,
    cursorAt: null,
    attempts: 0,
    failures: 0,
    itemsTotal: 0,
    newTotal: 0,
  };
}

/** The outcome of a successful read. */
export interface ReadSuccess {
  /** Attempt start (ms). */
  readonly at: number;
  /** Duration (ms). */
  readonly latencyMs: number;
  /** 304: nothing new. */
  readonly notModified: boolean;
  /** Items read. */
  readonly items: number;
  /** New articles stored. */
  readonly inserted: number;
  /** Warnings, joined. */
  readonly warnings: readonly string[];
  /** Validators to send next time. */
  readonly etag?: string | null;
  /** Validators to send next time. */
  readonly lastModified?: string | null;
  /** Newest publication time seen. */
  readonly cursorAt?: number | null;
  /** The source's least interval between requests (ms). */
  readonly minIntervalMs: number;
}

/** The record after a successful read: failures reset, next attempt after the minimum interval. */
export function recordSuccess(h: SourceHealth, r: ReadSuccess): SourceHealth {
  return {
    ...h,
    lastAttemptAt: r.at,
    lastSuccessAt: r.at,
    lastStatus: r.notModified ? "not_modified" : "ok",
    lastWarning: r.warnings.length ? r.warnings.join("; ").slice(0, 1000) : null,
    lastLatencyMs: r.latencyMs,
    lastItems: r.items,
    lastNew: r.inserted,
    consecutiveFailures: 0,
    nextAllowedAt: r.at + r.minIntervalMs,
    etag: r.etag !== undefined ? r.etag : h.etag,
    lastModified: r.lastModified !== undefined ? r.lastModified : h.lastModified,
    cursorAt: Math.max(h.cursorAt ?? 0, r.cursorAt ?? 0) || h.cursorAt,
    attempts: h.attempts + 1,
    itemsTotal: h.itemsTotal + r.items,
    newTotal: h.newTotal + r.inserted,
  };
}

/**
 * The record after a failed read: the next attempt waits for the exponential backoff
 * of the failure count (1 min, 2 min, 4 min, ... up to 6 h), or for the server's
 * `Retry-After`, or for the minimum interval, whichever is longest.
 */
export function recordFailure(
  h: SourceHealth,
  f: {
    at: number;
    latencyMs: number;
    error: string;
    retryAfterMs?: number | undefined;
    rateLimited: boolean;
    minIntervalMs: number;
  },
): SourceHealth {
  const failures = h.consecutiveFailures + 1;
  const wait = Math.max(backoffDelay(failures), f.retryAfterMs ?? 0, f.minIntervalMs);
  return {
    ...h,
    lastAttemptAt: f.at,
    lastStatus: f.rateLimited ? "rate_limited" : "error",
    lastError: f.error.slice(0, 1000),
    lastLatencyMs: f.latencyMs,
    consecutiveFailures: failures,
    nextAllowedAt: f.at + wait,
    attempts: h.attempts + 1,
    failures: h.failures + 1,
  };
}
