/** One scored article as the aggregation sees it. */
export interface ScoredPoint {
  /** Publication time (ms since the epoch). */
  readonly publishedAt: number;
  /** Symbols the article concerns (may be empty). */
  readonly symbols: readonly string[];
  /** Sentiment score in [-1, 1]. */
  readonly score: number;
  /** Confidence in [0, 1]. */
  readonly confidence: number;
  /** Scorer id ("ollama:qwen3", "lexicon:v1"). */
  readonly scorer: string;
}

/** The simple market-mood label of one hour. */
export type Regime = "bullish" | "bearish" | "neutral" | "mixed";

/** One row of `news_sentiment_hourly`. */
export interface HourlySentiment {
  /** Symbol key from `news.keywords`, or {@linkcode ALL_SYMBOLS} for every article. */
  readonly symbol: string;
  /** Start of the UTC hour (ms). */
  readonly hourStart: number;
  /** Articles in the hour. */
  readonly count: number;
  /** Plain mean of the scores. */
  readonly mean: number;
  /** Confidence-weighted mean (the plain mean when every confidence is 0). */
  readonly weightedMean: number;
  /** Population standard deviation of the scores (0 for one article). */
  readonly dispersion: number;
  /** Label from {@linkcode regimeLabel}. */
  readonly regime: Regime;
  /** Articles per scorer id. */
  readonly scorers: Readonly<Record<string, number>>;
}

/** The pseudo-symbol under which every scored article (tagged or not) is aggregated. */
export const ALL_SYMBOLS = "ALL";

const HOUR_MS = 3_600_000;

/** The start of the UTC hour containing `ms`. */
export function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

/** Thresholds of {@linkcode regimeLabel}. */
export interface RegimeThresholds {
  /** |weighted mean| at or above which the hour is bullish/bearish. Default 0.2. */
  readonly trend: number;
  /** Dispersion at or above which a trendless hour of 2+ articles is "mixed". Default 0.45. */
  readonly disagreement: number;
}

/** Default regime thresholds. */
export const DEFAULT_REGIME: RegimeThresholds = { trend: 0.2, disagreement: 0.45 };

/**
 * Labels an hour: "bullish" when the confidence-weighted mean is >= trend,
 * "bearish" when <= -trend, otherwise "mixed" when two or more articles disagree
 * (dispersion >= disagreement), otherwise "neutral".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { regimeLabel } from "./hourly_aggregate.ts";
 * assert.equal(regimeLabel({ count: 3, weightedMean: 0.4, dispersion: 0.1 }), "bullish");
 * assert.equal(regimeLabel({ count: 2, weightedMean: 0, dispersion: 0.8 }), "mixed");
 * ```
 */
export function regimeLabel(
  hour: { count: number; weightedMean: number; dispersion: number },
  thresholds: RegimeThresholds = DEFAULT_REGIME,
): Regime {
  if (hour.weightedMean >= thresholds.trend) return "bullish";
  if (hour.weightedMean <= -thresholds.trend) return "bearish";
  if (hour.count >= 2 && hour.dispersion >= thresholds.disagreement) return "mixed";
  return "neutral";
}

/**
 * Aggregates the articles of one symbol and hour. Every point passed counts (the
 * caller selects them), so recomputing from the same articles gives the same row.
 *
 * @throws {RangeError} When `points` is empty.
 */
export function aggregateHour(
  symbol: string,
  hour: number,
  points: readonly ScoredPoint[],
  thresholds: RegimeThresholds = DEFAULT_REGIME,
): HourlySentiment {
  if (points.length === 0) {
    throw new RangeError(`Cannot aggregate ${symbol} at ${hour}: no articles`);
  }
  const n = points.length;
  let sum = 0;
  let wsum = 0;
  let weights = 0;
  const scorers: Record<string, number> = {};
  for (const p of points) {
    sum += p.score;
    wsum += p.score * p.confidence;
    weights += p.confidence;
    scorers[p.scorer] = (scorers[p.scorer] ?? 0) + 1;
  }
  const mean = sum / n;
  const weightedMean = weights > 0 ? wsum / weights : mean;
  let sq = 0;
  for (const p of points) sq += (p.score - mean) ** 2;
  const dispersion = Math.sqrt(sq / n);
  const row = { count: n, weightedMean, dispersion };
  return {
    symbol,
    hourStart: hour,
    count: n,
    mean,
    weightedMean,
    dispersion,
    regime: regimeLabel(row, thresholds),
    scorers,
  };
}

/**
 * Groups scored articles by UTC hour of publication and by symbol (each tagged
 * symbol, plus {@linkcode ALL_SYMBOLS} for every article) and aggregates each group.
 *
 * @returns Rows sorted by hour, then symbol.
 */
export function aggregateHourly(
  points: readonly ScoredPoint[],
  thresholds: RegimeThresholds = DEFAULT_REGIME,
): HourlySentiment[] {
  const groups = new Map<string, { symbol: string; hour: number; points: ScoredPoint[] }>();
  for (const p of points) {
    const hour = hourStart(p.publishedAt);
    for (const symbol of new Set([ALL_SYMBOLS, ...p.symbols])) {
      const key = `${hour}|${symbol}`;
      let g = groups.get(key);
      if (!g) groups.set(key, g = { symbol, hour, points: [] });
      g.points.push(p);
    }
  }
  return [...groups.values()]
    .sort((a, b) => a.hour - b.hour || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0))
    .map((g) => aggregateHour(g.symbol, g.hour, g.points, thresholds));
}
