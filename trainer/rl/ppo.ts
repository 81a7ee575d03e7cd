/**
 * Proximal Policy Optimization (clipped surrogate) and Advantage Actor-Critic
 * over the actor-critic policy, following the SB3/CleanRL defaults in
 * shared/reference/ml-and-rl.md: GAE, per-minibatch advantage normalization
 * (PPO), value loss, entropy bonus, global-norm gradient clipping, shuffled
 * minibatch epochs (PPO), Adam with eps 1e-5 and linear learning-rate
 * annealing. A2C: one full-batch gradient step per short rollout, lambda 1,
 * no clipping or normalization (Adam instead of SB3's RMSprop).
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import {
  type AdamConfig,
  adamFromHost,
  adamInit,
  type AdamState,
  adamStep,
  adamStepSize,
  flatLayout,
  splitFlat,
} from "../nn/adam.ts";
import {
  compile,
  freeTree,
  keep,
  keepTree,
  ops,
  type Tensor,
  toHost,
  valueAndGradientAux,
} from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { Collector, type Minibatch, minibatch } from "./agent.ts";
import type { Env } from "./env.ts";
import {
  type HostPolicy,
  initPolicy,
  logProbAndEntropy,
  policyForward,
  uploadPolicy,
} from "./policy.ts";

/** Algorithm settings. */
export interface RlConfig {
  /** "ppo" or "a2c". */
  readonly algo: "ppo" | "a2c";
  /** Parallel environments. */
  readonly numEnvs: number;
  /** Steps per env per rollout. */
  readonly nSteps: number;
  /** Total environment steps (all envs). */
  readonly totalSteps: number;
  /** PPO epochs per rollout (A2C: 1). */
  readonly epochs: number;
  /** PPO minibatches per epoch (A2C: 1). */
  readonly minibatches: number;
  /** Discount. */
  readonly gamma: number;
  /** GAE lambda (A2C: 1). */
  readonly gaeLambda: number;
  /** PPO clip range. */
  readonly clip: number;
  /** Value-loss coefficient. */
  readonly vfCoef: number;
  /** Entropy coefficient. */
  readonly entCoef: number;
  /** Peak learning rate (annealed linearly to 0). */
  readonly learningRate: number;
  /** Global gradient-norm clip. */
  readonly maxGradNorm: number;
  /** Normalize advantages per minibatch. */
  readonly normalizeAdvantage: boolean;
  /** Policy hidden width. */
  readonly hidden: number;
  /** Seed of init and sampling. */
  readonly seed: number;
}

/** PPO defaults (CleanRL-like, small rollouts). */
export const PPO_DEFAULTS: Omit<RlConfig, "totalSteps"> = {
  algo: "ppo",
  numEnvs: 4,
  nSteps: 128,
  epochs: 4,
  minibatches: 4,
  gamma: 0.99,
  gaeLambda: 0.95,
  clip: 0.2,
  vfCoef: 0.5,
  entCoef: 0.01,
  learningRate: 2.5e-4,
  maxGradNorm: 0.5,
  normalizeAdvantage: true,
  hidden: 64,
  seed: 1,
};

/** A2C defaults (SB3-like: n_steps 5, lambda 1, lr 7e-4). */
export const A2C_DEFAULTS: Omit<RlConfig, "totalSteps"> = {
  ...PPO_DEFAULTS,
  algo: "a2c",
  nSteps: 5,
  epochs: 1,
  minibatches: 1,
  gaeLambda: 1,
  learningRate: 7e-4,
  normalizeAdvantage: false,
};

/** Diagnostics of one update. */
export interface UpdateStats {
  /** Environment steps so far. */
  steps: number;
  /** Mean return of episodes finished during the rollout (NaN if none). */
  mean_return: number;
  /** Policy loss, value loss, entropy, approx KL, clip fraction (last minibatch). */
  policy_loss: number;
  /** Value loss. */
  value_loss: number;
  /** Mean entropy. */
  entropy: number;
  /** Approximate KL (k3 estimator). */
  approx_kl: number;
  /** Fraction of clipped ratios. */
  clip_frac: number;
}

type UpdateFn = (p: Params, s: AdamState, mb: Minibatch, stepSize: Tensor) => {
  params: Params;
  state: AdamState;
  stats: Tensor;
};

function makeUpdate(cfg: RlConfig, adam: AdamConfig): UpdateFn {
  const loss = (p: Params, mb: Minibatch): [Tensor, Tensor] => {
    const out = policyForward(p, mb.obs);
    const value = ops.reshape(keep(out.value), [-1]);
    const { logProb, entropy } = logProbAndEntropy(out, mb.onehot, mb.u);
    const logRatio = ops.sub(logProb, mb.oldLogProb);
    const ratio = ops.exp(keep(logRatio));
    let policyLoss: Tensor;
    let clipFrac: Tensor;
    if (cfg.algo === "ppo") {
      const a = ops.mul(keep(ratio), keep(mb.adv));
      const b = ops.mul(ops.clip(keep(ratio), 1 - cfg.clip, 1 + cfg.clip), mb.adv);
      policyLoss = ops.mul(ops.mean(ops.minimum(a, b)), -1);
      clipFrac = ops.mean(
        ops.clip(
          ops.mul(
            ops.sub(ops.sqrt(ops.square(ops.sub(keep(ratio), 1))), cfg.clip),
            1e6,
          ),
          0,
          1,
        ),
      );
    } else {
      policyLoss = ops.mul(ops.mean(ops.mul(keep(logRatio), mb.adv)), -1); // ratio = 1 at the collecting policy
      clipFrac = ops.mul(ops.mean(keep(logRatio)), 0);
    }
    const valueLoss = ops.mean(ops.square(ops.sub(value, mb.ret)));
    const ent = ops.mean(entropy);
    const approxKl = ops.mean(ops.sub(ops.sub(ratio, 1), logRatio));
    const total = ops.add(
      ops.add(keep(policyLoss), ops.mul(keep(valueLoss), cfg.vfCoef)),
      ops.mul(keep(ent), -cfg.entCoef),
    );
    const stats = ops.concat(
      [policyLoss, valueLoss, ent, approxKl, clipFrac].map((t) => ops.reshape(t, [1])),
      0,
    );
    return [total, stats];
  };
  const vg = valueAndGradientAux(loss);
  return compile((p: Params, s: AdamState, mb: Minibatch, stepSize: Tensor) => {
    const [[total, stats], g] = vg(keepTree(p), mb);
    total.dispose();
    const next = adamStep(adam, p, s, g, stepSize);
    next.norm.dispose();
    return { params: next.params, state: next.state, stats };
  }) as unknown as UpdateFn;
}

/** Resumable RL state (saved every `checkpointEvery` updates). */
export interface RlState {
  /** Updates completed. */
  update: number;
  /** Optimizer steps taken. */
  optStep: number;
  /** Policy parameters. */
  policy: HostPolicy;
  /** Adam first moments. */
  m: HostPolicy;
  /** Adam second moments. */
  v: HostPolicy;
}

/** Hooks of {@linkcode trainRl}. */
export interface RlHooks {
  /** After every update. */
  onUpdate?(s: UpdateStats): void;
  /** Every `checkpointEvery` updates (awaited), with the state to persist. */
  onCheckpoint?(s: RlState): Promise<void> | void;
  /** Updates between checkpoints (default 10). */
  checkpointEvery?: number;
  /**
   * After every on-policy update: extra off-policy steps (experience replay);
   * consumes the parameters and returns the new ones.
   */
  replay?(params: Params, lr: number): Promise<Params>;
}

function shaped(m: Map<string, Float32Array>, layout: ReturnType<typeof flatLayout>): HostPolicy {
  return new Map(
    layout.map((l) => [l.name, { shape: l.shape, data: m.get(l.name) as Float32Array }]),
  );
}

async function hostTree(p: Params): Promise<HostPolicy> {
  const out: HostPolicy = new Map();
  for (const [k, t] of Object.entries(p)) {
    out.set(k, { shape: [...t.shape], data: await toHost(keep(t)) });
  }
  return out;
}

/** Trains a policy with PPO or A2C on `envs` (one per parallel slot). */
export async function trainRl(
  envs: Env[],
  cfg: RlConfig,
  hooks: RlHooks = {},
  init?: HostPolicy,
  resume?: RlState,
): Promise<HostPolicy> {
  const env0 = envs[0];
  if (env0 === undefined || envs.length !== cfg.numEnvs) {
    throw new RangeError(`Cannot train: need ${cfg.numEnvs} envs`);
  }
  const adam: AdamConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-5, maxGradNorm: cfg.maxGradNorm };
  const host = init ??
    initPolicy({ obsSize: env0.obsSize, choices: env0.choices, hidden: cfg.hidden }, cfg.seed);
  let params = uploadPolicy(resume?.policy ?? host);
  const layout = flatLayout(params);
  const dataOf = (h: HostPolicy) => new Map([...h].map(([k, t]) => [k, t.data]));
  let state: AdamState = resume
    ? adamFromHost(layout, dataOf(resume.m), dataOf(resume.v))
    : adamInit(params);
  const update = makeUpdate(cfg, adam);
  // a resumed run reseeds sampling and restarts the episodes in flight
  const rand = seededRandom(cfg.seed + 17 + (resume?.update ?? 0) * 7919);
  const collector = new Collector(envs, rand);
  const perRollout = cfg.numEnvs * cfg.nSteps;
  const updates = Math.max(1, Math.floor(cfg.totalSteps / perRollout));
  const mbSize = Math.floor(perRollout / cfg.minibatches);
  let optStep = resume?.optStep ?? 0;
  const every = hooks.checkpointEvery ?? 10;
  for (let u = (resume?.update ?? 0) + 1; u <= updates; u++) {
    const lr = cfg.learningRate * (1 - (u - 1) / updates);
    const buf = await collector.collect(params, cfg.nSteps, cfg.gamma, cfg.gaeLambda);
    let stats: Float32Array = new Float32Array(5);
    for (let e = 0; e < cfg.epochs; e++) {
      const order = Array.from({ length: perRollout }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j] as number, order[i] as number];
      }
      for (let k = 0; k < cfg.minibatches; k++) {
        const mb = minibatch(
          buf,
          order.slice(k * mbSize, (k + 1) * mbSize),
          env0.choices,
          cfg.normalizeAdvantage,
        );
        const r = update(params, state, mb, adamStepSize(adam, lr, ++optStep));
        params = r.params;
        state = r.state;
        stats = await toHost(r.stats);
      }
    }
    if (hooks.replay !== undefined) params = await hooks.replay(params, lr);
    const eps = collector.takeEpisodes();
    hooks.onUpdate?.({
      steps: u * perRollout,
      mean_return: eps.length > 0 ? eps.reduce((a, b) => a + b, 0) / eps.length : Number.NaN,
      policy_loss: stats[0] as number,
      value_loss: stats[1] as number,
      entropy: stats[2] as number,
      approx_kl: stats[3] as number,
      clip_frac: stats[4] as number,
    });
    if (hooks.onCheckpoint !== undefined && (u % every === 0 || u === updates)) {
      await hooks.onCheckpoint({
        update: u,
        optStep,
        policy: await hostTree(params),
        m: shaped(splitFlat(await toHost(keep(state.m)), layout), layout),
        v: shaped(splitFlat(await toHost(keep(state.v)), layout), layout),
      });
    }
  }
  const out = await hostTree(params);
  freeTree(params);
  state.m.dispose();
  state.v.dispose();
  return out;
}
