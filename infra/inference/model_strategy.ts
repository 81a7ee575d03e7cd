/**
 * The `model` strategy of one stream, shared by the live edge, the demo, `trade --replay`
 * and the trainer's backtester (see {@linkcode ModelStrategy}).
 *
 * @module
 */

import { DecisionClock } from "../../core/features/clock.ts";
import { FeatureEngine } from "../../core/features/engine.ts";
import type { PortfolioState } from "../../core/features/portfolio.ts";
import type { FeatureSpec } from "../../core/features/spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { ModelDecision } from "../../core/model/decision.ts";
import {
  type Decision,
  HOLD,
  type Strategy,
  type StrategyContext,
} from "../../core/trading/strategy/strategy.ts";
import type { DecisionResult, WindowDecider } from "./model_session.ts";
import { withStreamInput } from "./stream_input.ts";

/** One model prediction, as stored in `predictions` and shown on the dashboard. */
export interface PredictionRecord {
  /** Decision-clock time, epoch ms. */
  readonly time: number;
  /** Venue and symbol decided for. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** The model's result (decision, version, latency, attention). */
  readonly result: DecisionResult;
}

/** Options of {@linkcode ModelStrategy}. */
export interface ModelStrategyOptions {
  /** What decides on a window (the edge's ModelHost, the backtester's package). */
  host: WindowDecider;
  /** The edge's feature spec (must equal the model's; the registry refuses others). */
  spec: FeatureSpec;
  /** The traded stream. */
  stream: { venue: string; symbol: string };
  /** Decision interval, ms (the decision clock's and the strategy's). */
  intervalMs: number;
  /** Receives each prediction (store it, show it). */
  onPrediction?: (p: PredictionRecord) => void | Promise<void>;
  /** A decision older than this many ms is not acted on (default 2 × intervalMs). */
  maxAgeMs?: number;
}

/**
 * The `model` strategy: the same incremental feature engine and decision clock as the
 * trainer feed the model's window; inference runs asynchronously on each decision-clock
 * boundary, and `decide()` acts on the newest fresh prediction (hold otherwise).
 *
 * What the model sees matches training: the portfolio feature group stays missing (offline
 * datasets have no account, so the model never learned from it), and an RL policy
 * (manifest `policy.position_input`) gets the position fraction — position value / equity
 * of the traded instrument — read when the boundary fires, before the event that crosses it
 * reaches the engine: the account after every earlier fill, as the trainer's environment
 * observes it at a decision point. The trader passes that live view to
 * {@linkcode ModelStrategy.observe}; without one, the portfolio of the last decision is
 * used (0 before any). The trader calls `observe` before the engine sees each event and
 * awaits {@linkcode ModelStrategy.settle}, so a replay is deterministic.
 */
export class ModelStrategy implements Strategy {
  /** Strategy name. */
  readonly name = "model";
  /** Decision interval, ms. */
  readonly intervalMs: number;
  /** Inference failures (the strategy holds meanwhile). */
  failures = 0;
  /** Last inference error message. */
  lastError: string | undefined;
  readonly #options: ModelStrategyOptions;
  readonly #clock: DecisionClock;
  #portfolio: PortfolioState | undefined;
  #live: (() => PortfolioState | undefined) | undefined;
  #pending: Promise<void>[] = [];
  #latest: { time: number; decision: ModelDecision } | undefined;
  readonly #latencies: number[] = [];

  /** @param options Model, spec, stream, interval and prediction sink. */
  constructor(options: ModelStrategyOptions) {
    this.#options = options;
    this.intervalMs = options.intervalMs;
    const window = options.host.current?.manifest.shape.window;
    if (window === undefined) {
      throw new Error("Cannot start the model strategy: no model is loaded");
    }
    this.#clock = new DecisionClock(new FeatureEngine(options.spec), {
      intervalMs: options.intervalMs,
      window,
      onDecision: (d) => {
        if (d.ready) this.#pending.push(this.#infer(d.time, d.rows));
      },
    });
  }

  /** Decision latencies measured so far, ms. */
  get latencies(): readonly number[] {
    return this.#latencies;
  }

  /**
   * Feeds one event to the feature engine (before the trading engine sees it).
   *
   * @param portfolio The traded instrument's portfolio now (kept for later boundaries too).
   */
  observe(event: MarketEvent, portfolio?: () => PortfolioState | undefined): void {
    if (portfolio !== undefined) this.#live = portfolio;
    this.#clock.onEvent(event);
  }

  /** Live timer: emits decision boundaries in quiet periods. */
  advanceTo(now: number): void {
    this.#clock.advanceTo(now);
  }

  /** Waits for the inferences started so far. */
  async settle(): Promise<void> {
    while (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      await Promise.all(batch);
    }
  }

  /** Acts on the newest fresh prediction for the traded stream. */
  decide(ctx: StrategyContext): Decision {
    const { venue, symbol } = this.#options.stream;
    if (ctx.inst.venue !== venue || ctx.inst.symbol !== symbol) return HOLD;
    this.#portfolio = ctx.portfolio();
    const latest = this.#latest;
    const maxAge = this.#options.maxAgeMs ?? 2 * this.intervalMs;
    if (!latest || ctx.time - latest.time > maxAge) return HOLD;
    const d = latest.decision;
    return {
      action: d.action,
      size: d.action === "hold" ? 0 : d.sizeFraction,
      confidence: d.confidence,
      outputs: { p_buy: d.probs.buy, p_sell: d.probs.sell, p_hold: d.probs.hold, risk: d.risk },
    };
  }

  /** Position value / equity now (long only; 0 when unknown). */
  #positionFraction(): number {
    const p = this.#live?.() ?? this.#portfolio;
    if (!p || !(p.equity > 0)) return 0;
    const f = p.positionValue / p.equity;
    return Number.isFinite(f) ? Math.max(0, f) : 0;
  }

  async #infer(time: number, rows: Parameters<WindowDecider["decide"]>[0]): Promise<void> {
    try {
      const positionFraction = this.#positionFraction();
      const inputs = this.#options.host.current?.manifest.stream_inputs;
      const { venue, symbol } = this.#options.stream;
      const window = inputs ? withStreamInput(rows, inputs, `${venue}:${symbol}`) : rows;
      const result = await this.#options.host.decide(window, { positionFraction });
      this.#latencies.push(result.latencyMs);
      if (!this.#latest || time >= this.#latest.time) {
        this.#latest = { time, decision: result.decision };
      }
      await this.#options.onPrediction?.({ time, ...this.#options.stream, result });
    } catch (e) {
      this.failures++;
      this.lastError = (e as Error).message;
    }
  }
}
