/**
 * Shared machinery of PPO and A2C: vectorized rollout collection with a
 * compiled batch forward of the policy, host-side sampling with a seeded
 * generator, truncation bootstrapping, and minibatch tensors.
 *
 * @module
 */

import { compile, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import type { Env } from "./env.ts";
import { policyForward } from "./policy.ts";
import { RolloutBuffer } from "./rollout_buffer.ts";

/** Host copy of a policy forward on a batch. */
interface HostOut {
  logp: Float32Array;
  mean: Float32Array;
  logStd: number;
  value: Float32Array;
}

/** A vectorized collector over `envs` environments. */
export class Collector {
  readonly #envs: Env[];
  readonly #forward: (p: Params, obs: Tensor) => ReturnType<typeof policyForward>;
  readonly #rand: () => number;
  #obs: Float32Array[];
  #epReturn: number[];
  /** Returns of finished episodes since the last {@linkcode Collector.takeEpisodes}. */
  #finished: number[] = [];

  /**
   * @param envs Environments (same obsSize/choices).
   * @param rand Seeded uniform generator for sampling.
   */
  constructor(envs: Env[], rand: () => number) {
    this.#envs = envs;
    this.#rand = rand;
    this.#forward = compile((p: Params, obs: Tensor) => policyForward(p, obs));
    this.#obs = envs.map((e) => e.reset());
    this.#epReturn = envs.map(() => 0);
  }

  async #run(p: Params, obs: Float32Array[]): Promise<HostOut> {
    const o = (this.#envs[0] as Env).obsSize;
    const flat = new Float32Array(obs.length * o);
    obs.forEach((x, i) => flat.set(x, i * o));
    const out = this.#forward(keepTree(p), tensor(flat, [obs.length, o]));
    return {
      logp: await toHost(out.logp),
      mean: await toHost(out.mean),
      logStd: (await toHost(out.logStd))[0] as number,
      value: await toHost(out.value),
    };
  }

  #normal(): number {
    const u1 = Math.max(this.#rand(), 1e-12);
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * this.#rand());
  }

  /** Collects `steps` steps from every env with policy `p` (kept) into a new buffer, with GAE. */
  async collect(p: Params, steps: number, gamma: number, lambda: number): Promise<RolloutBuffer> {
    const n = this.#envs.length;
    const c = (this.#envs[0] as Env).choices;
    const o = (this.#envs[0] as Env).obsSize;
    const buf = new RolloutBuffer(steps, n, o);
    for (let t = 0; t < steps; t++) {
      const out = await this.#run(p, this.#obs);
      const truncatedObs: { i: number; obs: Float32Array }[] = [];
      for (let e = 0; e < n; e++) {
        const i = t * n + e;
        buf.obs.set(this.#obs[e] as Float32Array, i * o);
        let r = this.#rand();
        let choice = c - 1;
        for (let k = 0; k < c; k++) {
          r -= Math.exp(out.logp[e * c + k] as number);
          if (r <= 0) {
            choice = k;
            break;
          }
        }
        const std = Math.exp(out.logStd);
        const z = this.#normal();
        const u = (out.mean[e] as number) + std * z;
        buf.choice[i] = choice;
        buf.u[i] = u;
        buf.logProb[i] = (out.logp[e * c + choice] as number) - 0.5 * z * z - out.logStd -
          0.5 * Math.log(2 * Math.PI);
        buf.value[i] = out.value[e] as number;
        const env = this.#envs[e] as Env;
        const s = env.step({ choice, u });
        buf.reward[i] = s.reward;
        this.#epReturn[e] = (this.#epReturn[e] as number) + s.reward;
        if (s.terminated || s.truncated) {
          buf.done[i] = 1;
          if (s.truncated && !s.terminated) truncatedObs.push({ i, obs: s.obs });
          this.#finished.push(this.#epReturn[e] as number);
          this.#epReturn[e] = 0;
          this.#obs[e] = env.reset();
        } else this.#obs[e] = s.obs;
      }
      if (truncatedObs.length > 0) {
        const v = (await this.#run(p, truncatedObs.map((x) => x.obs))).value;
        truncatedObs.forEach((
          x,
          k,
        ) => (buf.reward[x.i] = (buf.reward[x.i] as number) + gamma * (v[k] as number)));
      }
    }
    const last = await this.#run(p, this.#obs);
    buf.computeGae(last.value, gamma, lambda);
    return buf;
  }

  /** Returns and clears the finished-episode returns. */
  takeEpisodes(): number[] {
    const out = this.#finished;
    this.#finished = [];
    return out;
  }
}

/** Device tensors of a minibatch of buffer indices. */
export interface Minibatch {
  /** Observations [M, O]. */
  obs: Tensor;
  /** One-hot choices [M, C]. */
  onehot: Tensor;
  /** Size variables [M, 1]. */
  u: Tensor;
  /** Old log-probabilities [M]. */
  oldLogProb: Tensor;
  /** Advantages [M] (normalized when asked). */
  adv: Tensor;
  /** Returns [M]. */
  ret: Tensor;
}

/** Builds a minibatch; advantages are normalized within it when `normalize`. */
export function minibatch(
  buf: RolloutBuffer,
  idx: readonly number[],
  choices: number,
  normalize: boolean,
): Minibatch {
  const m = idx.length;
  const o = buf.obsSize;
  const obs = new Float32Array(m * o);
  const onehot = new Float32Array(m * choices);
  const u = new Float32Array(m);
  const lp = new Float32Array(m);
  const adv = new Float32Array(m);
  const ret = new Float32Array(m);
  idx.forEach((i, k) => {
    obs.set(buf.obs.subarray(i * o, (i + 1) * o), k * o);
    onehot[k * choices + (buf.choice[i] as number)] = 1;
    u[k] = buf.u[i] as number;
    lp[k] = buf.logProb[i] as number;
    adv[k] = buf.advantage[i] as number;
    ret[k] = buf.returns[i] as number;
  });
  if (normalize && m > 1) {
    const mean = adv.reduce((a, b) => a + b, 0) / m;
    const std = Math.sqrt(adv.reduce((a, b) => a + (b - mean) ** 2, 0) / m);
    for (let k = 0; k < m; k++) adv[k] = ((adv[k] as number) - mean) / (std + 1e-8);
  }
  return {
    obs: tensor(obs, [m, o]),
    onehot: tensor(onehot, [m, choices]),
    u: tensor(u, [m, 1]),
    oldLogProb: tensor(lp, [m]),
    adv: tensor(adv, [m]),
    ret: tensor(ret, [m]),
  };
}
