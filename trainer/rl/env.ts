/**
 * The reinforcement-learning environment contract. Actions are a discrete
 * choice (hold 0 / buy 1 / sell 2 in trading environments) plus a size `u`
 * sampled in pre-squash space; environments map it with {@linkcode sizeFraction}
 * (0..25 % of equity in trading) or ignore it.
 *
 * @module
 */

/** An agent action. */
export interface EnvAction {
  /** Discrete choice index. */
  readonly choice: number;
  /** Unbounded size variable; see {@linkcode sizeFraction}. */
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

/** Maximum position size as a fraction of equity. */
export const MAX_SIZE_FRACTION = 0.25;

/** Maps the size variable to a fraction of equity in [0, 0.25]: 0.25 * sigmoid(u). */
export function sizeFraction(u: number): number {
  return MAX_SIZE_FRACTION / (1 + Math.exp(-u));
}
