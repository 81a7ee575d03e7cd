/**
 * Helpers shared by the pipeline step handlers: run configuration and paths,
 * model spec, progress reporting, checkpoint headers and the choice of
 * encoder checkpoint for RL and evaluation.
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import type { CheckpointMeta } from "../nn/checkpoint.ts";
import { type HostParams, initParams } from "../nn/transformer.ts";
import { exists, loadModel, runPaths } from "./artifacts.ts";
import { ProgressBar } from "./progress_bar.ts";
import type { RunConfig } from "./run_config.ts";
import type { StepContext } from "./runner.ts";

/** The run's configuration and artifact paths. */
export function setup(ctx: StepContext): { cfg: RunConfig; paths: ReturnType<typeof runPaths> } {
  const cfg = ctx.run.config as unknown as RunConfig;
  return { cfg, paths: runPaths(cfg.out_dir, ctx.run.run_id) };
}

/** The model spec of a run for `featureCount` features. */
export function modelSpec(cfg: RunConfig, featureCount: number): ModelSpec {
  return {
    featureCount,
    windowLength: cfg.window,
    dModel: cfg.d_model,
    heads: cfg.heads,
    layers: cfg.layers,
    ffnWidth: cfg.ffn,
  };
}

/** Progress to the terminal bar and (at most once a second) to the step record. */
export function reporter(
  ctx: StepContext,
  bar: boolean,
): (step: number, total: number, loss: number) => void {
  const pb = bar ? new ProgressBar(ctx.step) : undefined;
  let last = 0;
  return (step, total, loss) => {
    pb?.update(step, total, loss);
    const now = performance.now();
    if (now - last > 1000 || step === total) {
      last = now;
      ctx.report({ step, total, loss }).catch((e) =>
        console.error(`progress of ${ctx.step} not saved: ${e instanceof Error ? e.message : e}`)
      );
    }
    if (step === total) pb?.done();
  };
}

/** Newest `<out_dir>/<run>/pretrain.ckpt` under out_dir, if any. */
export async function latestPretrain(outDir: string): Promise<string | undefined> {
  const runs: string[] = [];
  try {
    for await (const e of Deno.readDir(outDir)) if (e.isDirectory) runs.push(e.name);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  for (const r of runs.sort().reverse()) {
    const p = runPaths(outDir, r).pretrain;
    if (await exists(p)) return p;
  }
  return undefined;
}

/**
 * The encoder for RL/evaluation: this run's pretrain checkpoint, else
 * `--checkpoint`, else the newest pretrain checkpoint under out_dir, else a
 * random initialization (reported in the step result).
 */
export async function encoderFor(
  cfg: RunConfig,
  paths: ReturnType<typeof runPaths>,
  specHash: string,
  spec: ModelSpec,
): Promise<{ params: HostParams; source: string; spec?: ModelSpec }> {
  const path = (await exists(paths.pretrain))
    ? paths.pretrain
    : cfg.checkpoint ?? await latestPretrain(cfg.out_dir);
  if (path === undefined) {
    return { params: initParams(spec, cfg.seed), source: "random init (no pretrain checkpoint)" };
  }
  const m = await loadModel(path);
  if (m.header.feature_spec_hash !== specHash) {
    throw new RangeError(
      `Checkpoint ${path} was trained on feature spec ${m.header.feature_spec_hash}, data has ${specHash}`,
    );
  }
  return { params: m.params, source: path, spec: m.header.model_spec };
}

/** Checkpoint header fields of a run. */
export function meta(
  cfg: RunConfig,
  spec: ModelSpec,
  ds: {
    names: readonly string[];
    specHash: string;
    normalization: CheckpointMeta["normalization"];
  },
  progress: Record<string, unknown>,
): CheckpointMeta {
  return {
    model_spec: spec,
    feature_spec_hash: ds.specHash,
    feature_names: ds.names,
    normalization: ds.normalization,
    training_config: { ...cfg },
    progress,
  };
}
