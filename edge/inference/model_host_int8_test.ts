import assert from "node:assert/strict";
import { inferCommand } from "../cli/infer_command.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { ModelHost } from "./model_host.ts";
import { ModelRegistry, ModelRejected } from "./model_registry.ts";
import { createOrtSession, ort } from "../../infra/inference/ort_runtime.ts";
import onnxProto from "onnx-proto";

const FIXTURE = new URL("../../testdata/models/tiny/", import.meta.url).pathname;
const DEMO = new URL("../../models/demo/20261207T234600242Z-03585c", import.meta.url).pathname;

/** A copy of the tiny package with its manifest edited. */
async function editedFixture(
  edit: (m: Record<string, unknown>) => void,
  from = FIXTURE,
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-pkg-" });
  for (const e of Deno.readDirSync(from)) {
    await Deno.copyFile(`${from}/${e.name}`, `${dir}/${e.name}`);
  }
  const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  edit(m);
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(m));
  return dir;
}

async function load(dir: string) {
  const reg = new ModelRegistry(await Deno.makeTempDir({ prefix: "tickerml-registry-" }));
  const m = await reg.installFromDir(dir);
  return await new ModelHost(reg, { precision: "int8" }).swapTo(m.version);
}

Deno.test("ModelHost judges the INT8 scheme: exact when recorded, legacy when the manifest is older", async () => {
  const exact = await load(FIXTURE);
  assert.equal(exact.int8.status, "exact");
  assert.equal(exact.int8.weightRange, 63);
  const legacy = await load(await editedFixture((m) => delete m.quantization));
  assert.equal(legacy.int8.status, "legacy");
  assert.match(legacy.int8.note, /exact in this edge's WASM runtime.*without VNNI saturates/);
  await exact.session.release();
  await legacy.session.release();
});

Deno.test("ModelHost refuses an INT8 file whose weights reach beyond the manifest's range", async () => {
  const dir = await editedFixture((m) => {
    (m.quantization as { weight_range: number }).weight_range = 40;
  });
  await assert.rejects(() => load(dir), (e: Error) => {
    assert.ok(e instanceof ModelRejected);
    assert.match(
      e.message,
      /INT8 file does not match its manifest: INT8 weight \S+ reaches ±63, outside the scheme's ±40/,
    );
    return true;
  });
});

Deno.test("infer --test names the INT8 scheme of the bundled demo model and warns about a legacy package", async () => {
  const out = memoryOutput();
  assert.equal(await inferCommand(["--test", "--json", "--model", DEMO], out), 0);
  const report = JSON.parse(out.out.join("\n"));
  assert.equal(report.precision, "int8");
  assert.equal(report.int8_scheme.status, "exact");
  assert.equal(out.err.length, 0);
  const legacy = memoryOutput();
  const dir = await editedFixture((m) => delete m.quantization, DEMO);
  assert.equal(await inferCommand(["--test", "--model", dir], legacy), 0);
  assert.match(legacy.out.join("\n"), /INT8 weight range not recorded \(full -127\.\.127\)/);
  assert.match(legacy.err.join("\n"), /infer: warning: INT8 weight range not recorded/);
});

Deno.test("onnxruntime-web's MatMulInteger is exact even for legacy full-range weights (uint8 255 × int8 ±127)", async () => {
  // Why the edge keeps legacy INT8 packages: its WASM build does not saturate where
  // onnxruntime-node on x86 without VNNI does (255 × 127 pair sums overflow int16).
  const { onnx } = onnxProto;
  const K = 64;
  const b = new Int8Array(K * 2).map((_, i) => (i % 2 === 0 ? 127 : -127));
  const T = onnx.TensorProto.DataType;
  const vi = (name: string, t: number, dims: number[]) =>
    onnx.ValueInfoProto.create({
      name,
      type: { tensorType: { elemType: t, shape: { dim: dims.map((d) => ({ dimValue: d })) } } },
    });
  const model = onnx.ModelProto.encode(onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: "", version: 17 }],
    graph: {
      name: "probe",
      node: [{ opType: "MatMulInteger", input: ["a", "b", "za"], output: ["y"] }],
      initializer: [{
        name: "b",
        dims: [K, 2],
        dataType: T.INT8,
        rawData: new Uint8Array(b.buffer),
      }],
      input: [vi("a", T.UINT8, [1, K]), vi("za", T.UINT8, [])],
      output: [vi("y", T.INT32, [1, 2])],
    },
  })).finish();
  const session = await createOrtSession(model);
  const out = await session.run({
    a: new ort.Tensor("uint8", new Uint8Array(K).fill(255), [1, K]),
    za: new ort.Tensor("uint8", Uint8Array.of(0), []),
  });
  await session.release();
  assert.deepEqual(Array.from(out.y!.data as Int32Array), [255 * 127 * K, -255 * 127 * K]);
});
