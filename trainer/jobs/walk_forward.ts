/**
 * Walk-forward evaluation with retraining of the whole model per fold: the
 * held-out split is cut into K folds and before each fold both the encoder
 * (supervised pretraining, normalization refitted) and the RL policy are
 * trained on every decision point up to an embargo (label horizon + T − 1)
 * before the fold. Nothing of a fold or its embargo reaches its training.
 *
 * @module
 */

import type { FeatureDataset } from "../../core/features/dataset.ts";
import { fitNormalization } from "../../core/features/normalization.ts";
import type { ModelSpec } from "../../core/model/model_spec.ts";
import type { Dataset } from "../data/dataset.ts";
import { labelHorizon } from "../data/labels.ts";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { pretrain } from "../pretrain/pretrain.ts";
import { type EvalReport, evaluatePolicy } from "../rl/evaluate.ts";
import type { ExecutionPort } from "../rl/execution.ts";
import { encodeTape } from "../rl/tape.ts";
import { greedyRule, trainPolicyOn } from "./rl_training.ts";
import type { RunConfig } from "./run_config.ts";

/** What each fold trained on. */
export interface FoldTraining {
  /** Fold number (0-based). */
  readonly fold: number;
  /** Dataset rows of the first and last training decision. */
  readonly train_rows: [number, number];
  /** Dataset row of the fold's first decision. */
  readonly fold_first_row: number;
  /** Pretraining epochs run and best validation loss. */
  readonly pretrain_epochs: number;
  /** Best validation loss. */
  readonly best_val_loss: number;
  /** RL mean episode return of the last update. */
  readonly rl_last_mean_return: number | null;
}

/** Walk-forward report: the evaluation plus what each fold trained on. */
export interface WalkForwardReport extends EvalReport {
  /** Per fold training facts. */
  training: FoldTraining[];
  /** Embargo in decision points. */
  embargo: number;
}

/** A copy of `ds` with the normalization refitted on `train` rows and new splits. */
export function foldDataset(
  ds: Dataset,
  train: number[],
  val: number[],
  test: number[],
): Dataset {
  const f = ds.names.length;
  const rows = (train.at(-1) ?? 0) + 1;
  // flags (and never-present values) have count 0 in the dataset's statistics: kind "flag" fits them alike
  const features = ds.names.map((name, i) => ({
    name,
    kind: ds.normalization.count[i] === 0 ? "flag" : "value",
  }));
  const normalization = fitNormalization({
    spec: { hash: ds.specHash, features } as unknown as FeatureDataset["spec"],
    times: Float64Array.from(ds.times.slice(0, rows)),
    values: Float64Array.from(ds.features.subarray(0, rows * f)),
    missing: ds.missing.subarray(0, rows * f),
    events: 0,
    nonFinite: [],
  });
  return { ...ds, normalization, splits: { train, val, test } };
}

/**
 * Runs the walk-forward over `ds.splits.test` in `folds` folds on `port`.
 * `onProgress(fold, phase, step, total, loss)` reports training.
 */
export async function walkForward(
  cfg: RunConfig,
  ds: Dataset,
  spec: ModelSpec,
  port: (withCosts: boolean) => ExecutionPort,
  signal: readonly number[],
  folds: number,
  onProgress?: (
    fold: number,
    phase: "pretrain" | "rl",
    step: number,
    total: number,
    loss: number,
  ) => void,
  trainPort?: (indices: readonly number[]) => (withCosts: boolean) => ExecutionPort,
  resumeFile?: string,
): Promise<WalkForwardReport> {
  const t = ds.config.windowLength;
  const embargo = ds.config.embargo ?? labelHorizon(ds.config.labels) + t - 1;
  const test = ds.splits.test;
  // finished folds survive a crash: the file holds their results and what they trained on
  type Saved = { folds: EvalReport["folds"]; training: FoldTraining[] };
  let saved: Saved = { folds: [], training: [] };
  if (resumeFile !== undefined) {
    try {
      saved = JSON.parse(await Deno.readTextFile(resumeFile)) as Saved;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const training: FoldTraining[] = [...saved.training];
  const report = await evaluatePolicy(
    port,
    async (fold, from) => {
      const end = (test[from] as number) - embargo;
      const pre: number[] = [];
      for (let i = t - 1; i <= end; i++) pre.push(i);
      const cut = Math.floor(pre.length * 0.85);
      const train = pre.slice(0, cut);
      const val = pre.slice(cut + embargo);
      if (train.length < cfg.batch_size || val.length === 0) {
        throw new RangeError(
          `Cannot walk forward: fold ${fold} has ${train.length} training and ${val.length} validation windows before it`,
        );
      }
      const dsF = foldDataset(ds, train, val, test);
      const st = await pretrain(
        {
          model: spec,
          epochs: cfg.epochs,
          batchSize: cfg.batch_size,
          schedule: { lr: cfg.pretrain_lr, warmupFraction: 0.05, floor: 0.1 },
          adam: DEFAULT_ADAM,
          weights: DEFAULT_TASK_WEIGHTS,
          patience: cfg.patience,
          seed: cfg.seed + fold,
          ...(cfg.steps_per_epoch === undefined ? {} : { stepsPerEpoch: cfg.steps_per_epoch }),
        },
        dsF,
        { onStep: (p) => onProgress?.(fold, "pretrain", p.step, p.total, p.loss) },
      );
      const trained = await trainPolicyOn(cfg, dsF, spec, st.best, pre, {
        onProgress: (s, total, ret) => onProgress?.(fold, "rl", s, total, ret),
        ...(trainPort ? { port: trainPort } : {}),
      });
      training.push({
        fold,
        train_rows: [pre[0] as number, pre.at(-1) as number],
        fold_first_row: test[from] as number,
        pretrain_epochs: st.epoch,
        best_val_loss: st.bestVal,
        rl_last_mean_return: trained.returns.at(-1) ?? null,
      });
      return greedyRule(trained.policy, await encodeTape(spec, st.best, dsF, test));
    },
    signal,
    {
      folds,
      barMs: cfg.bar_ms,
      heuristicThreshold: 0.5,
      done: saved.folds,
      onFold: async (f, result) => {
        if (resumeFile === undefined) return;
        saved.folds[f] = result;
        saved.training = training;
        await Deno.writeTextFile(`${resumeFile}.tmp`, JSON.stringify(saved));
        await Deno.rename(`${resumeFile}.tmp`, resumeFile);
      },
    },
  );
  return { ...report, training, embargo };
}
