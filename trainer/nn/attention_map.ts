/**
 * Attention analysis: per-layer, per-head attention weights of one window,
 * as JSON for the dashboard's attention map (`weights[layer][head][query][key]`,
 * rows sum to 1).
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import { compile, freeTree, type Tensor, tensor, toHost } from "./backend.ts";
import type { Params } from "./layers.ts";
import { forward, type HostParams, positionalTensor, uploadParams } from "./transformer.ts";

/** Attention map of one window (snake_case JSON). */
export interface AttentionMap {
  /** Window length T. */
  window_length: number;
  /** Heads per layer. */
  heads: number;
  /** weights[layer][head][query][key]. */
  weights: number[][][][];
  /** Free-form context (decision time, feature names, ...). */
  context: Record<string, unknown>;
}

/** Computes the attention map of a normalized window x [T * F]. */
export async function attentionMap(
  spec: ModelSpec,
  host: HostParams,
  x: Float32Array,
  context: Record<string, unknown> = {},
): Promise<AttentionMap> {
  const { windowLength: t, featureCount: f, heads: h } = spec;
  const fn = compile((p: Params, xx: Tensor, pe: Tensor) => {
    const ws: Tensor[] = [];
    const out = forward(spec, p, xx, pe, 1, ws);
    freeTree(out as unknown as Record<string, Tensor>);
    return ws;
  });
  const ws = fn(uploadParams(spec, host), tensor(x, [1, t, f]), positionalTensor(spec));
  const weights: number[][][][] = [];
  for (const w of ws) {
    const data = await toHost(w);
    weights.push(
      Array.from({ length: h }, (_, head) =>
        Array.from(
          { length: t },
          (_, q) => Array.from(data.subarray((head * t + q) * t, (head * t + q + 1) * t)),
        )),
    );
  }
  return { window_length: t, heads: h, weights, context };
}
