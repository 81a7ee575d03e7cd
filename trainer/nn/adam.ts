/**
 * Adam with global-norm gradient clipping, written over the backend interface
 * so it runs inside the compiled training step. Gradients are concatenated
 * into one flat vector (parameter names in sorted order) and the moments are
 * kept flat: the update is a handful of fused kernels instead of several per
 * parameter tensor (each wasm kernel dispatch costs a worker round trip).
 *
 * @module
 */

import { keep, ops, scalar, type Tensor, tensor } from "./backend.ts";
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

/** Adam moments as flat vectors over all parameters (sorted by name). */
export interface AdamState {
  /** First moments [N]. */
  readonly m: Tensor;
  /** Second moments [N]. */
  readonly v: Tensor;
}

/** Parameter names (sorted) and element counts: the layout of the flat vectors. */
export type FlatLayout = { name: string; shape: number[]; size: number }[];

/** The flat layout of `p` (does not consume `p`). */
export function flatLayout(p: Params): FlatLayout {
  return Object.keys(p).sort().map((name) => {
    const shape = [...(p[name] as Tensor).shape];
    return { name, shape, size: shape.reduce((a, b) => a * b, 1) };
  });
}

function total(layout: FlatLayout): number {
  return layout.reduce((n, l) => n + l.size, 0);
}

/** Zero moments for `p` (does not consume `p`). */
export function adamInit(p: Params): AdamState {
  const n = total(flatLayout(p));
  return { m: ops.zeros([n]), v: ops.zeros([n]) };
}

/** Splits a flat host vector into per-name arrays. */
export function splitFlat(flat: Float32Array, layout: FlatLayout): Map<string, Float32Array> {
  const out = new Map<string, Float32Array>();
  let off = 0;
  for (const l of layout) {
    out.set(l.name, flat.slice(off, off + l.size));
    off += l.size;
  }
  return out;
}

/** Joins per-name host arrays into a flat vector in layout order. */
export function joinFlat(
  parts: ReadonlyMap<string, Float32Array>,
  layout: FlatLayout,
): Float32Array {
  const out = new Float32Array(total(layout));
  let off = 0;
  for (const l of layout) {
    const d = parts.get(l.name);
    if (d === undefined || d.length !== l.size) {
      throw new RangeError(`Cannot restore optimizer state for ${l.name}`);
    }
    out.set(d, off);
    off += l.size;
  }
  return out;
}

/** Uploads moments saved with {@linkcode splitFlat}. */
export function adamFromHost(
  layout: FlatLayout,
  m: ReadonlyMap<string, Float32Array>,
  v: ReadonlyMap<string, Float32Array>,
): AdamState {
  const n = total(layout);
  return { m: tensor(joinFlat(m, layout), [n]), v: tensor(joinFlat(v, layout), [n]) };
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
 * One clipped Adam update (consumes p, state, g and stepSize): gradients are
 * scaled so their global L2 norm is at most `maxGradNorm` (when > 0), then
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, p -= stepSize m / (sqrt(v) + eps).
 * Returns new parameters, moments and the gradient norm before clipping.
 */
export function adamStep(
  cfg: AdamConfig,
  p: Params,
  state: AdamState,
  g: Params,
  stepSize: Tensor,
): { params: Params; state: AdamState; norm: Tensor } {
  const layout = flatLayout(p);
  let flat = ops.concat(layout.map((l) => ops.reshape(g[l.name] as Tensor, [l.size])), 0);
  const norm = ops.sqrt(ops.sum(ops.square(keep(flat))));
  if (cfg.maxGradNorm > 0) {
    flat = ops.mul(flat, ops.minimum(ops.div(cfg.maxGradNorm, ops.add(keep(norm), 1e-6)), 1));
  }
  const m = ops.add(ops.mul(state.m, cfg.beta1), ops.mul(keep(flat), 1 - cfg.beta1));
  const v = ops.add(ops.mul(state.v, cfg.beta2), ops.mul(ops.square(flat), 1 - cfg.beta2));
  const upd = ops.mul(ops.div(keep(m), ops.add(ops.sqrt(keep(v)), cfg.eps)), stepSize);
  const params: Params = {};
  let off = 0;
  layout.forEach((l, i) => {
    const u = i === layout.length - 1 ? upd : keep(upd);
    params[l.name] = ops.sub(
      p[l.name] as Tensor,
      ops.reshape(ops.slice1d(u, off, off + l.size), l.shape),
    );
    off += l.size;
  });
  return { params, state: { m, v }, norm };
}
