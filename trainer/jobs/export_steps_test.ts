import assert from "node:assert/strict";
import * as ortNode from "onnxruntime-node";
import { parseManifest } from "../../core/model/manifest.ts";
import type { ModelSpec } from "../../core/model/model_spec.ts";
import { buildDataset, type Dataset } from "../data/dataset.ts";
import { syntheticSource } from "../data/testing_source.ts";
import { initParams } from "../nn/transformer.ts";
import { initHeadPolicy } from "../rl/policy.ts";
import { runPaths, saveModel, savePolicy, writeDataset } from "./artifacts.ts";
import { exportStep, publishStep } from "./export_steps.ts";
import type { RunRecord } from "./records.ts";
import { DEFAULT_RUN, type RunConfig } from "./run_config.ts";
import { type StepContext, StepUnavailable } from "./runner.ts";

const SPEC: ModelSpec = {
  featureCount: 3,
  windowLength: 4,
  dModel: 8,
  heads: 2,
  layers: 1,
  ffnWidth: 16,
};

/** A run directory with a dataset and a pretrain checkpoint. */
async function fixture(config: Partial<RunConfig> = {}) {
  const out = await Deno.makeTempDir();
  const labels = {
    horizons: [1, 2, 3] as [number, number, number],
    feeBps: 1,
    priceScaleBps: 10,
    sizeScaleBps: 10,
    riskDrawdownBps: 5,
  };
  const ds = await buildDataset(syntheticSource(120, 3), {
    windowLength: 4,
    labels,
    trainFraction: 0.6,
    valFraction: 0.2,
  });
  const run: RunRecord = {
    run_id: "run-1",
    created_at: 0,
    steps: ["export", "publish"],
    config: {
      ...DEFAULT_RUN,
      out_dir: out,
      publish_dir: `${out}/registry`,
      ...config,
    } as unknown as Record<string, unknown>,
    status: "running",
    updated_at: 0,
  };
  const paths = runPaths(out, "run-1");
  await Deno.mkdir(paths.dir, { recursive: true });
  await writeDataset(paths.dataset, ds);
  const params = initParams(SPEC, 1);
  await saveModel(paths.pretrain, meta(ds, { best_val: 1.5 }), params);
  const ctx = (step: "export" | "publish"): StepContext => ({
    run,
    step,
    attempt: 1,
    report: () => Promise.resolve(),
  });
  return { out, ds, run, paths, params, ctx };
}

function meta(ds: Dataset, progress: Record<string, unknown>) {
  return {
    model_spec: SPEC,
    feature_spec_hash: ds.specHash,
    feature_names: ds.names,
    normalization: ds.normalization,
    training_config: {},
    progress,
  };
}

/** Saves an RL "heads" policy with non-zero position terms, trained on `encoder`. */
async function saveRlPolicy(f: Awaited<ReturnType<typeof fixture>>, encoder: string) {
  const policy = initHeadPolicy(f.params, SPEC.dModel);
  for (const h of ["action_logits", "position_size", "value"]) {
    const t = policy.get(`policy.pos.${h}`)!;
    t.data.forEach((_, i) => (t.data[i] = 3 * (i % 2 === 0 ? 1 : -1)));
  }
  await savePolicy(f.paths.policy, meta(f.ds, { phase: "rl", algo: "a2c", encoder }), policy);
}

async function readPackage(dir: string) {
  const m = parseManifest(JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)));
  assert.ok(m.ok, JSON.stringify(m));
  const s = await ortNode.InferenceSession.create(await Deno.readFile(`${dir}/model.int8.onnx`));
  const inputs = [...s.inputNames].sort();
  await s.release();
  return { manifest: m.manifest, inputs };
}

Deno.test("export and publish steps package the pretrained model and copy it to an edge registry", async () => {
  const f = await fixture();
  const exported = await exportStep()(f.ctx("export"));
  assert.ok(!(exported instanceof StepUnavailable));
  const published = await publishStep()(f.ctx("publish"));
  assert.ok(!(published instanceof StepUnavailable));
  const { manifest, inputs } = await readPackage(`${f.out}/registry/incoming/run-1`);
  assert.equal(manifest.feature_spec.hash, f.ds.specHash);
  assert.equal(manifest.metrics.pretrain_best_val_loss, 1.5);
  assert.deepEqual(manifest.policy, { kind: "pretrained", position_input: false });
  assert.ok((manifest.metrics.parity_fp32_max_abs_diff as number) < 1e-4);
  assert.deepEqual(inputs, ["features"]);
  const noTarget = { ...f.run, config: { ...f.run.config, publish_dir: undefined } };
  const r = await publishStep()({ ...f.ctx("publish"), run: noTarget });
  assert.ok(r instanceof StepUnavailable && /no publish target/.test(r.reason));
  await Deno.remove(f.out, { recursive: true });
});

Deno.test("the export step packages the run's RL policy when it has one, with its parity", async () => {
  const f = await fixture();
  await saveRlPolicy(f, f.paths.pretrain);
  const r = await exportStep()(f.ctx("export")) as Record<string, unknown>;
  assert.deepEqual(r.policy, { kind: "rl", algo: "a2c", network: "heads", position_input: true });
  const { manifest, inputs } = await readPackage(`${f.paths.dir}/package`);
  assert.deepEqual(inputs, ["features", "position"]);
  assert.equal(manifest.policy.kind, "rl");
  assert.equal(manifest.training.exported, "rl");
  const m = manifest.metrics;
  assert.ok((m.parity_fp32_max_abs_diff as number) < 1e-4, `${m.parity_fp32_max_abs_diff}`);
  assert.equal(m.parity_fp32_action_agreement, 1);
  assert.ok((m.parity_int8_action_agreement as number) >= 0.9);
  assert.ok((m.parity_position_effect_max as number) > 0.1, "the position terms reach the graph");
  await Deno.remove(f.out, { recursive: true });
});

Deno.test("--export-policy pretrained packages the pretrained model although the run has a policy", async () => {
  const f = await fixture({ export_policy: "pretrained" });
  await saveRlPolicy(f, f.paths.pretrain);
  await exportStep()(f.ctx("export"));
  const { manifest, inputs } = await readPackage(`${f.paths.dir}/package`);
  assert.equal(manifest.policy.kind, "pretrained");
  assert.deepEqual(inputs, ["features"]);
  await Deno.remove(f.out, { recursive: true });
});

Deno.test("the export step refuses an RL policy trained on another encoder, or a missing one with --export-policy rl", async () => {
  const f = await fixture();
  await saveRlPolicy(f, "/elsewhere/pretrain.ckpt");
  await assert.rejects(
    () => exportStep()(f.ctx("export")),
    /Cannot export the RL policy .*rl_policy\.ckpt: it was trained on encoder \/elsewhere\/pretrain\.ckpt, not on this run's .*pretrain\.ckpt/,
  );
  const g = await fixture({ export_policy: "rl" });
  await assert.rejects(
    () => exportStep()(g.ctx("export")),
    /Cannot export the RL policy: .*rl_policy\.ckpt does not exist/,
  );
  await Deno.remove(f.out, { recursive: true });
  await Deno.remove(g.out, { recursive: true });
});
