/**
 * Static inspection of an INT8 ONNX graph: the weights every MatMulInteger
 * multiplies by, read from the serialized model (pure: bytes in, figures out).
 *
 * @module
 */
import onnxProto from "onnx-proto";

const onnx = onnxProto.onnx;
const INT8 = 3;

/** The quantized weights of a graph. */
export interface Int8GraphStats {
  /** MatMulInteger nodes. */
  readonly matmuls: number;
  /** int8 weight values over all of them. */
  readonly weights: number;
  /** Largest |weight|. */
  readonly maxAbs: number;
  /** Initializer name of the weight with the largest |value| ("" without matmuls). */
  readonly maxAbsName: string;
}

/** A graph that cannot be inspected, or whose MatMulInteger weights are not int8 constants. */
export class Int8GraphError extends Error {
  /** @param message What is wrong, naming the node or initializer. */
  constructor(message: string) {
    super(message);
    this.name = "Int8GraphError";
  }
}

/**
 * Reads the int8 weight initializer (input B) of every MatMulInteger node of a
 * serialized ONNX model and reports their count and largest magnitude.
 *
 * @throws {Int8GraphError} When the bytes are not an ONNX model, or a
 * MatMulInteger's B is not an int8 initializer with raw data.
 */
export function inspectInt8Graph(bytes: Uint8Array): Int8GraphStats {
  let model;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new Int8GraphError(`Cannot inspect the INT8 graph: not an ONNX model (${e})`);
  }
  const graph = model.graph;
  const inits = new Map((graph?.initializer ?? []).map((t) => [t.name ?? "", t]));
  let matmuls = 0;
  let weights = 0;
  let maxAbs = 0;
  let maxAbsName = "";
  for (const node of graph?.node ?? []) {
    if (node.opType !== "MatMulInteger") continue;
    matmuls++;
    const name = node.input?.[1] ?? "";
    const t = inits.get(name);
    if (t === undefined || t.dataType !== INT8 || !t.rawData || t.rawData.length === 0) {
      throw new Int8GraphError(
        `Cannot inspect the INT8 graph: MatMulInteger ${node.name} weight ${name} is not an int8 initializer`,
      );
    }
    const raw = t.rawData;
    const v = new Int8Array(raw.buffer, raw.byteOffset, raw.byteLength);
    weights += v.length;
    for (const x of v) {
      const a = Math.abs(x);
      if (a > maxAbs) {
        maxAbs = a;
        maxAbsName = name;
      }
    }
  }
  return { matmuls, weights, maxAbs, maxAbsName };
}

/**
 * Fails unless every MatMulInteger weight of the serialized graph lies within ±`range`.
 *
 * @returns The graph's figures.
 * @throws {Int8GraphError} Naming the first initializer that reaches beyond `range`.
 */
export function checkInt8Weights(bytes: Uint8Array, range: number): Int8GraphStats {
  const stats = inspectInt8Graph(bytes);
  if (stats.maxAbs > range) {
    throw new Int8GraphError(
      `INT8 weight ${stats.maxAbsName} reaches ±${stats.maxAbs}, outside the scheme's ±${range}`,
    );
  }
  return stats;
}
