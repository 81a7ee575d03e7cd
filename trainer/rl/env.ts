/**
 * The reinforcement-learning environment contract. Actions are a discrete
 * choice (hold 0 / buy 1 / sell 2 in trading environments) plus a size `u`
 * sampled in pre-squash space; trading environments map it with
 * {@linkcode orderSize} to the engine's order size in [0, 1] (buys: that share of
 * the room under the 25 %-of-equity position cap; sells: that share of the
 * position), others ignore it.
 *
 * @module
 */

/** An agent action. */
export interface EnvAction {
  /** Discrete choice index. */
  readonly choice: number;
  /** Unbounded size variable; see {@linkcode orderSize}. */
  readonly u: number;
}

/** Result of a step. */
export interface EnvStep {
  /** Observation after the step (the next decision's input). */
  readonly obs: Float32Array;
  /** Reward of the step. */
  readonly reward: number;
  /** True at a terminal state (no bootstrap). */
  readonly terminated: boolean;
  /** True when cut by a time limit (bootstrap from `obs`). */
  readonly truncated: boolean;
}

/** An environment. */
export interface Env {
  /** Observation length. */
  readonly obsSize: number;
  /** Number of discrete choices. */
  readonly choices: number;
  /** Starts an episode; returns the first observation. */
  reset(): Float32Array;
  /** Applies an action. */
  step(a: EnvAction): EnvStep;
}

/** Maps the size variable to an order size in [0, 1]: sigmoid(u). */
export function orderSize(u: number): number {
  return 1 / (1 + Math.exp(-u));
}
