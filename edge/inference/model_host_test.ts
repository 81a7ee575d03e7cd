import assert from "node:assert/strict";
import { ModelHost } from "./model_host.ts";
import { ModelRegistry, ModelRejected } from "./model_registry.ts";

const FIXTURE = new URL("../../testdata/models/tiny/", import.meta.url).pathname;
const golden = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/models/tiny_golden.json", import.meta.url)),
);

async function freshRegistry(featureHash?: string): Promise<ModelRegistry> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-registry-" });
  return new ModelRegistry(dir, featureHash === undefined ? {} : { featureHash });
}

async function copyFixture(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-pkg-" });
  for (const e of Deno.readDirSync(FIXTURE)) {
    await Deno.copyFile(`${FIXTURE}${e.name}`, `${dir}/${e.name}`);
  }
  return dir;
}

Deno.test("ModelHost runs the golden tiny model in onnxruntime-web with the known outputs", async () => {
  const reg = await freshRegistry("tiny-feature-spec-v1");
  const m = await reg.installFromDir(FIXTURE);
  const host = new ModelHost(reg, { precision: "fp32" });
  await host.swapTo(m.version);
  const r = await host.decide(golden.window);
  const probs = [r.decision.probs.hold, r.decision.probs.buy, r.decision.probs.sell];
  probs.forEach((p, i) => assert.ok(Math.abs(p - golden.action_probs[i]) < 1e-5));
  r.decision.pricePred.forEach((p, i) => assert.ok(Math.abs(p - golden.price_pred[i]) < 1e-5));
  // default scale 1: the engine's 0..1 order size is the position head itself
  assert.ok(Math.abs(r.decision.sizeFraction - golden.position_size) < 1e-5);
  assert.ok(Math.abs(r.decision.risk - golden.risk_score) < 1e-5);
  assert.equal(r.attention?.length, golden.attention.flat(2).length);
  assert.equal(r.version, "tiny-v1");
  assert.equal(await reg.currentVersion(), "tiny-v1");
  // The INT8 file decides the same action on this window.
  const int8 = new ModelHost(reg, { precision: "int8" });
  await int8.swapTo("tiny-v1");
  assert.equal((await int8.decide(golden.window)).decision.action, r.decision.action);
});

Deno.test("ModelRegistry refuses a corrupt file, a wrong hash, a wrong feature spec and a bad manifest", async () => {
  const corrupt = await copyFixture();
  const bytes = await Deno.readFile(`${corrupt}/model.fp32.onnx`);
  bytes[100] = (bytes[100] ?? 0) ^ 0xff;
  await Deno.writeFile(`${corrupt}/model.fp32.onnx`, bytes);
  const reg = await freshRegistry();
  await assert.rejects(() => reg.installFromDir(corrupt), (e: Error) => {
    assert.ok(e instanceof ModelRejected);
    assert.equal(e.name, "ModelRejected");
    assert.match(e.message, /model\.fp32\.onnx has sha256 [0-9a-f]{64}, manifest says/);
    return true;
  });

  const wrongHash = await copyFixture();
  const manifest = JSON.parse(await Deno.readTextFile(`${wrongHash}/manifest.json`));
  manifest.files.int8.sha256 = "0".repeat(64);
  await Deno.writeTextFile(`${wrongHash}/manifest.json`, JSON.stringify(manifest));
  await assert.rejects(() => reg.installFromDir(wrongHash), /model\.int8\.onnx has sha256/);

  await assert.rejects(
    () => new ModelRegistry(reg.dir, { featureHash: "edge-spec-v9" }).installFromDir(FIXTURE),
    /feature-spec hash tiny-feature-spec-v1 differs from this edge's edge-spec-v9/,
  );

  const bad = await copyFixture();
  const m2 = JSON.parse(await Deno.readTextFile(`${bad}/manifest.json`));
  delete m2.normalization;
  m2.shape.window = -1;
  await Deno.writeTextFile(`${bad}/manifest.json`, JSON.stringify(m2));
  await assert.rejects(
    () => reg.installFromDir(bad),
    /invalid manifest: .*shape\.window.*normalization/,
  );
  assert.deepEqual(reg.versions(), []);
});

Deno.test("ModelHost keeps the old model when a new one is bad, and swaps atomically between decisions", async () => {
  const reg = await freshRegistry();
  await reg.installFromDir(FIXTURE);
  // A second version: same weights, new label.
  const v2 = await copyFixture();
  const m = JSON.parse(await Deno.readTextFile(`${v2}/manifest.json`));
  m.version = "tiny-v2";
  await Deno.writeTextFile(`${v2}/manifest.json`, JSON.stringify(m));
  await reg.installFromDir(v2);
  // A third version whose file gets corrupted after installation.
  m.version = "tiny-v3";
  await Deno.writeTextFile(`${v2}/manifest.json`, JSON.stringify(m));
  await reg.installFromDir(v2);
  await Deno.writeFile(`${reg.dir}/tiny-v3/model.int8.onnx`, new Uint8Array([1, 2, 3]));

  const host = new ModelHost(reg);
  await host.swapTo("tiny-v1");
  await assert.rejects(
    () => host.swapTo("tiny-v3"),
    /tiny-v3 rejected: installed file model\.int8\.onnx is corrupt/,
  );
  await assert.rejects(() => host.swapTo("nope"), /nope rejected: not installed/);
  assert.equal(host.current?.manifest.version, "tiny-v1");
  assert.equal(await reg.currentVersion(), "tiny-v1");

  // Decisions in flight while swapping: each completes on one model; later ones use v2.
  const inFlight = Array.from({ length: 10 }, () => host.decide(golden.window));
  const swap = host.swapTo("tiny-v2");
  const more = Array.from({ length: 10 }, () => host.decide(golden.window));
  const results = await Promise.all([...inFlight, ...more]);
  await swap;
  assert.ok(results.every((r) => r.version === "tiny-v1" || r.version === "tiny-v2"));
  assert.equal(results[0]?.version, "tiny-v1");
  assert.equal((await host.decide(golden.window)).version, "tiny-v2");
  assert.equal(await reg.currentVersion(), "tiny-v2");
});

Deno.test("ModelHost.decide() refuses a window of the wrong shape and NaN never reaches the model", async () => {
  const reg = await freshRegistry();
  await reg.installFromDir(FIXTURE);
  const host = new ModelHost(reg);
  await assert.rejects(() => host.decide(golden.window), /no model is loaded/);
  await host.swapTo("tiny-v1");
  await assert.rejects(
    () => host.decide(golden.window.slice(1)),
    /has 7 steps, model tiny-v1 expects 8/,
  );
  const withNaN = golden.window.map((row: number[]) => row.map((v, i) => (i === 0 ? NaN : v)));
  const r = await host.decide(withNaN);
  assert.ok(Number.isFinite(r.decision.confidence));
});

Deno.test("ModelRegistry.drainIncoming() installs published packages and sets rejected ones aside", async () => {
  const reg = await freshRegistry();
  await Deno.mkdir(`${reg.dir}/incoming`, { recursive: true });
  const good = await copyFixture();
  await Deno.rename(good, `${reg.dir}/incoming/a-good`);
  await Deno.mkdir(`${reg.dir}/incoming/b-empty`);
  const out = await reg.drainIncoming();
  assert.equal(out[0]?.manifest?.version, "tiny-v1");
  assert.match(out[1]?.error ?? "", /cannot read manifest\.json/);
  assert.deepEqual(reg.versions(), ["tiny-v1"]);
  assert.ok(
    [...Deno.readDirSync(`${reg.dir}/incoming`)].some((e) =>
      e.name.startsWith("b-empty.rejected-")
    ),
  );
});
