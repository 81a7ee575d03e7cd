import { type FeatureSpec, SENTIMENT_FEATURES } from "./spec.ts";
import { slotsOf, type VectorWriter } from "./vector_writer.ts";

const HOUR_MS = 3_600_000;

/** One hourly sentiment aggregate (as core/sentiment produces and the store keeps). */
export interface HourlySentiment {
  /** Asset the news is about, e.g. "BTC" (matched against the primary stream's base asset). */
  readonly symbol: string;
  /** Start of the hour, epoch ms (a multiple of one hour). */
  readonly hourStart: number;
  /** Mean sentiment score of the hour, typically in [-1, 1]. */
  readonly score: number;
  /** Number of scored items in the hour. */
  readonly count: number;
}

/**
 * The latest hourly aggregate of `symbol` whose hour is complete at time `t`
 * (`hourStart + 1 h <= t`). The current, unfinished hour is never used: its
 * aggregate would include news published after `t` (look-ahead).
 *
 * @param sorted Aggregates sorted by `hourStart` (any symbols).
 * @param symbol Asset to look up.
 * @param t Decision time, epoch ms.
 * @returns The aggregate, or undefined when none is complete yet.
 *
 * @example The 10:00 hour is not complete at 10:59:59
 * ```ts
 * import assert from "node:assert/strict";
 * import { latestCompleteHour } from "./sentiment.ts";
 * const h = 3_600_000;
 * const aggs = [{ symbol: "BTC", hourStart: 9 * h, score: 0.2, count: 4 }, { symbol: "BTC", hourStart: 10 * h, score: -0.5, count: 9 }];
 * assert.equal(latestCompleteHour(aggs, "BTC", 11 * h - 1)?.score, 0.2);
 * assert.equal(latestCompleteHour(aggs, "BTC", 11 * h)?.score, -0.5);
 * ```
 */
export function latestCompleteHour(
  sorted: readonly HourlySentiment[],
  symbol: string,
  t: number,
): HourlySentiment | undefined {
  // Binary search for the last aggregate with hourStart <= t - 1h, then walk back to the symbol.
  let lo = 0;
  let hi = sorted.length - 1;
  let at = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as HourlySentiment).hourStart + HOUR_MS <= t) {
      at = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  for (let i = at; i >= 0; i--) {
    const a = sorted[i] as HourlySentiment;
    if (a.symbol === symbol) return a;
  }
  return undefined;
}

/**
 * Sentiment features of the primary stream's base asset: `score`, `count_log1p`
 * (ln(1 + count)) and `age_hours` (hours since the end of the aggregate's hour), from
 * the latest complete hour. Missing when no complete hour is at most
 * `sentimentMaxAgeHours` old.
 */
export class SentimentFeatures {
  readonly #sorted: HourlySentiment[];
  readonly #symbol: string;
  readonly #maxAgeMs: number;
  readonly #slots: Int32Array;

  /**
   * @param spec The spec (`sentimentMaxAgeHours` must be set).
   * @param symbol Asset to use, e.g. "BTC".
   * @param aggregates Hourly aggregates in any order (copied and sorted).
   */
  constructor(spec: FeatureSpec, symbol: string, aggregates: readonly HourlySentiment[]) {
    this.#sorted = [...aggregates].sort((a, b) => a.hourStart - b.hourStart);
    this.#symbol = symbol;
    this.#maxAgeMs = (spec.config.sentimentMaxAgeHours ?? 0) * HOUR_MS;
    this.#slots = slotsOf(spec, "sentiment", SENTIMENT_FEATURES);
  }

  /** Writes the sentiment group for decision time `t`. */
  write(out: VectorWriter, t: number): void {
    const a = latestCompleteHour(this.#sorted, this.#symbol, t);
    const [score, count, age] = this.#slots as unknown as [number, number, number];
    const ageMs = a ? t - (a.hourStart + HOUR_MS) : Infinity;
    if (!a || ageMs > this.#maxAgeMs) {
      out.miss(score);
      out.miss(count);
      out.miss(age);
      return;
    }
    out.set(score, a.score);
    out.set(count, Math.log1p(a.count));
    out.set(age, ageMs / HOUR_MS);
  }
}
