import assert from "node:assert/strict";
import * as ortNode from "onnxruntime-node";
import { sha256Hex } from "../../core/hash.ts";
import { exportTransformerOnnx } from "./transformer_onnx.ts";
import { referenceForward } from "./reference_forward.ts";
import { SEEDED_TEST_SHAPE, seededWeights, seededWindow } from "./test_weights.ts";
import { checkParity } from "./parity.ts";
import { buildTinyFixture } from "./tiny_fixture.ts";
import type { ModelSpec } from "../../core/model/model_spec.ts";

const SHAPE: ModelSpec = SEEDED_TEST_SHAPE;

async function run(bytes: Uint8Array, x: number[][], shape: ModelSpec) {
  const s = await ortNode.InferenceSession.create(bytes);
  const out = await s.run({
    features: new ortNode.Tensor("float32", Float32Array.from(x.flat()), [
      1,
      shape.windowLength,
      shape.featureCount,
    ]),
  });
  await s.release();
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array)]),
  );
}

Deno.test("exportTransformerOnnx() fp32 matches the float64 reference forward, attention included", async () => {
  const w = seededWeights(SHAPE, 3);
  const bytes = exportTransformerOnnx(w, { precision: "fp32", attention: true });
  for (const seed of [1, 2, 3]) {
    const x = seededWindow(SHAPE, seed);
    const out = await run(bytes, x, SHAPE);
    const r = referenceForward(w, x);
    const pairs: Array<[number[], number[]]> = [
      [out.action_probs!, r.actionProbs],
      [out.action_logits!, r.actionLogits],
      [out.price!, r.price],
      [out.position_size!, [r.position]],
      [out.risk!, [r.risk]],
      [out.value!, [r.value]],
      [out.attention!, r.attention.flat(2)],
    ];
    for (const [a, b] of pairs) {
      assert.equal(a.length, b.length);
      a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < 1e-5, `${v} vs ${b[i]}`));
    }
  }
});

Deno.test("exportTransformerOnnx() int8 agrees with fp32 on most decisions and is smaller", async () => {
  const w = seededWeights(SHAPE, 5);
  const fp32 = exportTransformerOnnx(w, { precision: "fp32" });
  const int8 = exportTransformerOnnx(w, { precision: "int8" });
  const windows = Array.from({ length: 60 }, (_, i) => seededWindow(SHAPE, 100 + i));
  const report = await checkParity(w, { fp32, int8 }, windows);
  assert.equal(report.passed, true, report.failures.join("; "));
  assert.ok(report.fp32_max_abs_diff < 1e-4);
  assert.ok(report.int8_action_agreement >= 0.9, `${report.int8_action_agreement}`);
  assert.ok(int8.length < fp32.length);
  // At the default size weights dominate: INT8 is several times smaller.
  const big = seededWeights({
    featureCount: 32,
    windowLength: 64,
    dModel: 128,
    heads: 4,
    layers: 6,
    ffnWidth: 256,
  }, 1);
  const ratio = exportTransformerOnnx(big, { precision: "fp32" }).length /
    exportTransformerOnnx(big, { precision: "int8" }).length;
  assert.ok(ratio > 3, `size ratio ${ratio}`);
});

Deno.test("checkParity() fails loudly when the ONNX graph does not match the model", async () => {
  const w = seededWeights(SHAPE, 5);
  const other = seededWeights(SHAPE, 6);
  const report = await checkParity(w, {
    fp32: exportTransformerOnnx(other, { precision: "fp32" }),
    int8: exportTransformerOnnx(other, { precision: "int8" }),
  }, [seededWindow(SHAPE, 1)]);
  assert.equal(report.passed, false);
  assert.match(report.failures[0] ?? "", /fp32 max abs difference .* exceeds 0.0001/);
});

Deno.test("exportTransformerOnnx() rejects weights that do not match the shape", () => {
  const w = seededWeights(SHAPE, 1);
  const params = new Map(w.params);
  params.set("layers.1.ffn.w1", new Float32Array(3));
  assert.throws(
    () => exportTransformerOnnx({ spec: SHAPE, params }, { precision: "fp32" }),
    /layers\.1\.ffn\.w1 must have 2048 values/,
  );
  params.delete("heads.risk.b");
  params.set("layers.1.ffn.w1", w.params.get("layers.1.ffn.w1")!);
  assert.throws(
    () => exportTransformerOnnx({ spec: SHAPE, params }, { precision: "fp32" }),
    /heads\.risk\.b is missing/,
  );
});

Deno.test("the committed golden tiny model is exactly what the exporter writes", async () => {
  const { pkg } = await buildTinyFixture();
  const dir = new URL("../../testdata/models/tiny/", import.meta.url);
  for (const [name, bytes] of pkg.files) {
    assert.equal(
      sha256Hex(await Deno.readFile(new URL(name, dir))),
      sha256Hex(bytes),
      name,
    );
  }
});
