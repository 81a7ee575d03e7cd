/**
 * The pipeline's step handlers: dataset -> pretrain -> rl -> evaluate ->
 * export -> publish. Each reads its inputs from the run's artifact directory
 * and writes its outputs there atomically, so a retried or re-delivered step
 * redoes at most its own unfinished work (pretraining resumes from the last
 * epoch checkpoint). Export and publish belong to the export issue and report
 * "not available yet".
 *
 * @module
 */

import { buildDataset, labelsOf } from "../data/dataset.ts";
import { engineFeatureSource } from "../data/engine_feature_source.ts";
import { parseStreamList, poolDatasets, streamDatasets } from "../data/stream_datasets.ts";
import { DEFAULT_LABELS } from "../data/labels.ts";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { pretrain } from "../pretrain/pretrain.ts";
import {
  exists,
  loadPretrainState,
  readDataset,
  saveModel,
  savePretrainState,
  writeDataset,
} from "./artifacts.ts";
import type { StepName } from "./records.ts";
import { exportStep, publishStep } from "./export_steps.ts";
import { evaluateStep, rlStep } from "./rl_steps.ts";
import type { StepHandler } from "./runner.ts";
import { meta, modelSpec, reporter, setup } from "./step_support.ts";

/** Builds the step handlers. `bar` draws terminal progress bars. */
export function pipelineHandlers(bar = true): Record<StepName, StepHandler> {
  return {
    dataset: async (ctx) => {
      const { cfg, paths } = setup(ctx);
      await Deno.mkdir(paths.dir, { recursive: true });
      const read = { intervalMs: cfg.bar_ms, venue: cfg.venue };
      const dsConfig = {
        windowLength: cfg.window,
        labels: { ...DEFAULT_LABELS, feeBps: cfg.fee_bps },
        trainFraction: 0.6,
        valFraction: 0.2,
      };
      let src, ds;
      if (cfg.streams !== undefined) {
        const parts = await streamDatasets(
          cfg.recordings,
          parseStreamList(cfg.streams),
          read,
          dsConfig,
        );
        src = (parts[0] as (typeof parts)[number]).source;
        ds = parts.length === 1
          ? (parts[0] as (typeof parts)[number]).ds
          : poolDatasets(parts, { streamInput: cfg.stream_input === true });
      } else {
        src = await engineFeatureSource(cfg.recordings, read);
        ds = await buildDataset(src, dsConfig);
      }
      await writeDataset(paths.dataset, ds);
      const actions: [number, number, number] = [0, 0, 0];
      for (const i of ds.splits.train) actions[labelsOf(ds, i).action] += 1;
      return {
        rows: ds.times.length,
        events: src.stats.events,
        bad_lines: src.stats.bad,
        bad_line_examples: src.stats.errors.slice(0, 5),
        features: ds.names.length,
        train: ds.splits.train.length,
        val: ds.splits.val.length,
        test: ds.splits.test.length,
        train_action_counts: { hold: actions[0], buy: actions[1], sell: actions[2] },
        feature_spec_hash: ds.specHash,
        ...(ds.streams ? { streams: ds.streams } : {}),
      };
    },
    pretrain: async (ctx) => {
      const { cfg, paths } = setup(ctx);
      const ds = await readDataset(paths.dataset);
      const spec = modelSpec(cfg, ds.names.length);
      const resume = (await exists(paths.pretrainState))
        ? await loadPretrainState(paths.pretrainState)
        : undefined;
      const show = reporter(ctx, bar);
      const base = meta(cfg, spec, ds, {});
      const st = await pretrain(
        {
          model: spec,
          epochs: cfg.epochs,
          batchSize: cfg.batch_size,
          schedule: { lr: cfg.pretrain_lr, warmupFraction: 0.05, floor: 0.1 },
          adam: DEFAULT_ADAM,
          weights: DEFAULT_TASK_WEIGHTS,
          patience: cfg.patience,
          seed: cfg.seed,
          ...(cfg.steps_per_epoch === undefined ? {} : { stepsPerEpoch: cfg.steps_per_epoch }),
        },
        ds,
        {
          onStep: (p) => show(p.step, p.total, p.loss),
          onEpoch: (s) => savePretrainState(paths.pretrainState, base, s),
        },
        resume,
      );
      await saveModel(
        paths.pretrain,
        meta(cfg, spec, ds, { phase: "pretrain", epoch: st.epoch, best_val: st.bestVal }),
        st.best,
      );
      return {
        resumed_from_epoch: resume?.epoch ?? 0,
        epochs_run: st.epoch,
        stopped_early: st.epoch < cfg.epochs,
        best_val_loss: st.bestVal,
        history: st.history,
        checkpoint: paths.pretrain,
      };
    },
    rl: rlStep(bar),
    evaluate: evaluateStep(bar),
    export: exportStep(),
    publish: publishStep(),
  };
}
