/**
 * Adam with global-norm gradient clipping, written over the backend interface
 * so it runs inside the compiled training step (no host round trip per tensor).
 *
 * @module
 */

import { keep, ops, scalar, type Tensor } from "./backend.ts";
import type { Params } from "./layers.ts";

/** Adam hyper-parameters. */
export interface AdamConfig {
  /** Exponential decay of the first moment. Default 0.9. */
  readonly beta1: number;
  /** Exponential decay of the second moment. Default 0.999. */
  readonly beta2: number;
  /** Denominator epsilon. Default 1e-8 (RL uses 1e-5, CleanRL detail 3). */
  readonly eps: number;
  /** Global L2 norm the gradients are clipped to (0 disables). */
  readonly maxGradNorm: number;
}

/** Defaults for supervised pretraining. */
export const DEFAULT_ADAM: AdamConfig = { beta1: 0.9, beta2: 0.999, eps: 1e-8, maxGradNorm: 1 };

/** Adam moments, one tensor per parameter. */
export interface AdamState {
  /** First moments. */
  readonly m: Params;
  /** Second moments. */
  readonly v: Params;
}

/** Zero moments shaped like `p` (does not consume `p`). */
export function adamInit(p: Params): AdamState {
  const m: Params = {};
  const v: Params = {};
  for (const [k, t] of Object.entries(p)) {
    m[k] = ops.zeros([...t.shape]);
    v[k] = ops.zeros([...t.shape]);
  }
  return { m, v };
}

/**
 * The effective step size of update number `step` (1-based) with bias
 * correction folded in: lr * sqrt(1 - beta2^t) / (1 - beta1^t). Passed to the
 * compiled step as a tensor so the step is traced once.
 */
export function adamStepSize(cfg: AdamConfig, lr: number, step: number): Tensor {
  return scalar(lr * Math.sqrt(1 - cfg.beta2 ** step) / (1 - cfg.beta1 ** step));
}

/**
 * Global L2 norm of a gradient tree and the clipped gradients (consumes `g`).
 * With maxGradNorm <= 0 the gradients pass through unchanged.
 */
export function clipByGlobalNorm(g: Params, maxNorm: number): { grads: Params; norm: Tensor } {
  const keys = Object.keys(g);
  let sq: Tensor | undefined;
  for (const k of keys) {
    const s = ops.sum(ops.square(keep(g[k] as Tensor)));
    sq = sq === undefined ? s : ops.add(sq, s);
  }
  const norm = ops.sqrt(sq ?? scalar(0));
  if (maxNorm <= 0) return { grads: g, norm };
  const scale = ops.minimum(ops.div(maxNorm, ops.add(keep(norm), 1e-6)), 1);
  const grads: Params = {};
  keys.forEach((k, i) => {
    const s = i === keys.length - 1 ? scale : keep(scale);
    grads[k] = ops.mul(g[k] as Tensor, s);
  });
  return { grads, norm };
}

/**
 * One Adam update (consumes p, state, g and stepSize). Returns new parameters
 * and moments.
 */
export function adamUpdate(
  cfg: AdamConfig,
  p: Params,
  state: AdamState,
  g: Params,
  stepSize: Tensor,
): { params: Params; state: AdamState } {
  const params: Params = {};
  const m: Params = {};
  const v: Params = {};
  const keys = Object.keys(p);
  keys.forEach((k, i) => {
    const gk = g[k] as Tensor;
    const mk = ops.add(ops.mul(state.m[k] as Tensor, cfg.beta1), ops.mul(keep(gk), 1 - cfg.beta1));
    const vk = ops.add(
      ops.mul(state.v[k] as Tensor, cfg.beta2),
      ops.mul(ops.square(gk), 1 - cfg.beta2),
    );
    const lr = i === keys.length - 1 ? stepSize : keep(stepSize);
    const upd = ops.mul(ops.div(keep(mk), ops.add(ops.sqrt(keep(vk)), cfg.eps)), lr);
    params[k] = ops.sub(p[k] as Tensor, upd);
    m[k] = mk;
    v[k] = vk;
  });
  return { params, state: { m, v } };
}
