/** Options of {@linkcode backoffDelay}. */
export interface BackoffOptions {
  /** Delay after the first failure (ms). Default 60 s. */
  readonly baseMs?: number;
  /** Longest delay (ms). Default 6 h. */
  readonly maxMs?: number;
}

/**
 * How long a source rests after `failures` consecutive failures: base, 2x base,
 * 4x base, ... capped at max. Zero failures means no wait.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { backoffDelay } from "./backoff.ts";
 * assert.deepEqual([0, 1, 2, 3].map((n) => backoffDelay(n)), [0, 60_000, 120_000, 240_000]);
 * assert.equal(backoffDelay(40), 6 * 3_600_000);
 * ```
 */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const base = options.baseMs ?? 60_000;
  const max = options.maxMs ?? 6 * 3_600_000;
  if (failures <= 0) return 0;
  return Math.min(max, base * 2 ** Math.min(failures - 1, 30));
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
