/**
 * Model weights read back from an fp32 ONNX graph written by
 * {@linkcode exportTransformerOnnx} (initializers carry the parameter names), so a
 * package can be re-exported (e.g. re-quantized) from its fp32 file alone.
 *
 * @module
 */
import onnxProto from "onnx-proto";
import { type ModelSpec, parameterShapes } from "../../core/model/model_spec.ts";
import { type ModelWeights, validateWeights } from "../../core/model/model_weights.ts";

const FLOAT = 1;

/**
 * Reads the TradingTransformer's parameters of `spec` from an fp32 graph.
 *
 * @throws {RangeError} When a parameter is missing, not float32 raw data, or of the wrong size.
 */
export function weightsFromOnnx(bytes: Uint8Array, spec: ModelSpec): ModelWeights {
  const graph = onnxProto.onnx.ModelProto.decode(bytes).graph;
  const inits = new Map((graph?.initializer ?? []).map((t) => [t.name ?? "", t]));
  const params = new Map<string, Float32Array>();
  for (const { name } of parameterShapes(spec)) {
    const t = inits.get(name);
    if (t === undefined || t.dataType !== FLOAT || !t.rawData) {
      throw new RangeError(
        `Cannot read weights: ${name} is not a float32 initializer of the graph`,
      );
    }
    const raw = t.rawData.slice();
    params.set(name, new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4));
  }
  const w = { spec, params };
  validateWeights(w);
  return w;
}
