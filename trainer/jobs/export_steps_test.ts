import assert from "node:assert/strict";
import { parseManifest } from "../../core/model/manifest.ts";
import { buildDataset } from "../data/dataset.ts";
import { syntheticSource } from "../data/testing_source.ts";
import { initParams } from "../nn/transformer.ts";
import { runPaths, saveModel, writeJson } from "./artifacts.ts";
import { exportStep, publishStep } from "./export_steps.ts";
import type { RunRecord } from "./records.ts";
import { DEFAULT_RUN } from "./run_config.ts";
import { type StepContext, StepUnavailable } from "./runner.ts";

Deno.test("export and publish steps package the pretrained model and copy it to an edge registry", async () => {
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
  const spec = { featureCount: 3, windowLength: 4, dModel: 8, heads: 2, layers: 1, ffnWidth: 16 };
  const run: RunRecord = {
    run_id: "run-1",
    created_at: 0,
    steps: ["export", "publish"],
    config: { ...DEFAULT_RUN, out_dir: out, publish_dir: `${out}/registry` } as unknown as Record<
      string,
      unknown
    >,
    status: "running",
    updated_at: 0,
  };
  const paths = runPaths(out, "run-1");
  await Deno.mkdir(paths.dir, { recursive: true });
  await writeJson(paths.dataset, ds);
  await saveModel(paths.pretrain, {
    model_spec: spec,
    feature_spec_hash: ds.specHash,
    feature_names: ds.names,
    normalization: ds.normalization,
    training_config: {},
    progress: { best_val: 1.5 },
  }, initParams(spec, 1));
  const ctx = (step: "export" | "publish"): StepContext => ({
    run,
    step,
    attempt: 1,
    report: () => Promise.resolve(),
  });
  const exported = await exportStep()(ctx("export"));
  assert.ok(!(exported instanceof StepUnavailable));
  const published = await publishStep()(ctx("publish"));
  assert.ok(!(published instanceof StepUnavailable));
  const dir = `${out}/registry/incoming/run-1`;
  const m = parseManifest(JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)));
  assert.ok(m.ok, JSON.stringify(m));
  assert.equal(m.manifest.feature_spec.hash, ds.specHash);
  assert.equal(m.manifest.metrics.pretrain_best_val_loss, 1.5);
  assert.ok((await Deno.stat(`${dir}/model.int8.onnx`)).size > 0);
  const noTarget = { ...run, config: { ...run.config, publish_dir: undefined } };
  const r = await publishStep()({ ...ctx("publish"), run: noTarget });
  assert.ok(r instanceof StepUnavailable && /no publish target/.test(r.reason));
  await Deno.remove(out, { recursive: true });
});
