/**
 * Pipeline steps "rl" (PPO/A2C fine-tuning of a trading policy over the frozen
 * encoder, checkpointed every 10 updates) and "evaluate" (greedy policy on the
 * held-out split vs baselines through the trading engine; optionally a
 * walk-forward where the policy is retrained before each fold on everything
 * up to an embargo before it; plus an attention map for the dashboard).
 *
 * @module
 */

import { type Dataset, writeWindow } from "../data/dataset.ts";
import { attentionMap } from "../nn/attention_map.ts";
import { initBackend } from "../nn/backend.ts";
import { evaluatePolicy } from "../rl/evaluate.ts";
import { encodeTape } from "../rl/tape.ts";
import {
  exists,
  loadPolicy,
  loadRlState,
  readDataset,
  savePolicy,
  saveRlState,
  writeJson,
} from "./artifacts.ts";
import { enginePorts, greedyRule, trainPolicyOn } from "./rl_training.ts";
import { walkForward, type WalkForwardReport } from "./walk_forward.ts";
import type { StepHandler } from "./runner.ts";
import { encoderFor, meta, modelSpec, reporter, setup } from "./step_support.ts";

/**
 * The RL environment and the evaluation replay one stream's rows in time order; a pooled
 * dataset (several streams' rows one after the other) would jump between streams.
 *
 * @throws {Error} Naming what to run instead.
 */
export function singleStream(ds: Dataset, step: string): Dataset {
  if ((ds.streams?.length ?? 1) > 1) {
    throw new Error(
      `Cannot run the ${step} step on a dataset of ${ds.streams?.length} pooled streams (its ` +
        `episodes would cross from one stream to the next): use --mode export, or one --streams each`,
    );
  }
  return ds;
}

/** The "rl" step. `bar` draws a terminal progress bar. */
export function rlStep(bar: boolean): StepHandler {
  return async (ctx) => {
    const { cfg, paths } = setup(ctx);
    await initBackend();
    const ds = singleStream(await readDataset(paths.dataset), ctx.step);
    const spec0 = modelSpec(cfg, ds.names.length);
    const enc = await encoderFor(cfg, paths, ds.specHash, spec0);
    const spec = enc.spec ?? spec0;
    const resume = (await exists(paths.rlState)) ? await loadRlState(paths.rlState) : undefined;
    const stateMeta = meta(cfg, spec, ds, {});
    const show = reporter(ctx, bar);
    const t = await trainPolicyOn(cfg, ds, spec, enc.params, ds.splits.train, {
      onProgress: show,
      onCheckpoint: (s) => saveRlState(paths.rlState, stateMeta, s),
    }, resume);
    await savePolicy(
      paths.policy,
      meta(cfg, spec, ds, { phase: "rl", algo: cfg.algo, encoder: enc.source }),
      t.policy,
    );
    return {
      algo: cfg.algo,
      policy_kind: cfg.policy,
      encoder: enc.source,
      resumed_from_update: resume?.update ?? 0,
      env_steps: t.planned,
      first_mean_return: t.returns[0] ?? null,
      last_mean_return: t.returns.at(-1) ?? null,
      ...(t.experience === undefined ? {} : { experience: t.experience }),
      checkpoint: paths.policy,
    };
  };
}

/** Per-decision L1 imbalance of the primary stream (the heuristic's signal). */
function imbalanceSignal(ds: Dataset, indices: readonly number[]): number[] {
  const imb = ds.names.findIndex((n) => n.endsWith(".book.imbalance_l1"));
  return indices.map((i) => (imb >= 0 ? ds.features[i * ds.names.length + imb] as number : 0));
}

/** The "evaluate" step. `bar` draws progress bars of walk-forward retraining. */
export function evaluateStep(bar = true): StepHandler {
  return async (ctx) => {
    const { cfg, paths } = setup(ctx);
    await initBackend();
    const ds = singleStream(await readDataset(paths.dataset), ctx.step);
    const spec0 = modelSpec(cfg, ds.names.length);
    const enc = await encoderFor(cfg, paths, ds.specHash, spec0);
    const spec = enc.spec ?? spec0;
    const test = ds.splits.test;
    const tape = await encodeTape(spec, enc.params, ds, test);
    const signal = imbalanceSignal(ds, test);
    const port = await enginePorts(cfg, test.map((i) => ds.times[i] as number));
    const opts = { folds: 3, barMs: cfg.bar_ms, heuristicThreshold: 0.5 };
    const rule = greedyRule(await loadPolicy(paths.policy), tape);
    const report = await evaluatePolicy(port, () => rule, signal, opts);
    await writeJson(paths.evaluation, report);
    let walk: WalkForwardReport | undefined;
    if (cfg.walk_forward > 0) {
      const show = reporter(ctx, bar);
      walk = await walkForward(
        cfg,
        ds,
        spec0,
        port,
        signal,
        cfg.walk_forward,
        (_f, _p, s, n, l) => show(s, n, l),
      );
      await writeJson(paths.walkForward, walk);
    }
    const last = test.at(-1) as number;
    const window = new Float32Array(spec.windowLength * spec.featureCount);
    writeWindow(ds, last, window, 0);
    await writeJson(
      paths.attention,
      await attentionMap(spec, enc.params, window, {
        time: ds.times[last],
        feature_names: ds.names,
      }),
    );
    return {
      verdict: report.verdict,
      mean_net_return_pct: report.mean_net_return_pct,
      mean_gross_return_pct: report.mean_gross_return_pct,
      policy_trades_per_day: report.policy_trades_per_day,
      report: paths.evaluation,
      ...(walk === undefined ? {} : {
        walk_forward_verdict: walk.verdict,
        walk_forward_mean_net_return_pct: walk.mean_net_return_pct,
        walk_forward_report: paths.walkForward,
      }),
      attention_map: paths.attention,
    };
  };
}
