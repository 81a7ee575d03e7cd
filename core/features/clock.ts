import type { MarketEvent } from "../market/events.ts";
import type { FeatureEngine, FeatureRow } from "./engine.ts";
import type { PortfolioState } from "./portfolio.ts";

/** Options of {@linkcode DecisionClock}; give `intervalMs` or `everyEvents`. */
export interface DecisionClockOptions {
  /** Take a vector at every multiple of this many ms (e.g. 1,000). */
  readonly intervalMs?: number;
  /** Or take a vector after every N applied events. */
  readonly everyEvents?: number;
  /** Number of vectors in a decision window (T). Default 1. */
  readonly window?: number;
  /** Portfolio at a decision time (portfolio features are missing without it). */
  readonly portfolio?: (t: number) => PortfolioState | undefined;
  /** Receives each decision. */
  readonly onDecision: (decision: Decision) => void;
}

/** A decision point: the last T feature vectors, oldest first. */
export interface Decision {
  /** Decision time, epoch ms. */
  readonly time: number;
  /** Up to T rows, oldest first; the last one is at `time`. */
  readonly rows: readonly FeatureRow[];
  /** True when the window holds T rows. */
  readonly ready: boolean;
}

/**
 * Decides when feature vectors are taken and keeps the window of the last T.
 *
 * With `intervalMs`, the vector for boundary b (a multiple of the interval)
 * reflects exactly the events with time <= b: before an event stamped e is
 * applied, every boundary b < e is emitted. Live, a timer calls
 * {@linkcode DecisionClock.advanceTo} with the current time so decisions are
 * emitted in quiet periods too; offline, the end of data calls
 * {@linkcode DecisionClock.flushThrough}. Either way the same boundaries get the
 * same vectors.
 *
 * @example One vector per second
 * ```ts
 * import assert from "node:assert/strict";
 * import { DecisionClock } from "./clock.ts";
 * import { FeatureEngine } from "./engine.ts";
 * import { buildFeatureSpec, defaultFeatureConfig } from "./spec.ts";
 * const engine = new FeatureEngine(buildFeatureSpec(defaultFeatureConfig([{ venue: "binance", symbol: "BTC/USDT" }])));
 * const times: number[] = [];
 * const clock = new DecisionClock(engine, { intervalMs: 1000, onDecision: (d) => times.push(d.time) });
 * clock.advanceTo(1_500);
 * clock.advanceTo(3_200);
 * assert.deepEqual(times, [2_000, 3_000]);
 * ```
 */
export class DecisionClock {
  /** The engine vectors come from. */
  readonly engine: FeatureEngine;
  readonly #interval: number | undefined;
  readonly #every: number | undefined;
  readonly #size: number;
  readonly #portfolio: ((t: number) => PortfolioState | undefined) | undefined;
  readonly #onDecision: (decision: Decision) => void;
  readonly #rows: FeatureRow[] = [];
  #next: number | undefined;
  #count = 0;

  /**
   * @param engine The feature engine.
   * @param options Interval or event count, window size, portfolio and callback.
   * @throws {RangeError} When neither or both of `intervalMs` and `everyEvents` are positive integers.
   */
  constructor(engine: FeatureEngine, options: DecisionClockOptions) {
    const { intervalMs, everyEvents } = options;
    const ok = (v: number | undefined) => v !== undefined && Number.isInteger(v) && v > 0;
    if (ok(intervalMs) === ok(everyEvents)) {
      throw new RangeError(
        `Cannot start a decision clock as exactly one of intervalMs and everyEvents must be a positive integer: ${intervalMs}, ${everyEvents}`,
      );
    }
    const size = options.window ?? 1;
    if (!Number.isInteger(size) || size < 1) {
      throw new RangeError(
        `Cannot start a decision clock as window must be an integer >= 1: ${size}`,
      );
    }
    this.engine = engine;
    this.#interval = intervalMs;
    this.#every = everyEvents;
    this.#size = size;
    this.#portfolio = options.portfolio;
    this.#onDecision = options.onDecision;
  }

  /** Emits the boundaries before `event`'s time, applies it, then counts it. */
  onEvent(event: MarketEvent): void {
    this.#emitUntil(event.receiveTime, false);
    this.engine.onEvent(event);
    if (this.#every !== undefined && ++this.#count % this.#every === 0) {
      this.#emit(this.engine.time);
    }
  }

  /** Live timer: emits every boundary strictly before `now` (events stamped `now` may still come). */
  advanceTo(now: number): void {
    this.#emitUntil(now, false);
  }

  /** End of data (or truncation point): emits every boundary at or before `t`. */
  flushThrough(t: number): void {
    this.#emitUntil(t, true);
  }

  #emitUntil(t: number, inclusive: boolean): void {
    const iv = this.#interval;
    if (iv === undefined || !Number.isFinite(t)) return; // the engine counts bad times
    if (this.#next === undefined) this.#next = Math.floor(t / iv) * iv + iv;
    while (inclusive ? this.#next <= t : this.#next < t) {
      const b = this.#next;
      this.#next += iv;
      if (b >= this.engine.time) this.#emit(b);
    }
  }

  #emit(t: number): void {
    const row = this.engine.compute(t, this.#portfolio?.(t));
    this.#rows.push(row);
    if (this.#rows.length > this.#size) this.#rows.shift();
    this.#onDecision({ time: t, rows: [...this.#rows], ready: this.#rows.length === this.#size });
  }
}

/**
 * Flattens a decision window into a `[T, F]` row-major Float32Array for a model,
 * with missing rows at the front (when not ready) filled with zeros.
 */
export function windowTensor(decision: Decision, size: number, features: number): Float32Array {
  const out = new Float32Array(size * features);
  const offset = size - decision.rows.length;
  decision.rows.forEach((r, i) => out.set(r.values, (offset + i) * features));
  return out;
}
