/**
 * The TradingTransformer: input projection F -> d_model, sinusoidal positional
 * encoding, N post-LN encoder layers, and the last position's vector into the
 * heads price (3 forward returns), action (3 logits: hold/buy/sell), position size
 * (sigmoid), risk (sigmoid) and value (RL critic).
 *
 * Host-side parameters ({@linkcode HostParams}) are plain Float32Arrays keyed by
 * the names of `parameterShapes`; they are what checkpoints store and what the
 * device tensors are uploaded from.
 *
 * @module
 */

import {
  type ModelSpec,
  OUTPUT_HEADS,
  parameterShapes,
  positionalEncoding,
} from "../../core/model/model_spec.ts";
import { seededRandom } from "../../core/random.ts";
import { keep, ops, type Tensor, tensor, toHost } from "./backend.ts";
import { encoderLayer, linear, param, type Params } from "./layers.ts";

/** Parameters in host memory, keyed by parameter name. */
export type HostParams = Map<string, Float32Array>;

/** Raw head outputs (before sigmoid), each [B, width]. */
export interface HeadOutputs {
  /** Predicted forward log returns at the three label horizons [B, 3] (scaled, see trainer/data). */
  readonly price: Tensor;
  /** Action logits [B, 3] (hold, buy, sell). */
  readonly action_logits: Tensor;
  /** Position-size logit [B, 1]; sigmoid gives the fraction. */
  readonly position_size: Tensor;
  /** Risk logit [B, 1]; sigmoid gives the probability. */
  readonly risk: Tensor;
  /** State value [B, 1]. */
  readonly value: Tensor;
}

/**
 * Fresh parameters: linear weights U(-1/sqrt(fan_in), 1/sqrt(fan_in)) like
 * PyTorch's default, zero biases, layer-norm gains 1. Deterministic in `seed`.
 */
export function initParams(spec: ModelSpec, seed: number): HostParams {
  const rand = seededRandom(seed);
  const out: HostParams = new Map();
  for (const { name, shape } of parameterShapes(spec)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    if (name.endsWith(".g")) data.fill(1);
    else if (shape.length === 2) {
      const bound = 1 / Math.sqrt(shape[0] as number);
      for (let i = 0; i < n; i++) data[i] = (rand() * 2 - 1) * bound;
    }
    out.set(name, data);
  }
  return out;
}

/** Uploads host parameters to device tensors. */
export function uploadParams(spec: ModelSpec, host: HostParams): Params {
  const p: Params = {};
  for (const { name, shape } of parameterShapes(spec)) {
    const data = host.get(name);
    if (data === undefined) throw new RangeError(`Cannot upload parameters: missing ${name}`);
    p[name] = tensor(data, [...shape]);
  }
  return p;
}

/** Downloads device tensors to host parameters (consumes them). */
export async function downloadParams(spec: ModelSpec, p: Params): Promise<HostParams> {
  const out: HostParams = new Map();
  for (const { name } of parameterShapes(spec)) out.set(name, await toHost(param(p, name)));
  return out;
}

/** The positional-encoding tensor [T, D] the forward pass adds. */
export function positionalTensor(spec: ModelSpec): Tensor {
  return tensor(positionalEncoding(spec.windowLength, spec.dModel), [
    spec.windowLength,
    spec.dModel,
  ]);
}

/**
 * Encodes windows x [B, T, F] into the last position's vector [B, D].
 * Consumes only the encoder parameters it uses; `pe` is [T, D].
 */
export function encode(
  spec: ModelSpec,
  p: Params,
  x: Tensor,
  pe: Tensor,
  batch: number,
  weightsOut?: Tensor[],
): Tensor {
  const { windowLength: t, dModel: d, featureCount: f } = spec;
  const s = { batch, length: t, dModel: d, heads: spec.heads };
  const x2 = ops.reshape(x, [batch * t, f]);
  const proj = ops.reshape(linear(x2, param(p, "input.w"), param(p, "input.b")), [batch, t, d]);
  let h = ops.reshape(ops.add(proj, pe), [batch * t, d]);
  const withWeights = weightsOut !== undefined;
  for (let i = 0; i < spec.layers; i++) {
    // the last layer only needs the last position (exact), unless attention maps are wanted
    const last = i === spec.layers - 1 && !withWeights;
    const r = encoderLayer(
      h,
      p,
      `layers.${i}.`,
      last ? { ...s, lastQueryOnly: true } : s,
      withWeights,
    );
    h = r.out;
    if (r.weights !== undefined) weightsOut?.push(r.weights);
  }
  return spec.layers > 0 && !withWeights ? h : ops.pickStep(ops.reshape(h, [batch, t, d]), t - 1);
}

/** Applies the five heads to z [B, D] (consumes z and the head parameters). */
export function applyHeads(p: Params, z: Tensor): HeadOutputs {
  const out: Record<string, Tensor> = {};
  OUTPUT_HEADS.forEach((h, i) => {
    const zi = i === OUTPUT_HEADS.length - 1 ? z : keep(z);
    out[h.name] = linear(zi, param(p, `heads.${h.name}.w`), param(p, `heads.${h.name}.b`));
  });
  return out as unknown as HeadOutputs;
}

/** Full forward pass: windows [B, T, F] -> raw head outputs. */
export function forward(
  spec: ModelSpec,
  p: Params,
  x: Tensor,
  pe: Tensor,
  batch: number,
  weightsOut?: Tensor[],
): HeadOutputs {
  return applyHeads(p, encode(spec, p, x, pe, batch, weightsOut));
}

/** Splits parameters into encoder ("input.*", "layers.*") and head ("heads.*") groups. */
export function splitParams(p: Params): { encoder: Params; heads: Params } {
  const encoder: Params = {};
  const heads: Params = {};
  for (const [k, v] of Object.entries(p)) (k.startsWith("heads.") ? heads : encoder)[k] = v;
  return { encoder, heads };
}
