import onnxProto from "onnx-proto";
import type { onnx as Onnx } from "onnx-proto";

const onnx = onnxProto.onnx;

/** ONNX element types used by TickerML graphs. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
} as const;

/** An attribute value: int, float, ints, or string. */
export type AttributeValue = number | number[] | string | { float: number };

/**
 * A small ONNX graph builder over `onnx-proto`: named nodes, initializers with raw
 * little-endian data, and typed inputs/outputs. Names are made unique by the caller's
 * prefixes; {@linkcode OnnxGraphBuilder.tmp} hands out fresh intermediate names.
 */
export class OnnxGraphBuilder {
  readonly #nodes: Onnx.INodeProto[] = [];
  readonly #initializers: Onnx.ITensorProto[] = [];
  readonly #inputs: Onnx.IValueInfoProto[] = [];
  readonly #outputs: Onnx.IValueInfoProto[] = [];
  readonly #names = new Set<string>();
  #counter = 0;

  /** A fresh intermediate tensor name starting with `hint`. */
  tmp(hint: string): string {
    let name: string;
    do name = `${hint}_${this.#counter++}`; while (this.#names.has(name));
    this.#names.add(name);
    return name;
  }

  /** Declares a graph input. Dimensions may be symbolic (strings). */
  input(name: string, elemType: number, dims: readonly (number | string)[]): string {
    this.#inputs.push(valueInfo(name, elemType, dims));
    this.#names.add(name);
    return name;
  }

  /** Declares a graph output. */
  output(name: string, elemType: number, dims: readonly (number | string)[]): void {
    this.#outputs.push(valueInfo(name, elemType, dims));
  }

  /** Adds a float32 initializer. */
  float(name: string, dims: readonly number[], data: Float32Array): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new RangeError(
        `Cannot add initializer ${name}: shape [${dims}] needs ${size} values, got ${data.length}`,
      );
    }
    return this.#raw(
      name,
      DataType.FLOAT,
      dims,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }

  /** Adds an int8 initializer. */
  int8(name: string, dims: readonly number[], data: Int8Array): string {
    return this.#raw(
      name,
      DataType.INT8,
      dims,
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }

  /** Adds an int64 initializer (shapes, indices). */
  int64(name: string, dims: readonly number[], values: readonly number[]): string {
    const data = new BigInt64Array(values.map((v) => BigInt(v)));
    return this.#raw(name, DataType.INT64, dims, new Uint8Array(data.buffer));
  }

  /**
   * Adds a node and returns its first output name.
   *
   * @param opType ONNX operator, e.g. "MatMul".
   * @param inputs Input tensor names ("" for an omitted optional input).
   * @param options Output names (fresh ones when omitted) and attributes.
   */
  node(
    opType: string,
    inputs: readonly string[],
    options: {
      outputs?: readonly string[];
      attrs?: Record<string, AttributeValue>;
      name?: string;
    } = {},
  ): string {
    const outputs = options.outputs ?? [this.tmp(opType.toLowerCase())];
    for (const o of outputs) this.#names.add(o);
    this.#nodes.push(onnx.NodeProto.create({
      name: options.name ?? this.tmp(`n_${opType}`),
      opType,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(options.attrs ?? {}).map(([k, v]) => attribute(k, v)),
    }));
    return outputs[0] as string;
  }

  /** Serializes the model (opset 17, IR version 8). */
  encode(options: { graphName: string; producer: string; docString?: string }): Uint8Array {
    const graph = onnx.GraphProto.create({
      name: options.graphName,
      node: this.#nodes,
      initializer: this.#initializers,
      input: this.#inputs,
      output: this.#outputs,
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 17 }],
      producerName: options.producer,
      docString: options.docString ?? "",
      graph,
    });
    return onnx.ModelProto.encode(model).finish();
  }

  #raw(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): string {
    if (this.#names.has(name)) {
      throw new RangeError(`Cannot add initializer: duplicate name ${name}`);
    }
    this.#names.add(name);
    this.#initializers.push(
      onnx.TensorProto.create({ name, dims: [...dims], dataType, rawData: bytes.slice() }),
    );
    return name;
  }
}

function valueInfo(
  name: string,
  elemType: number,
  dims: readonly (number | string)[],
): Onnx.IValueInfoProto {
  return onnx.ValueInfoProto.create({
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => typeof d === "number" ? { dimValue: d } : { dimParam: d }) },
      },
    },
  });
}

function attribute(name: string, v: AttributeValue): Onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === "string") {
    return onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) });
  }
  if (Array.isArray(v)) return onnx.AttributeProto.create({ name, type: T.INTS, ints: v });
  if (typeof v === "object") return onnx.AttributeProto.create({ name, type: T.FLOAT, f: v.float });
  return onnx.AttributeProto.create({ name, type: T.INT, i: v });
}
