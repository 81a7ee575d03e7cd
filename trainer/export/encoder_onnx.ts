/**
 * The TradingTransformer's encoder as ONNX nodes (input projection, positional
 * encoding, attention and feed-forward layers, the last position's vector),
 * shared by the pretrained-model graph (transformer_onnx.ts) and the RL-policy
 * graph (policy_onnx.ts), plus the fp32 / dynamic-INT8 linear layer they use.
 *
 * @module
 */

import { positionalEncoding } from "../../core/model/model_spec.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { MODEL_INPUT } from "../../core/model/model_io.ts";
import { DataType, OnnxGraphBuilder } from "./onnx_graph.ts";
import { quantizeColumnsInt8 } from "./quantize_int8.ts";
import { INT8_WEIGHT_RANGE } from "../../core/model/int8_scheme.ts";

/** Weight precision of a graph's matmuls. */
export type Precision = "fp32" | "int8";

/** One linear layer's parameters: y = x·W + b with W row-major `[inDim, outDim]`. */
export interface LinearParams {
  /** Initializer name of W (b is stored under `bName`). */
  readonly wName: string;
  /** Initializer name of b. */
  readonly bName: string;
  /** W, `[inDim, outDim]`. */
  readonly w: Float32Array;
  /** b, `[outDim]`. */
  readonly b: Float32Array;
  /** Input width. */
  readonly inDim: number;
  /** Output width. */
  readonly outDim: number;
}

/** Adds y = x·W + b to the graph and returns y's name. */
export type LinearOp = (x: string, p: LinearParams) => string;

/**
 * A linear-layer writer for `g`: plain MatMul + Add in fp32; in int8, x is
 * dynamically quantized once (DynamicQuantizeLinear, shared by every layer
 * reading x) and W is stored as per-column symmetric int8 within ±`weightRange`
 * (default the scheme's 63, core/model/int8_scheme.ts), then MatMulInteger →
 * Cast → Mul by both scales → Add b.
 */
export function linearWriter(
  g: OnnxGraphBuilder,
  precision: Precision,
  weightRange: number = INT8_WEIGHT_RANGE,
): LinearOp {
  const quantized = new Map<string, [string, string, string]>();
  return (x, p) => {
    let y: string;
    if (precision === "fp32") {
      y = g.node("MatMul", [x, g.float(p.wName, [p.inDim, p.outDim], p.w)]);
    } else {
      let q = quantized.get(x);
      if (!q) {
        q = [g.tmp(`${x}_q`), g.tmp(`${x}_scale`), g.tmp(`${x}_zp`)];
        g.node("DynamicQuantizeLinear", [x], { outputs: q });
        quantized.set(x, q);
      }
      const { values, scales } = quantizeColumnsInt8(p.w, p.inDim, p.outDim, weightRange);
      const acc = g.node("MatMulInteger", [
        q[0],
        g.int8(`${p.wName}_int8`, [p.inDim, p.outDim], values),
        q[2],
      ]);
      const f = g.node("Cast", [acc], { attrs: { to: DataType.FLOAT } });
      y = g.node("Mul", [
        g.node("Mul", [f, q[1]]),
        g.float(`${p.wName}_scale`, [p.outDim], scales),
      ]);
    }
    return g.node("Add", [y, g.float(p.bName, [p.outDim], p.b)]);
  };
}

/** The encoder part of a graph. */
export interface EncoderGraph {
  /** The builder holding the `features` input and the encoder's nodes. */
  readonly g: OnnxGraphBuilder;
  /** The last position's vector z, `[batch, dModel]`. */
  readonly last: string;
  /** The last layer's attention weights, `[batch, heads, T, T]`. */
  readonly attention: string;
  /** A linear layer over the model's parameters `${name}.w` / `${name}.b`, in the graph's precision. */
  readonly dense: (x: string, name: string, inDim: number, outDim: number) => string;
  /** The graph's linear-layer writer (for parameters from elsewhere). */
  readonly linear: LinearOp;
}

/**
 * Starts a graph with the `features` input `[batch, T, F]` and the
 * TradingTransformer encoder of `w` (weights assumed validated); INT8 weights
 * within ±`weightRange` (default the scheme's).
 */
export function buildEncoderGraph(
  w: ModelWeights,
  precision: Precision,
  weightRange: number = INT8_WEIGHT_RANGE,
): EncoderGraph {
  const {
    windowLength: T,
    featureCount: F,
    dModel: d,
    heads: H,
    layers: nLayers,
    ffnWidth: ffDim,
  } = w.spec;
  const dk = d / H;
  const g = new OnnxGraphBuilder();
  const P = (n: string) => w.params.get(n) as Float32Array;
  const linear = linearWriter(g, precision, weightRange);
  const dense = (x: string, name: string, inDim: number, outDim: number) =>
    linear(x, {
      wName: `${name}.w`,
      bName: `${name}.b`,
      w: P(`${name}.w`),
      b: P(`${name}.b`),
      inDim,
      outDim,
    });
  const lin = (x: string, wName: string, bName: string, inDim: number, outDim: number) =>
    linear(x, { wName, bName, w: P(wName), b: P(bName), inDim, outDim });

  const input = g.input(MODEL_INPUT, DataType.FLOAT, ["batch", T, F]);
  let h = g.node("Add", [
    dense(input, "input", F, d),
    g.float("pos_encoding", [T, d], positionalEncoding(T, d)),
  ]);
  const splitShape = g.int64("shape_split_heads", [4], [0, T, H, dk]);
  const mergeShape = g.int64("shape_merge_heads", [3], [0, T, d]);
  const invSqrt = g.float("attn_scale", [], new Float32Array([1 / Math.sqrt(dk)]));
  let attention = "";
  for (let l = 0; l < nLayers; l++) {
    const p = `layers.${l}`;
    const heads = (name: string, perm: number[]) =>
      g.node("Transpose", [
        g.node("Reshape", [lin(h, `${p}.attn.w${name}`, `${p}.attn.b${name}`, d, d), splitShape]),
      ], { attrs: { perm } });
    const q = heads("q", [0, 2, 1, 3]);
    const kT = heads("k", [0, 2, 3, 1]);
    const v = heads("v", [0, 2, 1, 3]);
    const scores = g.node("Mul", [g.node("MatMul", [q, kT]), invSqrt]);
    const probs = g.node("Softmax", [scores], { attrs: { axis: -1 } });
    attention = probs;
    const ctx = g.node("Reshape", [
      g.node("Transpose", [g.node("MatMul", [probs, v])], { attrs: { perm: [0, 2, 1, 3] } }),
      mergeShape,
    ]);
    const o = lin(ctx, `${p}.attn.wo`, `${p}.attn.bo`, d, d);
    h = layerNorm(g, g.node("Add", [h, o]), `${p}.ln1`, P);
    const f1 = g.node("Relu", [lin(h, `${p}.ffn.w1`, `${p}.ffn.b1`, d, ffDim)]);
    const f2 = lin(f1, `${p}.ffn.w2`, `${p}.ffn.b2`, ffDim, d);
    h = layerNorm(g, g.node("Add", [h, f2]), `${p}.ln2`, P);
  }
  const last = g.node("Gather", [h, g.int64("last_index", [], [T - 1])], { attrs: { axis: 1 } });
  return { g, last, attention, dense, linear };
}

const LAYER_NORM_EPSILON = 1e-5;

function layerNorm(
  g: OnnxGraphBuilder,
  x: string,
  name: string,
  P: (n: string) => Float32Array,
): string {
  const d = P(`${name}.g`).length;
  return g.node("LayerNormalization", [
    x,
    g.float(`${name}.g`, [d], P(`${name}.g`)),
    g.float(`${name}.b`, [d], P(`${name}.b`)),
  ], {
    attrs: { axis: -1, epsilon: { float: LAYER_NORM_EPSILON } },
  });
}
