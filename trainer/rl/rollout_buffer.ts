/**
 * Rollout storage for on-policy algorithms ([steps x envs], host memory) and
 * generalized advantage estimation (GAE). Time-limit truncations are
 * bootstrapped by the collector (reward += gamma * V(final obs)), so here only
 * terminations cut the recursion (CleanRL detail 5).
 *
 * @module
 */

/** One rollout of `steps` x `envs` transitions. */
export class RolloutBuffer {
  /** Steps per env. */
  readonly steps: number;
  /** Parallel envs. */
  readonly envs: number;
  /** Observation length. */
  readonly obsSize: number;
  /** Observations [steps * envs * obsSize]. */
  readonly obs: Float32Array;
  /** Discrete choices [steps * envs]. */
  readonly choice: Int32Array;
  /** Size variables [steps * envs]. */
  readonly u: Float32Array;
  /** Log-probabilities under the collecting policy. */
  readonly logProb: Float32Array;
  /** Value estimates. */
  readonly value: Float32Array;
  /** Rewards. */
  readonly reward: Float32Array;
  /** 1 where the episode terminated after this step. */
  readonly done: Uint8Array;
  /** Advantages (after {@linkcode computeGae}). */
  readonly advantage: Float32Array;
  /** Returns = advantages + values. */
  readonly returns: Float32Array;

  /**
   * @param steps Steps per env.
   * @param envs Parallel envs.
   * @param obsSize Observation length.
   */
  constructor(steps: number, envs: number, obsSize: number) {
    this.steps = steps;
    this.envs = envs;
    this.obsSize = obsSize;
    const n = steps * envs;
    this.obs = new Float32Array(n * obsSize);
    this.choice = new Int32Array(n);
    this.u = new Float32Array(n);
    this.logProb = new Float32Array(n);
    this.value = new Float32Array(n);
    this.reward = new Float32Array(n);
    this.done = new Uint8Array(n);
    this.advantage = new Float32Array(n);
    this.returns = new Float32Array(n);
  }

  /**
   * Fills `advantage` and `returns` by GAE(gamma, lambda), bootstrapping the
   * last step from `lastValue` [envs] (0 where that step terminated).
   */
  computeGae(lastValue: ArrayLike<number>, gamma: number, lambda: number): void {
    const { steps, envs } = this;
    for (let e = 0; e < envs; e++) {
      let gae = 0;
      for (let t = steps - 1; t >= 0; t--) {
        const i = t * envs + e;
        const notDone = this.done[i] ? 0 : 1;
        const nextV = t === steps - 1 ? (lastValue[e] as number) : (this.value[i + envs] as number);
        const delta = (this.reward[i] as number) + gamma * nextV * notDone -
          (this.value[i] as number);
        gae = delta + gamma * lambda * notDone * gae;
        this.advantage[i] = gae;
        this.returns[i] = gae + (this.value[i] as number);
      }
    }
  }
}
