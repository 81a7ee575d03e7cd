import { OUTPUT_HEADS } from "../../core/model/model_spec.ts";
import { type ModelWeights, validateWeights } from "../../core/model/model_weights.ts";
import { ATTENTION_OUTPUT, MODEL_OUTPUTS } from "../../core/model/model_io.ts";
import { buildEncoderGraph, type Precision } from "./encoder_onnx.ts";
import { DataType } from "./onnx_graph.ts";

/** Options of {@linkcode exportTransformerOnnx}. */
export interface ExportOptions {
  /** "fp32" weights, or "int8" dynamic quantization of the weight matmuls. */
  precision: Precision;
  /** Also output the last layer's attention weights. */
  attention?: boolean;
  /** Free text stored in the model (e.g. the feature-spec hash). */
  docString?: string;
  /**
   * Largest |int8 weight| (default 63, the scheme of core/model/int8_scheme.ts; 127
   * reproduces the former full-range scheme for comparisons).
   */
  int8WeightRange?: number;
}

/**
 * Writes the TradingTransformer as an opset-17 ONNX graph.
 *
 * fp32: MatMul, Add, LayerNormalization, Softmax, Transpose, Reshape, Relu, Sigmoid, Gather.
 * int8: each weight matmul becomes DynamicQuantizeLinear → MatMulInteger → Cast → Mul
 * (per-column symmetric int8 weights within ±63); layer norm, softmax and the attention products
 * (Q·Kᵀ, P·V) stay fp32, as ONNX Runtime recommends for transformers.
 *
 * @returns The serialized model.
 * @throws {RangeError} When the weights do not match their shape.
 */
export function exportTransformerOnnx(w: ModelWeights, options: ExportOptions): Uint8Array {
  validateWeights(w);
  const { g, last, attention, dense } = buildEncoderGraph(
    w,
    options.precision,
    options.int8WeightRange,
  );
  for (const h of OUTPUT_HEADS) {
    const y = dense(last, `heads.${h.name}`, w.spec.dModel, h.width);
    g.node(h.activation === "sigmoid" ? "Sigmoid" : "Identity", [y], { outputs: [h.name] });
  }
  g.node("Softmax", ["action_logits"], { outputs: ["action_probs"], attrs: { axis: -1 } });
  for (const [name, width] of Object.entries(MODEL_OUTPUTS)) {
    g.output(name, DataType.FLOAT, ["batch", width]);
  }
  if (options.attention) {
    const { heads: H, windowLength: T } = w.spec;
    g.node("Identity", [attention], { outputs: [ATTENTION_OUTPUT] });
    g.output(ATTENTION_OUTPUT, DataType.FLOAT, ["batch", H, T, T]);
  }
  return g.encode({
    graphName: "trading_transformer",
    producer: "tickerml",
    ...(options.docString ? { docString: options.docString } : {}),
  });
}
