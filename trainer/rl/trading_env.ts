/**
 * The trading environment: decisions at consecutive bars of a market tape
 * (precomputed window encodings + top of book), orders routed through an
 * {@linkcode ExecutionPort} and filled at the *next* bar's quote (decide on
 * t, fill on t+1: no look-ahead), fees and slippage inside the port, reward
 * from {@linkcode RewardTracker}. Observation = window encoding (computed
 * once per tape, not per step) + position fraction (no episode clock, so
 * live trading and evaluation see the same inputs as training).
 * Action: hold / buy / sell with size 0-25 % of equity.
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import { type Env, type EnvAction, type EnvStep, sizeFraction } from "./env.ts";
import type { ExecutionPort, Quote } from "./execution.ts";
import { type RewardConfig, RewardTracker } from "./reward.ts";

/** Market data the environment walks over. */
export interface MarketTape {
  /** Encodings [n * embSize] (one per bar). */
  readonly emb: Float32Array;
  /** Encoding width. */
  readonly embSize: number;
  /** Quotes per bar. */
  readonly quotes: readonly Quote[];
}

/** Settings. */
export interface TradingEnvConfig {
  /** Decisions per episode (cut earlier at the tape's end). */
  readonly episodeLength: number;
  /** Starting cash. */
  readonly cash: number;
  /** Reward. */
  readonly reward: RewardConfig;
  /** Seed of episode start positions. */
  readonly seed: number;
}

/** Observation of bar k with a given position fraction. */
export function tradingObs(
  tape: MarketTape,
  k: number,
  posFrac: number,
): Float32Array {
  const o = new Float32Array(tape.embSize + 1);
  o.set(tape.emb.subarray(k * tape.embSize, (k + 1) * tape.embSize));
  o[tape.embSize] = posFrac;
  return o;
}

/** See module docs. */
export class TradingEnv implements Env {
  /** Observation length. */
  readonly obsSize: number;
  /** hold, buy, sell. */
  readonly choices = 3;
  readonly #tape: MarketTape;
  readonly #cfg: TradingEnvConfig;
  readonly #exec: ExecutionPort;
  readonly #reward: RewardTracker;
  readonly #rand: () => number;
  #k = 0;
  #start = 0;
  #len = 0;

  /**
   * @param tape Market tape (at least 2 bars).
   * @param exec Execution port (owned by this env).
   * @param cfg Settings.
   */
  constructor(tape: MarketTape, exec: ExecutionPort, cfg: TradingEnvConfig) {
    if (tape.quotes.length < 2) throw new RangeError("Cannot trade a tape of fewer than 2 bars");
    this.#tape = tape;
    this.#exec = exec;
    this.#cfg = cfg;
    this.#reward = new RewardTracker(cfg.reward);
    this.#rand = seededRandom(cfg.seed);
    this.obsSize = tape.embSize + 1;
  }

  #obs(): Float32Array {
    const q = this.#tape.quotes[this.#k] as Quote;
    const a = this.#exec.account(q);
    return tradingObs(this.#tape, this.#k, a.position * q.bid / a.equity);
  }

  /** Starts an episode at a random bar. */
  reset(): Float32Array {
    const n = this.#tape.quotes.length;
    this.#len = Math.min(this.#cfg.episodeLength, n - 1);
    this.#start = Math.floor(this.#rand() * (n - this.#len));
    this.#k = this.#start;
    this.#exec.reset(this.#cfg.cash);
    this.#reward.reset(this.#cfg.cash);
    return this.#obs();
  }

  /** Decides at bar k, fills at bar k+1, rewards the equity change. */
  step(a: EnvAction): EnvStep {
    const quotes = this.#tape.quotes;
    const prev = this.#exec.account(quotes[this.#k] as Quote).equity;
    const next = quotes[this.#k + 1] as Quote;
    if (a.choice === 1) this.#exec.trade("buy", sizeFraction(a.u), next);
    else if (a.choice === 2) this.#exec.trade("sell", sizeFraction(a.u), next);
    this.#k++;
    const eq = this.#exec.account(next).equity;
    const reward = this.#reward.step(prev, eq);
    const truncated = this.#k - this.#start >= this.#len || this.#k >= quotes.length - 1;
    return { obs: this.#obs(), reward, terminated: false, truncated };
  }
}
