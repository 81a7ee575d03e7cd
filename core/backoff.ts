/**
 * The project's one back-off: exponential delays with an optional jitter, and the
 * `Retry-After` header (venues' 429/418, news sources' 503). Pure: time and randomness
 * are passed in.
 *
 * @module
 */

/** Options of {@linkcode backoffDelay}. */
export interface BackoffOptions {
  /** Delay after the first failure (ms). Default 60 s. */
  readonly baseMs?: number;
  /** Longest delay (ms), before jitter. Default 6 h. */
  readonly maxMs?: number;
  /**
   * Fraction of the delay taken off at random (0.5: between half and all of it), so many
   * clients do not retry in lockstep; a negative value adds instead (-0.2: up to 20 % more).
   * Default 0.
   */
  readonly jitter?: number;
  /** Uniform random numbers in [0, 1) for the jitter. Default Math.random. */
  readonly random?: () => number;
}

/**
 * How long to wait after `failures` consecutive failures: base, 2x base, 4x base, ...
 * capped at max, less (or plus) the jitter. Zero failures means no wait.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "./backoff.ts";
 * assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n)), [0, 60_000, 120_000, 240_000]);
 * assert.equal(backoffDelay(40), 6 * 3_600_000);
 * assert.equal(backoffDelay(3, { baseMs: 1000, maxMs: 60_000, jitter: 0.5, random: () => 1 }), 2000);
 * ```
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 60_000;
  const max = options.maxMs ?? 6 * 3_600_000;
  if (failures <= 0) return 0;
  const delay = Math.min(max, base * 2 ** Math.min(failures - 1, 30));
  const jitter = options.jitter ?? 0;
  if (jitter === 0) return delay;
  return Math.round(delay * (1 - jitter * (options.random ?? Math.random)()));
}

/** Options of {@linkcode retryAfterDelay}. */
export interface RetryAfterOptions {
  /** Delay when the header is absent or unparseable, ms. Default 60,000. */
  readonly defaultMs?: number;
  /** Shortest delay, ms (a date in the past or "0" never means "hammer now"). Default 1,000. */
  readonly minMs?: number;
  /** Longest delay, ms. Default 600,000. */
  readonly maxMs?: number;
}

/**
 * The wait before retrying after a 429/418/503: the `Retry-After` header in seconds or as an
 * HTTP date, clamped to `[minMs, maxMs]`, `defaultMs` when absent or unparseable. Never NaN.
 *
 * @param value The header value (null when absent).
 * @param now The current time (ms), for dates.
 * @param options Default and clamps.
 * @returns The delay in ms.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { retryAfterDelay } from "./backoff.ts";
 * assert.equal(retryAfterDelay("30", 0), 30_000);
 * assert.equal(retryAfterDelay("Thu, 01 Jan 1970 00:00:20 GMT", 0), 20_000);
 * assert.equal(retryAfterDelay("Thu, 01 Jan 1970 00:00:00 GMT", 5_000), 1_000);
 * assert.equal(retryAfterDelay(null, 0), 60_000);
 * assert.equal(retryAfterDelay("86400", 0), 600_000);
 * ```
 */
export function retryAfterDelay(
  value: string | null | undefined,
  now: number,
  options: RetryAfterOptions = {},
): number {
  const min = options.minMs ?? 1_000;
  const max = options.maxMs ?? 600_000;
  const ms = parseRetryAfter(value, now) ?? options.defaultMs ?? 60_000;
  return Math.min(max, Math.max(min, ms));
}

/**
 * Parses an HTTP `Retry-After` header: delay-seconds or an HTTP date.
 *
 * @param value The header value (null when absent).
 * @param now The current time (ms), for dates.
 * @returns The delay in ms (never negative), or `undefined` when absent or unparseable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseRetryAfter } from "./backoff.ts";
 * assert.equal(parseRetryAfter("120", 0), 120_000);
 * assert.equal(parseRetryAfter("Thu, 01 Jan 1970 00:01:00 GMT", 0), 60_000);
 * assert.equal(parseRetryAfter("soon", 0), undefined);
 * ```
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), 7 * 86_400) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}
