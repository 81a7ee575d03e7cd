/**
 * Tiny deterministic environments for testing RL algorithms.
 *
 * - {@linkcode MatchEnv}: the observation one-hot encodes a target in 0..2
 *   (cycling deterministically); reward 1 for choosing it, else 0; 12 steps.
 * - {@linkcode ChainEnv}: positions 0..n-1 (one-hot); choice 1 moves right, 2
 *   left, 0 stays; reward 1 and termination at the right end, -0.01 per step,
 *   truncated after 3n steps. Needs credit assignment over several steps.
 *
 * @module
 */

import type { Env, EnvAction, EnvStep } from "./env.ts";

/** See module docs. */
export class MatchEnv implements Env {
  /** Observation length. */
  readonly obsSize = 3;
  /** Choices. */
  readonly choices = 3;
  #t = 0;
  #target(): number {
    return (this.#t * 2 + Math.floor(this.#t / 3)) % 3;
  }
  #obs(): Float32Array {
    const o = new Float32Array(3);
    o[this.#target()] = 1;
    return o;
  }
  /** Starts an episode. */
  reset(): Float32Array {
    this.#t = 0;
    return this.#obs();
  }
  /** Applies an action. */
  step(a: EnvAction): EnvStep {
    const reward = a.choice === this.#target() ? 1 : 0;
    this.#t++;
    return { obs: this.#obs(), reward, terminated: false, truncated: this.#t >= 12 };
  }
}

/** See module docs. */
export class ChainEnv implements Env {
  /** Observation length. */
  readonly obsSize: number;
  /** Choices. */
  readonly choices = 3;
  #pos = 0;
  #t = 0;
  /** @param n Chain length. */
  constructor(readonly n = 6) {
    this.obsSize = n;
  }
  #obs(): Float32Array {
    const o = new Float32Array(this.n);
    o[this.#pos] = 1;
    return o;
  }
  /** Starts an episode. */
  reset(): Float32Array {
    this.#pos = 0;
    this.#t = 0;
    return this.#obs();
  }
  /** Applies an action. */
  step(a: EnvAction): EnvStep {
    if (a.choice === 1) this.#pos = Math.min(this.n - 1, this.#pos + 1);
    else if (a.choice === 2) this.#pos = Math.max(0, this.#pos - 1);
    this.#t++;
    const done = this.#pos === this.n - 1;
    return {
      obs: this.#obs(),
      reward: done ? 1 : -0.01,
      terminated: done,
      truncated: !done && this.#t >= 3 * this.n,
    };
  }
}
