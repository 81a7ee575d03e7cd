import { OUTPUT_HEADS, positionalEncoding } from "../../core/model/model_spec.ts";
import { type ModelWeights, validateWeights } from "../../core/model/model_weights.ts";
import { ATTENTION_OUTPUT, MODEL_INPUT, MODEL_OUTPUTS } from "../../core/model/model_io.ts";
import { DataType, OnnxGraphBuilder } from "./onnx_graph.ts";
import { quantizeColumnsInt8 } from "./quantize_int8.ts";

/** Options of {@linkcode exportTransformerOnnx}. */
export interface ExportOptions {
  /** "fp32" weights, or "int8" dynamic quantization of the weight matmuls. */
  precision: "fp32" | "int8";
  /** Also output the last layer's attention weights. */
  attention?: boolean;
  /** Free text stored in the model (e.g. the feature-spec hash). */
  docString?: string;
}

/**
 * Writes the TradingTransformer as an opset-17 ONNX graph.
 *
 * fp32: MatMul, Add, LayerNormalization, Softmax, Transpose, Reshape, Relu, Sigmoid, Gather.
 * int8: each weight matmul becomes DynamicQuantizeLinear → MatMulInteger → Cast → Mul
 * (per-column symmetric int8 weights); layer norm, softmax and the attention products
 * (Q·Kᵀ, P·V) stay fp32, as ONNX Runtime recommends for transformers.
 *
 * @returns The serialized model.
 * @throws {RangeError} When the weights do not match their shape.
 */
export function exportTransformerOnnx(w: ModelWeights, options: ExportOptions): Uint8Array {
  validateWeights(w);
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
  const quantized = new Map<string, [string, string, string]>();

  /** y = x·W + b for the parameters `wName` / `bName`, fp32 or dynamically quantized. */
  const linear = (
    x: string,
    wName: string,
    bName: string,
    inDim: number,
    outDim: number,
  ): string => {
    let y: string;
    if (options.precision === "fp32") {
      y = g.node("MatMul", [x, g.float(wName, [inDim, outDim], P(wName))]);
    } else {
      let q = quantized.get(x);
      if (!q) {
        q = [g.tmp(`${x}_q`), g.tmp(`${x}_scale`), g.tmp(`${x}_zp`)];
        g.node("DynamicQuantizeLinear", [x], { outputs: q });
        quantized.set(x, q);
      }
      const { values, scales } = quantizeColumnsInt8(P(wName), inDim, outDim);
      const acc = g.node("MatMulInteger", [
        q[0],
        g.int8(`${wName}_int8`, [inDim, outDim], values),
        q[2],
      ]);
      const f = g.node("Cast", [acc], { attrs: { to: DataType.FLOAT } });
      y = g.node("Mul", [g.node("Mul", [f, q[1]]), g.float(`${wName}_scale`, [outDim], scales)]);
    }
    return g.node("Add", [y, g.float(bName, [outDim], P(bName))]);
  };
  const dense = (x: string, name: string, inDim: number, outDim: number) =>
    linear(x, `${name}.w`, `${name}.b`, inDim, outDim);

  const input = g.input(MODEL_INPUT, DataType.FLOAT, ["batch", T, F]);
  let h = g.node("Add", [
    dense(input, "input", F, d),
    g.float("pos_encoding", [T, d], positionalEncoding(T, d)),
  ]);
  const splitShape = g.int64("shape_split_heads", [4], [0, T, H, dk]);
  const mergeShape = g.int64("shape_merge_heads", [3], [0, T, d]);
  const invSqrt = g.float("attn_scale", [], new Float32Array([1 / Math.sqrt(dk)]));
  let lastAttention = "";
  for (let l = 0; l < nLayers; l++) {
    const p = `layers.${l}`;
    const heads = (name: string, perm: number[]) =>
      g.node("Transpose", [
        g.node("Reshape", [
          linear(h, `${p}.attn.w${name}`, `${p}.attn.b${name}`, d, d),
          splitShape,
        ]),
      ], {
        attrs: { perm },
      });
    const q = heads("q", [0, 2, 1, 3]);
    const kT = heads("k", [0, 2, 3, 1]);
    const v = heads("v", [0, 2, 1, 3]);
    const scores = g.node("Mul", [g.node("MatMul", [q, kT]), invSqrt]);
    const probs = g.node("Softmax", [scores], { attrs: { axis: -1 } });
    lastAttention = probs;
    const ctx = g.node("Reshape", [
      g.node("Transpose", [g.node("MatMul", [probs, v])], { attrs: { perm: [0, 2, 1, 3] } }),
      mergeShape,
    ]);
    const o = linear(ctx, `${p}.attn.wo`, `${p}.attn.bo`, d, d);
    h = layerNorm(g, g.node("Add", [h, o]), `${p}.ln1`, P);
    const f1 = g.node("Relu", [linear(h, `${p}.ffn.w1`, `${p}.ffn.b1`, d, ffDim)]);
    const f2 = linear(f1, `${p}.ffn.w2`, `${p}.ffn.b2`, ffDim, d);
    h = layerNorm(g, g.node("Add", [h, f2]), `${p}.ln2`, P);
  }
  const last = g.node("Gather", [h, g.int64("last_index", [], [T - 1])], { attrs: { axis: 1 } });
  for (const h of OUTPUT_HEADS) {
    const y = dense(last, `heads.${h.name}`, d, h.width);
    g.node(h.activation === "sigmoid" ? "Sigmoid" : "Identity", [y], { outputs: [h.name] });
  }
  g.node("Softmax", ["action_logits"], { outputs: ["action_probs"], attrs: { axis: -1 } });
  for (const [name, width] of Object.entries(MODEL_OUTPUTS)) {
    g.output(name, DataType.FLOAT, ["batch", width]);
  }
  if (options.attention) {
    g.node("Identity", [lastAttention], { outputs: [ATTENTION_OUTPUT] });
    g.output(ATTENTION_OUTPUT, DataType.FLOAT, ["batch", H, T, T]);
  }
  return g.encode({
    graphName: "trading_transformer",
    producer: "tickerml",
    ...(options.docString ? { docString: options.docString } : {}),
  });
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
