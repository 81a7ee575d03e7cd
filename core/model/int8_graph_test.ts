import assert from "node:assert/strict";
import { checkInt8Weights, inspectInt8Graph, Int8GraphError } from "./int8_graph.ts";
import { assessInt8, INT16_PAIR_SAFE_RANGE, INT8_SCHEME } from "./int8_scheme.ts";

const dir = new URL("../../testdata/models/", import.meta.url);

Deno.test("checkInt8Weights() accepts the committed packages and names a weight beyond the range", async () => {
  for (const name of ["tiny", "tiny_rl", "tiny_trained"]) {
    const bytes = await Deno.readFile(new URL(`${name}/model.int8.onnx`, dir));
    const stats = checkInt8Weights(bytes, INT8_SCHEME.weight_range);
    assert.ok(stats.matmuls >= 13, `${name}: ${stats.matmuls}`);
    assert.equal(stats.maxAbs, 63, name);
    assert.throws(
      () => checkInt8Weights(bytes, 62),
      (e) =>
        e instanceof Int8GraphError &&
        /INT8 weight \S+_int8 reaches ±63, outside the scheme's ±62/.test(e.message),
    );
  }
  // an fp32 graph has no MatMulInteger
  const fp32 = await Deno.readFile(new URL("tiny/model.fp32.onnx", dir));
  assert.deepEqual(inspectInt8Graph(fp32), { matmuls: 0, weights: 0, maxAbs: 0, maxAbsName: "" });
  assert.throws(() => inspectInt8Graph(new Uint8Array([1, 2, 3, 255])), Int8GraphError);
});

Deno.test("assessInt8() tells the scheme from legacy full-range packages", () => {
  assert.equal(INT16_PAIR_SAFE_RANGE, 64);
  assert.equal(assessInt8({ hasInt8: false }).status, "none");
  const ok = assessInt8({ hasInt8: true, quantization: INT8_SCHEME });
  assert.equal(ok.status, "exact");
  assert.match(ok.note, /±63: exact integer matmuls on every CPU/);
  const old = assessInt8({ hasInt8: true });
  assert.equal(old.status, "legacy");
  assert.match(old.note, /not recorded \(full -127\.\.127\).*re-export/);
  const wide = assessInt8({ hasInt8: true, quantization: { scheme: "x", weight_range: 127 } });
  assert.equal(wide.status, "legacy");
  assert.equal(wide.weightRange, 127);
});
