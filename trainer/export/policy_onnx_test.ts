import assert from "node:assert/strict";
import * as ortNode from "onnxruntime-node";
import type { ModelSpec } from "../../core/model/model_spec.ts";
import { exportPolicyOnnx } from "./policy_onnx.ts";
import { checkPolicyParity } from "./policy_parity.ts";
import { referenceForward } from "./reference_forward.ts";
import { referencePolicy } from "./reference_policy.ts";
import { seededPolicy, seededWeights, seededWindow } from "./test_weights.ts";
import { buildTinyRlFixture } from "./tiny_rl_fixture.ts";
import { sha256Hex } from "../../core/hash.ts";

const SHAPE: ModelSpec = {
  featureCount: 10,
  windowLength: 12,
  dModel: 32,
  heads: 4,
  layers: 2,
  ffnWidth: 64,
};

async function run(bytes: Uint8Array, x: number[][], position: number) {
  const s = await ortNode.InferenceSession.create(bytes);
  assert.deepEqual([...s.inputNames].sort(), ["features", "position"]);
  const out = await s.run({
    features: new ortNode.Tensor("float32", Float32Array.from(x.flat()), [1, 12, 10]),
    position: new ortNode.Tensor("float32", Float32Array.of(position), [1, 1]),
  });
  await s.release();
  return Object.fromEntries(
    Object.entries(out).map(([k, v]) => [k, Array.from(v.data as Float32Array)]),
  );
}

for (const network of ["heads", "mlp"] as const) {
  Deno.test(`exportPolicyOnnx() ${network}: fp32 matches the float64 encoder + policy forward at several positions`, async () => {
    const w = seededWeights(SHAPE, 3);
    const policy = seededPolicy(w, network, 4);
    const bytes = exportPolicyOnnx(w, policy, { precision: "fp32", attention: true });
    for (const seed of [1, 2]) {
      const x = seededWindow(SHAPE, seed);
      const r = referenceForward(w, x);
      for (const pos of [0, 0.1, 0.25]) {
        const out = await run(bytes, x, pos);
        const p = referencePolicy(policy, r.encoding, pos);
        const pairs: Array<[number[], number[]]> = [
          [out.action_logits!, p.logits],
          [out.position_size!, [1 / (1 + Math.exp(-p.sizeMean))]],
          [out.value!, [p.value]],
          [out.price!, r.price],
          [out.risk!, [r.risk]],
          [out.attention!, r.attention.flat(2)],
        ];
        for (const [a, b] of pairs) {
          assert.equal(a.length, b.length);
          a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) < 1e-5, `${v} vs ${b[i]}`));
        }
      }
    }
  });

  Deno.test(`checkPolicyParity() ${network}: fp32 agrees on every action, INT8 on most, the position matters`, async () => {
    const w = seededWeights(SHAPE, 5);
    const policy = seededPolicy(w, network, 6);
    const fp32 = exportPolicyOnnx(w, policy, { precision: "fp32" });
    const int8 = exportPolicyOnnx(w, policy, { precision: "int8" });
    const windows = Array.from({ length: 30 }, (_, i) => seededWindow(SHAPE, 100 + i));
    const report = await checkPolicyParity(w, policy, { fp32, int8 }, windows);
    assert.equal(report.passed, true, report.failures.join("; "));
    assert.deepEqual(report.positions, [0, 0.1, 0.25]);
    assert.ok(report.fp32_max_abs_diff < 1e-4, `${report.fp32_max_abs_diff}`);
    assert.equal(report.fp32_action_agreement, 1);
    assert.ok(report.int8_action_agreement >= 0.9, `${report.int8_action_agreement}`);
    assert.ok(report.position_effect_max > 0.1, `${report.position_effect_max}`);
    assert.ok(int8.length < fp32.length);
  });
}

Deno.test("checkPolicyParity() fails loudly when the graph ignores the policy's position terms", async () => {
  const w = seededWeights(SHAPE, 5);
  const policy = seededPolicy(w, "heads", 6);
  const flat = new Map(policy);
  for (const h of ["action_logits", "position_size", "value"]) {
    const t = policy.get(`policy.pos.${h}`)!;
    flat.set(`policy.pos.${h}`, { shape: t.shape, data: new Float32Array(t.data.length) });
  }
  const report = await checkPolicyParity(w, policy, {
    fp32: exportPolicyOnnx(w, flat, { precision: "fp32" }),
    int8: exportPolicyOnnx(w, flat, { precision: "int8" }),
  }, [seededWindow(SHAPE, 1), seededWindow(SHAPE, 2)]);
  assert.equal(report.passed, false);
  assert.match(report.failures[0] ?? "", /fp32 max abs difference .* exceeds 0.0001/);
  assert.ok(report.fp32_max_abs_diff_logits > 0.01);
});

Deno.test("exportPolicyOnnx() rejects a policy that does not fit the encoder", () => {
  const w = seededWeights(SHAPE, 1);
  const other = seededWeights({ ...SHAPE, dModel: 16, ffnWidth: 32 }, 1);
  assert.throws(
    () => exportPolicyOnnx(w, seededPolicy(other, "heads", 1), { precision: "fp32" }),
    /heads\.action_logits\.w must be \[32,3\] for d_model 32, got \[16,3\]/,
  );
  assert.throws(
    () => exportPolicyOnnx(w, seededPolicy(other, "mlp", 1), { precision: "fp32" }),
    /policy\.l1\.w must be \[33,16\] for d_model 32, got \[17,16\]/,
  );
  const missing = seededPolicy(w, "heads", 1);
  missing.delete("policy.pos.value");
  assert.throws(
    () => exportPolicyOnnx(w, missing, { precision: "fp32" }),
    /policy\.pos\.value is missing/,
  );
  assert.throws(
    () => exportPolicyOnnx(w, new Map(), { precision: "fp32" }),
    /neither heads\.action_logits\.w nor policy\.l1\.w/,
  );
});

Deno.test("the committed golden tiny RL package is exactly what the exporter writes", async () => {
  const { pkg, golden } = await buildTinyRlFixture();
  const dir = new URL("../../testdata/models/tiny_rl/", import.meta.url);
  for (const [name, bytes] of pkg.files) {
    assert.equal(
      sha256Hex(await Deno.readFile(new URL(name, dir))),
      sha256Hex(bytes),
      name,
    );
  }
  const committed = JSON.parse(await Deno.readTextFile(new URL("manifest.json", dir)));
  assert.deepEqual(committed, JSON.parse(JSON.stringify(pkg.manifest)));
  const goldenFile = new URL("../../testdata/models/tiny_rl_golden.json", import.meta.url);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(goldenFile)), golden);
});
