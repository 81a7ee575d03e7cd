import { positionalEncoding } from "../../core/model/model_spec.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";

const LAYER_NORM_EPSILON = 1e-5;

/** Outputs of one forward pass for one window (float64). */
export interface ReferenceOutputs {
  /** Price head, 3 values. */
  price: number[];
  /** Action logits (buy, sell, hold). */
  actionLogits: number[];
  /** Softmax of the action logits. */
  actionProbs: number[];
  /** Position size in 0..1. */
  position: number;
  /** Risk score in 0..1. */
  risk: number;
  /** Value estimate. */
  value: number;
  /** Last layer's attention weights `[heads][T][T]`. */
  attention: number[][][];
  /** The encoder's last-position vector z (`dModel` values), the RL policy's input. */
  encoding: number[];
}

/** A linear layer y = x·W + b over rows of x (W row-major `[in, out]`). */
export type LinearFn = (
  x: readonly (readonly number[])[],
  w: Float32Array,
  b: Float32Array,
  out: number,
) => number[][];

/**
 * A plain float64 forward pass of the TradingTransformer, written for clarity,
 * used as the ground truth of export parity tests (not for speed).
 *
 * @param w Weights.
 * @param x One window, `[T][F]`.
 * @param options `linear` replaces every weight matmul (e.g. by an INT8 emulation,
 * trainer/export/int8_emulation.ts); default float64.
 */
export function referenceForward(
  w: ModelWeights,
  x: readonly (readonly number[])[],
  options: { linear?: LinearFn } = {},
): ReferenceOutputs {
  const linear = options.linear ?? linearF64;
  const { windowLength: T, dModel: d, heads: H, layers: nLayers } = w.spec;
  const P = (n: string) => w.params.get(n) as Float32Array;
  const pe = positionalEncoding(T, d);
  let h = linear(x, P("input.w"), P("input.b"), d).map((row, t) =>
    row.map((v, j) => v + (pe[t * d + j] as number))
  );
  let attention: number[][][] = [];
  for (let l = 0; l < nLayers; l++) {
    const p = `layers.${l}`;
    const q = linear(h, P(`${p}.attn.wq`), P(`${p}.attn.bq`), d);
    const k = linear(h, P(`${p}.attn.wk`), P(`${p}.attn.bk`), d);
    const v = linear(h, P(`${p}.attn.wv`), P(`${p}.attn.bv`), d);
    const dk = d / H;
    const ctx: number[][] = Array.from({ length: T }, () => new Array(d).fill(0));
    attention = [];
    for (let head = 0; head < H; head++) {
      const off = head * dk;
      const att: number[][] = [];
      for (let i = 0; i < T; i++) {
        const scores = new Array(T).fill(0).map((_, j) => {
          let s = 0;
          for (let c = 0; c < dk; c++) s += (q[i]![off + c] as number) * (k[j]![off + c] as number);
          return s / Math.sqrt(dk);
        });
        const probs = softmax(scores);
        att.push(probs);
        for (let c = 0; c < dk; c++) {
          let s = 0;
          for (let j = 0; j < T; j++) s += (probs[j] as number) * (v[j]![off + c] as number);
          ctx[i]![off + c] = s;
        }
      }
      attention.push(att);
    }
    const o = linear(ctx, P(`${p}.attn.wo`), P(`${p}.attn.bo`), d);
    h = layerNorm(
      h.map((row, i) => row.map((val, j) => val + (o[i]![j] as number))),
      P(`${p}.ln1.g`),
      P(`${p}.ln1.b`),
    );
    const f1 = linear(h, P(`${p}.ffn.w1`), P(`${p}.ffn.b1`), w.spec.ffnWidth).map((r) =>
      r.map((val) => Math.max(0, val))
    );
    const f2 = linear(f1, P(`${p}.ffn.w2`), P(`${p}.ffn.b2`), d);
    h = layerNorm(
      h.map((row, i) => row.map((val, j) => val + (f2[i]![j] as number))),
      P(`${p}.ln2.g`),
      P(`${p}.ln2.b`),
    );
  }
  const last = [h[T - 1] as number[]];
  const head = (
    name: string,
    n: number,
  ) => (linear(last, P(`heads.${name}.w`), P(`heads.${name}.b`), n)[0] as number[]);
  const actionLogits = head("action_logits", 3);
  return {
    price: head("price", 3),
    actionLogits,
    actionProbs: softmax(actionLogits),
    position: sigmoid(head("position_size", 1)[0] as number),
    risk: sigmoid(head("risk", 1)[0] as number),
    value: head("value", 1)[0] as number,
    attention,
    encoding: [...(last[0] as number[])],
  };
}

function linearF64(
  x: readonly (readonly number[])[],
  w: Float32Array,
  b: Float32Array,
  out: number,
): number[][] {
  return x.map((row) => {
    const y = new Array(out).fill(0);
    for (let o = 0; o < out; o++) {
      let s = b[o] as number;
      for (let i = 0; i < row.length; i++) s += (row[i] as number) * (w[i * out + o] as number);
      y[o] = s;
    }
    return y;
  });
}

function layerNorm(x: number[][], g: Float32Array, b: Float32Array): number[][] {
  return x.map((row) => {
    const mean = row.reduce((a, v) => a + v, 0) / row.length;
    const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / row.length;
    const inv = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
    return row.map((v, j) => (v - mean) * inv * (g[j] as number) + (b[j] as number));
  });
}

function softmax(x: number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
