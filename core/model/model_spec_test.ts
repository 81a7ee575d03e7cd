import assert from "node:assert/strict";
import {
  DEFAULT_MODEL,
  OUTPUT_HEADS,
  parameterCount,
  parameterShapes,
  positionalEncoding,
  validateModelSpec,
} from "./model_spec.ts";

Deno.test("parameterCount() matches the PyTorch anchor's TradingTransformer plus the value head", () => {
  // shared/anchors/torch_transformer_bench.py at F 32, FFN 512 reports 1,194,888 parameters;
  // the value head (128 weights + 1 bias) is the only addition
  const spec = { ...DEFAULT_MODEL, featureCount: 32, ffnWidth: 512 };
  assert.equal(parameterCount(spec), 1_194_888 + 129);
});

Deno.test("parameterShapes() lists input, 16 tensors per layer and two per head, in a stable order", () => {
  const spec = { ...DEFAULT_MODEL, featureCount: 8 };
  const shapes = parameterShapes(spec);
  assert.equal(shapes.length, 2 + 16 * spec.layers + 2 * OUTPUT_HEADS.length);
  assert.deepEqual(shapes[0], { name: "input.w", shape: [8, 128] });
  assert.deepEqual(shapes.at(-1), { name: "heads.value.b", shape: [1] });
  assert.equal(new Set(shapes.map((s) => s.name)).size, shapes.length);
});

Deno.test("positionalEncoding() is sin on even and cos on odd columns", () => {
  const pe = positionalEncoding(4, 6);
  assert.equal(pe[0], 0);
  assert.equal(pe[1], 1);
  assert.ok(Math.abs((pe[6 * 2 + 0] as number) - Math.sin(2)) < 1e-6);
  assert.ok(
    Math.abs((pe[6 * 3 + 3] as number) - Math.cos(3 * Math.exp(-Math.log(10000) * 2 / 6))) < 1e-6,
  );
});

Deno.test("validateModelSpec() rejects heads that do not divide d_model and non-positive sizes", () => {
  assert.throws(
    () => validateModelSpec({ ...DEFAULT_MODEL, featureCount: 4, heads: 3 }),
    /heads must divide dModel/,
  );
  assert.throws(
    () => validateModelSpec({ ...DEFAULT_MODEL, featureCount: 0 }),
    /featureCount must be a positive integer/,
  );
});
