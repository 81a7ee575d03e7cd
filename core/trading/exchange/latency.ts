/**
 * Order-entry latency: how long after submission an order (or cancel) reaches the book.
 *
 * @module
 */

import { seededRandom } from "../../random.ts";

/** Produces the delay, in ms, of the next order or cancel message. */
export interface LatencyModel {
  /** Delay of the next message, ms (>= 0). */
  next(): number;
}

/**
 * A constant delay.
 *
 * @throws {RangeError} When `ms` is negative or not finite.
 */
export function fixedLatency(ms: number): LatencyModel {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Cannot make latency model as 'ms' must be >= 0: current value is ${ms}`);
  }
  return { next: () => ms };
}

/** Options of {@linkcode sampledLatency}. */
export interface SampledLatencyOptions {
  /** Seed of the generator (same seed, same delays). */
  seed: number;
  /** Median delay, ms. */
  medianMs: number;
  /** Log-normal shape (standard deviation of ln(delay)); 0 = constant. */
  sigma: number;
  /** Upper clamp, ms. Default 10 × median. */
  maxMs?: number;
}

/**
 * Log-normally distributed delays from a seeded generator: many fast messages and a
 * heavy right tail, as measured order round trips look.
 *
 * @throws {RangeError} When median or sigma is negative or not finite.
 *
 * @example Reproducible
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampledLatency } from "./latency.ts";
 * const a = sampledLatency({ seed: 1, medianMs: 50, sigma: 0.5 });
 * const b = sampledLatency({ seed: 1, medianMs: 50, sigma: 0.5 });
 * assert.equal(a.next(), b.next());
 * ```
 */
export function sampledLatency(options: SampledLatencyOptions): LatencyModel {
  const { medianMs, sigma } = options;
  if (!Number.isFinite(medianMs) || medianMs < 0 || !Number.isFinite(sigma) || sigma < 0) {
    throw new RangeError(
      `Cannot make latency model as median and sigma must be >= 0: current values are ${medianMs}, ${sigma}`,
    );
  }
  const max = options.maxMs ?? medianMs * 10;
  const rng = seededRandom(options.seed);
  return {
    next(): number {
      // Box-Muller from two uniforms; 1 - u avoids log(0).
      const u = 1 - rng();
      const v = rng();
      const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
      return Math.min(max, medianMs * Math.exp(sigma * z));
    },
  };
}
