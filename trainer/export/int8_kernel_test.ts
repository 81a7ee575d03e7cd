import assert from "node:assert/strict";
import { sha256Hex } from "../../core/hash.ts";
import { inspectInt8Graph } from "../../core/model/int8_graph.ts";
import { INT8_SCHEME } from "../../core/model/int8_scheme.ts";
import { parseManifest } from "../../core/model/manifest.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { int8Forward, kernelStats } from "./int8_emulation.ts";
import { buildPackage } from "./model_package.ts";
import { weightsFromOnnx } from "./onnx_weights.ts";
import { openSession, RUNTIMES } from "./ort_runtimes.ts";
import { checkParity } from "./parity.ts";
import { SEEDED_TEST_SHAPE, seededWeights, seededWindow } from "./test_weights.ts";
import { referenceForward } from "./reference_forward.ts";
import { TINY_SHAPE } from "./tiny_fixture.ts";
import { TINY_TRAINED_INFO } from "./tiny_trained_fixture.ts";
import { DataType, OnnxGraphBuilder } from "./onnx_graph.ts";

const DIR = new URL("../../testdata/models/tiny_trained/", import.meta.url);
const fp32 = await Deno.readFile(new URL("model.fp32.onnx", DIR));
const int8 = await Deno.readFile(new URL("model.int8.onnx", DIR));
const trained = weightsFromOnnx(fp32, TINY_SHAPE);
const windows: number[][][] = JSON.parse(
  await Deno.readTextFile(new URL("../tiny_trained_windows.json", DIR)),
);
const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));

/** Decisions of the exact and the AVX2-u8s8 kernel over `xs` at weight range `range`. */
function emulate(w: ModelWeights, xs: number[][][], range: number) {
  const exact = kernelStats();
  const avx2 = kernelStats();
  let flips = 0;
  let identical = true;
  for (const x of xs) {
    const e = int8Forward(w, x, { weightRange: range, kernel: "exact", stats: exact });
    const a = int8Forward(w, x, { weightRange: range, kernel: "avx2_u8s8", stats: avx2 });
    if (argmax(e.actionLogits) !== argmax(a.actionLogits)) flips++;
    identical &&= JSON.stringify([e.actionLogits, e.price, e.position, e.risk, e.value]) ===
      JSON.stringify([a.actionLogits, a.price, a.position, a.risk, a.value]);
  }
  return { exact, avx2, flips, identical };
}

Deno.test("the tiny trained fixture has learned: every held-out decision has a real fp32 margin", async () => {
  const report = await checkParity(trained, { fp32, int8 }, windows);
  assert.equal(report.passed, true, report.failures.join("; "));
  assert.ok(report.fp32_margin_min > 1, `min margin ${report.fp32_margin_min}`);
  assert.equal(report.int8_confident_share, 1);
  assert.equal(report.int8_action_agreement_node, 1);
  assert.equal(report.int8_action_agreement_web, 1);
  // same integer results in both builds: only float rounding differs
  assert.ok(report.int8_node_web_max_diff < 1e-5, `${report.int8_node_web_max_diff}`);
});

Deno.test("AVX2 u8s8 emulation: the scheme never saturates, so every result equals the exact kernel's", () => {
  const r = emulate(trained, windows, INT8_SCHEME.weight_range);
  assert.equal(r.avx2.saturated, 0);
  assert.ok(r.avx2.maxPairSum <= 2 * 255 * 63, `${r.avx2.maxPairSum}`);
  assert.equal(r.identical, true);
  assert.equal(r.flips, 0);
});

Deno.test("AVX2 u8s8 emulation: the former full range saturates and flips decisions", () => {
  // The failure the scheme prevents, measured without an AVX2-only CPU. On the seeded test
  // model it reproduces the 0.633 agreement the issue measured on such a CPU (and that
  // onnxruntime-node gives under `qemu-x86_64 -cpu Haswell`, docs/trainer.md).
  const r = emulate(trained, windows, 127);
  assert.ok(r.avx2.saturated > 0);
  assert.ok(r.flips > 0, "no decision flipped");
  const w = seededWeights(SEEDED_TEST_SHAPE, 5);
  const xs = Array.from({ length: 60 }, (_, i) => seededWindow(SEEDED_TEST_SHAPE, 100 + i));
  let agree = 0;
  for (const x of xs) {
    const s = kernelStats();
    const sat = int8Forward(w, x, { weightRange: 127, kernel: "avx2_u8s8", stats: s });
    if (argmax(referenceForward(w, x).actionLogits) === argmax(sat.actionLogits)) agree++;
  }
  // the INT8 vs fp32 agreement of transformer_onnx_test.ts on an AVX2 CPU: 38 / 60 = 0.633
  assert.equal(agree, 38);
});

Deno.test("the emulation is the exported graph: same decisions as onnxruntime INT8, outputs within 1e-3", async () => {
  for (const rt of RUNTIMES) {
    const s = await openSession(rt, int8);
    let maxDiff = 0;
    for (const x of windows.slice(0, 80)) {
      const out = await s.run({
        features: { data: Float32Array.from(x.flat()), dims: [1, TINY_SHAPE.windowLength, 6] },
      });
      const e = int8Forward(trained, x, {
        weightRange: INT8_SCHEME.weight_range,
        kernel: "exact",
        stats: kernelStats(),
      });
      const logits = Array.from(out.action_logits as Float32Array);
      assert.equal(argmax(logits), argmax(e.actionLogits));
      maxDiff = Math.max(
        maxDiff,
        ...logits.map((v, i) => Math.abs(v - (e.actionLogits[i] as number))),
      );
    }
    await s.release();
    assert.ok(maxDiff < 1e-3, `${rt}: ${maxDiff}`);
  }
});

Deno.test("the committed trained package: scheme recorded, weights within ±63, exactly what the exporter writes", async () => {
  const manifest = JSON.parse(await Deno.readTextFile(new URL("manifest.json", DIR)));
  const parsed = parseManifest(manifest);
  assert.ok(parsed.ok, JSON.stringify(parsed));
  assert.deepEqual(parsed.manifest.quantization, INT8_SCHEME);
  const stats = inspectInt8Graph(int8);
  assert.ok(stats.matmuls > 0);
  assert.ok(stats.maxAbs <= 63 && stats.maxAbs >= 60, `${stats.maxAbs}`);
  const pkg = await buildPackage(trained, {
    ...TINY_TRAINED_INFO,
    featureSpec: manifest.feature_spec,
    normalization: manifest.normalization,
    metrics: manifest.metrics,
  });
  for (const [name, bytes] of pkg.files) {
    assert.equal(sha256Hex(bytes), manifest.files[name.split(".")[1] as string].sha256, name);
  }
});

Deno.test("onnxruntime's own MatMulInteger is exact at the scheme's worst case (uint8 255 × int8 ±63)", async () => {
  // Runs the real kernels of this CPU (and of the WASM build): on x86 without VNNI this is
  // the saturating vpmaddubsw path, whose int16 pair sums peak at 2 × 255 × 63 = 32130 here.
  const K = 64;
  const N = 2;
  const g = new OnnxGraphBuilder();
  const a = g.input("a", DataType.FLOAT, [4, K]);
  const [q, scale, zp] = ["q", "scale", "zp"];
  g.node("DynamicQuantizeLinear", [a], { outputs: [q, scale, zp] });
  const b = new Int8Array(K * N).map((_, i) => (i % N === 0 ? 63 : -63));
  g.node("Cast", [g.node("MatMulInteger", [q, g.int8("b", [K, N], b), zp])], {
    outputs: ["y"],
    attrs: { to: DataType.FLOAT },
  });
  g.output("y", DataType.FLOAT, [4, N]);
  const model = g.encode({ graphName: "probe", producer: "test" });
  // row 0: all 255 (zero point 0); rows 1-3: a ramp
  const x = Float32Array.from({ length: 4 * K }, (_, i) => (i < K ? 255 : (i % K) * 4));
  for (const rt of RUNTIMES) {
    const s = await openSession(rt, model);
    const y = (await s.run({ a: { data: x, dims: [4, K] } })).y as Float32Array;
    await s.release();
    for (let m = 0; m < 4; m++) {
      let exact = 0;
      for (let k = 0; k < K; k++) exact += Math.round(x[m * K + k] as number) * 63;
      assert.equal(y[m * N], exact, `${rt} row ${m}`);
      assert.equal(y[m * N + 1], -exact, `${rt} row ${m}`);
    }
  }
});
