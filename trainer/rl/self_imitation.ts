/**
 * Experience replay of the edge's decisions by self-imitation learning (SIL,
 * Oh et al., ICML 2018), interleaved with PPO/A2C updates: after each on-policy
 * update, a few minibatches of recorded transitions (experience_buffer.ts)
 * push the policy towards recorded actions that turned out better than the
 * critic expected, and the critic up towards those returns:
 *
 *   R = r + γ^n·V(s'),  A⁺ = max(R − V(s), 0)
 *   loss = −mean(A⁺ · log π(a, u | s)) + c_v · ½ · mean(1[A⁺ > 0] · (R − V(s))²)
 *
 * with A⁺ and R held constant (computed on the host before the step), the
 * size term of log π only for buys and sells, its own Adam state and
 * gradient clipping. Actions that did worse than expected are ignored, so
 * replaying a poor policy's records cannot teach its mistakes.
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import { type AdamConfig, adamInit, type AdamState, adamStep, adamStepSize } from "../nn/adam.ts";
import {
  compile,
  keep,
  keepTree,
  ops,
  type Tensor,
  tensor,
  toHost,
  valueAndGradientAux,
} from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import type { ExperienceTransitions } from "./experience_buffer.ts";
import { policyForward } from "./policy.ts";

/** Settings. */
export interface SilConfig {
  /** Transitions per minibatch (capped at the buffer size). */
  readonly batch: number;
  /** Minibatch steps after each on-policy update. */
  readonly stepsPerUpdate: number;
  /** Critic-loss coefficient (SIL paper: 0.01). */
  readonly valueCoef: number;
  /** Discount of the bootstrap. */
  readonly gamma: number;
  /** Global gradient-norm clip. */
  readonly maxGradNorm: number;
  /** Seed of minibatch sampling. */
  readonly seed: number;
}

/** Defaults (SIL paper: batch 512 over a large buffer; smaller here). */
export const SIL_DEFAULTS: Omit<SilConfig, "gamma" | "seed"> = {
  batch: 64,
  stepsPerUpdate: 2,
  valueCoef: 0.01,
  maxGradNorm: 0.5,
};

/** Diagnostics of one replay round. */
export interface SilStats {
  /** Minibatch steps taken so far. */
  readonly steps: number;
  /** Share of sampled transitions with A⁺ > 0 (last minibatch). */
  readonly positiveShare: number;
  /** Mean A⁺ (last minibatch). */
  readonly meanAdvantage: number;
}

interface Batch {
  obs: Tensor;
  onehot: Tensor;
  u: Tensor;
  sizeMask: Tensor;
  adv: Tensor;
  mask: Tensor;
  ret: Tensor;
}

type UpdateFn = (p: Params, s: AdamState, b: Batch, stepSize: Tensor) => {
  params: Params;
  state: AdamState;
  stats: Tensor;
};

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function silLoss(valueCoef: number) {
  return (p: Params, b: Batch): [Tensor, Tensor] => {
    const out = policyForward(p, b.obs);
    const lpChoice = ops.sum(ops.mul(out.logp, b.onehot), -1);
    const z = ops.div(ops.sub(b.u, out.mean), ops.exp(keep(out.logStd)));
    const lpSize = ops.reshape(
      ops.sub(ops.sub(ops.mul(ops.square(z), -0.5), out.logStd), HALF_LOG_2PI),
      [-1],
    );
    const logProb = ops.add(lpChoice, ops.mul(lpSize, b.sizeMask));
    const policyLoss = ops.mul(ops.mean(ops.mul(logProb, b.adv)), -1);
    const err = ops.sub(b.ret, ops.reshape(out.value, [-1]));
    const valueLoss = ops.mul(ops.mean(ops.mul(ops.square(err), b.mask)), 0.5);
    const total = ops.add(keep(policyLoss), ops.mul(keep(valueLoss), valueCoef));
    return [total, ops.concat([policyLoss, valueLoss].map((t) => ops.reshape(t, [1])), 0)];
  };
}

/** Replays experience transitions into a policy (see module docs). */
export class SelfImitation {
  readonly #tr: ExperienceTransitions;
  readonly #cfg: SilConfig;
  readonly #choices: number;
  readonly #rand: () => number;
  readonly #adam: AdamConfig;
  readonly #value: (p: Params, obs: Tensor) => Tensor;
  readonly #update: UpdateFn;
  #state: AdamState | undefined;
  #steps = 0;

  /**
   * @param tr Transitions (at least one).
   * @param choices Discrete choices of the policy.
   * @param cfg Settings.
   */
  constructor(tr: ExperienceTransitions, choices: number, cfg: SilConfig) {
    if (tr.n === 0) throw new RangeError("Cannot replay experience: no transitions");
    this.#tr = tr;
    this.#cfg = cfg;
    this.#choices = choices;
    this.#rand = seededRandom(cfg.seed * 7 + 3);
    this.#adam = { beta1: 0.9, beta2: 0.999, eps: 1e-5, maxGradNorm: cfg.maxGradNorm };
    this.#value = compile((p: Params, obs: Tensor) => {
      const out = policyForward(p, obs);
      out.logp.dispose();
      out.mean.dispose();
      out.logStd.dispose();
      return ops.reshape(out.value, [-1]);
    });
    const vg = valueAndGradientAux(silLoss(cfg.valueCoef));
    const adam = this.#adam;
    this.#update = compile((p: Params, s: AdamState, b: Batch, stepSize: Tensor) => {
      const [[total, stats], g] = vg(keepTree(p), b);
      total.dispose();
      const next = adamStep(adam, p, s, g, stepSize);
      next.norm.dispose();
      return { params: next.params, state: next.state, stats };
    }) as unknown as UpdateFn;
  }

  /** Transitions replayed. */
  get size(): number {
    return this.#tr.n;
  }

  async #batch(p: Params, idx: number[]): Promise<{ batch: Batch; pos: number; adv: number }> {
    const tr = this.#tr;
    const m = idx.length;
    const o = tr.obsSize;
    const both = new Float32Array(2 * m * o);
    idx.forEach((i, k) => {
      both.set(tr.obs.subarray(i * o, (i + 1) * o), k * o);
      both.set(tr.nextObs.subarray(i * o, (i + 1) * o), (m + k) * o);
    });
    const v = await toHost(this.#value(keepTree(p), tensor(both, [2 * m, o])));
    const obs = both.slice(0, m * o);
    const onehot = new Float32Array(m * this.#choices);
    const u = new Float32Array(m);
    const sizeMask = new Float32Array(m);
    const adv = new Float32Array(m);
    const mask = new Float32Array(m);
    const ret = new Float32Array(m);
    let positives = 0;
    let sum = 0;
    idx.forEach((i, k) => {
      onehot[k * this.#choices + (tr.choice[i] as number)] = 1;
      u[k] = tr.u[i] as number;
      sizeMask[k] = tr.sizeMask[i] as number;
      const r = (tr.reward[i] as number) +
        this.#cfg.gamma ** (tr.steps[i] as number) * (v[m + k] as number);
      const a = Math.max(r - (v[k] as number), 0);
      ret[k] = r;
      adv[k] = a;
      mask[k] = a > 0 ? 1 : 0;
      if (a > 0) positives++;
      sum += a;
    });
    return {
      batch: {
        obs: tensor(obs, [m, o]),
        onehot: tensor(onehot, [m, this.#choices]),
        u: tensor(u, [m, 1]),
        sizeMask: tensor(sizeMask, [m]),
        adv: tensor(adv, [m]),
        mask: tensor(mask, [m]),
        ret: tensor(ret, [m]),
      },
      pos: positives / m,
      adv: sum / m,
    };
  }

  /**
   * Runs `stepsPerUpdate` minibatch steps at learning rate `lr` on `params`
   * (consumed) and returns the new parameters.
   */
  async replay(params: Params, lr: number): Promise<{ params: Params; stats: SilStats }> {
    this.#state ??= adamInit(params);
    const m = Math.min(this.#cfg.batch, this.#tr.n);
    let p = params;
    let last = { pos: 0, adv: 0 };
    for (let s = 0; s < this.#cfg.stepsPerUpdate; s++) {
      const idx = Array.from({ length: m }, () => Math.floor(this.#rand() * this.#tr.n));
      const { batch, pos, adv } = await this.#batch(p, idx);
      last = { pos, adv };
      const r = this.#update(
        p,
        this.#state,
        batch,
        adamStepSize(this.#adam, lr, ++this.#steps),
      );
      p = r.params;
      this.#state = r.state;
      r.stats.dispose();
    }
    return {
      params: p,
      stats: { steps: this.#steps, positiveShare: last.pos, meanAdvantage: last.adv },
    };
  }

  /** Frees the optimizer state. */
  dispose(): void {
    this.#state?.m.dispose();
    this.#state?.v.dispose();
    this.#state = undefined;
  }
}
