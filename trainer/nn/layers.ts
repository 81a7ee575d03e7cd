/**
 * Building blocks of the TradingTransformer over the backend interface:
 * linear, layer norm, multi-head self-attention, feed-forward and the post-LN
 * encoder layer (PyTorch's `TransformerEncoderLayer` default order, ReLU, no
 * dropout). Every function consumes its tensor arguments (see backend.ts).
 *
 * @module
 */

import { keep, ops, type Tensor } from "./backend.ts";

/** Parameters of the model, keyed by the names of `parameterShapes` (core/model/model_spec.ts). */
export type Params = Record<string, Tensor>;

/** Epsilon of every layer norm (PyTorch default). */
export const LAYER_NORM_EPS = 1e-5;

/** Takes one parameter by name (throws on a missing name). */
export function param(p: Params, name: string): Tensor {
  const t = p[name];
  if (t === undefined) throw new RangeError(`Cannot find parameter: ${name}`);
  return t;
}

/** y = x W + b for x [N, in], W [in, out], b [out]. */
export function linear(x: Tensor, w: Tensor, b: Tensor): Tensor {
  return ops.add(ops.matmul(x, w), b);
}

/** Layer norm over the last axis with gain g and bias b. */
export function layerNorm(x: Tensor, g: Tensor, b: Tensor): Tensor {
  return ops.add(ops.mul(ops.standardize(x, LAYER_NORM_EPS), g), b);
}

/** Shape facts the attention needs. */
export interface AttentionShape {
  /** Batch size. */
  readonly batch: number;
  /** Sequence length. */
  readonly length: number;
  /** Model width. */
  readonly dModel: number;
  /** Heads. */
  readonly heads: number;
  /**
   * Compute the output for the last position only (queries of the last
   * position attend over all keys): exact for the model's last layer, whose
   * other positions are never used. Output is then [B, D].
   */
  readonly lastQueryOnly?: boolean;
}

/**
 * Multi-head self-attention of x [B*T, D] with parameters `<prefix>attn.*`.
 * Returns the output [B*T, D] and, when asked, the attention weights [B, H, T, T].
 */
export function selfAttention(
  x: Tensor,
  p: Params,
  prefix: string,
  s: AttentionShape,
  withWeights = false,
): { out: Tensor; weights?: Tensor } {
  const { batch: b, length: t, dModel: d, heads: h } = s;
  const dh = d / h;
  const proj = (n: string, xIn: Tensor, len = t): Tensor =>
    ops.reshape(
      linear(xIn, param(p, `${prefix}attn.w${n}`), param(p, `${prefix}attn.b${n}`)),
      [b, len, h, dh],
    );
  if (s.lastQueryOnly === true) {
    // only the last position's output is needed: one query per sequence, keys/values for all
    const xLast = ops.pickStep(ops.reshape(keep(x), [b, t, d]), t - 1);
    const ctx = ops.attention(proj("q", xLast, 1), proj("k", keep(x)), proj("v", x));
    const out = linear(
      ops.reshape(ctx, [b, d]),
      param(p, `${prefix}attn.wo`),
      param(p, `${prefix}attn.bo`),
    );
    return { out };
  }
  if (!withWeights) {
    const ctx = ops.attention(proj("q", keep(x)), proj("k", keep(x)), proj("v", x));
    const out = linear(
      ops.reshape(ctx, [b * t, d]),
      param(p, `${prefix}attn.wo`),
      param(p, `${prefix}attn.bo`),
    );
    return { out };
  }
  const q = ops.transpose(proj("q", keep(x)), [0, 2, 1, 3]); // [B,H,T,dh]
  const kT = ops.transpose(proj("k", keep(x)), [0, 2, 3, 1]); // [B,H,dh,T]
  const v = ops.transpose(proj("v", x), [0, 2, 1, 3]); // [B,H,T,dh]
  const attn = ops.softmax(ops.mul(ops.matmul(q, kT), 1 / Math.sqrt(dh)));
  const weights = keep(attn);
  const ctx = ops.reshape(ops.transpose(ops.matmul(attn, v), [0, 2, 1, 3]), [b * t, d]);
  const out = linear(ctx, param(p, `${prefix}attn.wo`), param(p, `${prefix}attn.bo`));
  return { out, weights };
}

/** Position-wise feed-forward: relu(x W1 + b1) W2 + b2 with parameters `<prefix>ffn.*`. */
export function feedForward(x: Tensor, p: Params, prefix: string): Tensor {
  const hidden = ops.relu(linear(x, param(p, `${prefix}ffn.w1`), param(p, `${prefix}ffn.b1`)));
  return linear(hidden, param(p, `${prefix}ffn.w2`), param(p, `${prefix}ffn.b2`));
}

/**
 * One post-LN encoder layer on x [B*T, D]:
 * h = LN1(x + MHA(x)); out = LN2(h + FFN(h)).
 * With `s.lastQueryOnly` the output is the last position only, [B, D].
 */
export function encoderLayer(
  x: Tensor,
  p: Params,
  prefix: string,
  s: AttentionShape,
  withWeights = false,
): { out: Tensor; weights?: Tensor } {
  const a = selfAttention(keep(x), p, prefix, s, withWeights);
  const residual = s.lastQueryOnly === true
    ? ops.pickStep(ops.reshape(x, [s.batch, s.length, s.dModel]), s.length - 1)
    : x;
  const h = layerNorm(
    ops.add(residual, a.out),
    param(p, `${prefix}ln1.g`),
    param(p, `${prefix}ln1.b`),
  );
  const f = feedForward(keep(h), p, prefix);
  const out = layerNorm(ops.add(h, f), param(p, `${prefix}ln2.g`), param(p, `${prefix}ln2.b`));
  return a.weights === undefined ? { out } : { out, weights: a.weights };
}
