/**
 * The trading environment: decisions at consecutive decision points of a
 * market tape (window encodings computed once per tape by the frozen encoder,
 * not per step), orders through an {@linkcode ExecutionPort} (the shared
 * trading engine in training runs: fees, slippage, sizing and risk are inside
 * the port), filled on the way to the next decision (no look-ahead), reward
 * from {@linkcode RewardTracker}. Observation = window encoding + position
 * fraction (no episode clock, so evaluation and live trading see what
 * training saw). Action: hold / buy / sell with an order size.
 *
 * The environment walks the tape continuously: an episode is the next
 * `episodeLength` decisions with the account carried over; at the tape's end
 * the account restarts at a random early decision.
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import { type Env, type EnvAction, type EnvStep, orderSize } from "./env.ts";
import type { ExecutionPort } from "./execution.ts";
import { type RewardConfig, RewardTracker } from "./reward.ts";

/** Window encodings of consecutive decision points. */
export interface MarketTape {
  /** Encodings [n * embSize]. */
  readonly emb: Float32Array;
  /** Encoding width. */
  readonly embSize: number;
}

/** Settings. */
export interface TradingEnvConfig {
  /** Decisions per episode. */
  readonly episodeLength: number;
  /** Reward. */
  readonly reward: RewardConfig;
  /** Seed of restart positions. */
  readonly seed: number;
}

/** Observation at decision k with a given position fraction. */
export function tradingObs(tape: MarketTape, k: number, posFrac: number): Float32Array {
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
  readonly #port: ExecutionPort;
  readonly #reward: RewardTracker;
  readonly #rand: () => number;
  #k = -1;
  #episodeStart = 0;

  /**
   * @param tape Encodings, one per decision point of `port`.
   * @param port Execution port (owned by this env).
   * @param cfg Settings.
   */
  constructor(tape: MarketTape, port: ExecutionPort, cfg: TradingEnvConfig) {
    if (port.length < 2) throw new RangeError("Cannot trade fewer than 2 decision points");
    if (tape.emb.length !== port.length * tape.embSize) {
      throw new RangeError(
        `Tape has ${tape.emb.length / tape.embSize} encodings for ${port.length} decisions`,
      );
    }
    this.#tape = tape;
    this.#port = port;
    this.#cfg = cfg;
    this.#reward = new RewardTracker(cfg.reward);
    this.#rand = seededRandom(cfg.seed);
    this.obsSize = tape.embSize + 1;
  }

  #obs(): Float32Array {
    return tradingObs(this.#tape, this.#k, this.#port.account().positionFraction);
  }

  /** Starts the next episode (restarting the account at the tape's end). */
  reset(): Float32Array {
    if (this.#k < 0 || this.#k >= this.#port.length - 1) {
      this.#k = Math.floor(this.#rand() * Math.max(1, Math.floor(this.#port.length / 2)));
      this.#port.reset(this.#k);
    }
    this.#episodeStart = this.#k;
    this.#reward.reset(this.#port.account().equity);
    return this.#obs();
  }

  /** Orders at decision k, moves to k+1, rewards the equity change. */
  step(a: EnvAction): EnvStep {
    const prev = this.#port.account().equity;
    if (a.choice === 1) this.#port.order("buy", orderSize(a.u));
    else if (a.choice === 2) this.#port.order("sell", orderSize(a.u));
    this.#k++;
    this.#port.advance(this.#k);
    const reward = this.#reward.step(prev, this.#port.account().equity);
    const truncated = this.#k - this.#episodeStart >= this.#cfg.episodeLength ||
      this.#k >= this.#port.length - 1;
    return { obs: this.#obs(), reward, terminated: false, truncated };
  }
}
