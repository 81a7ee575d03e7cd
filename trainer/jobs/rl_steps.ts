/**
 * Pipeline steps "rl" (PPO/A2C fine-tuning of a trading policy over the frozen
 * encoder, checkpointed every 10 updates) and "evaluate" (greedy policy on the
 * held-out split vs baselines, plus an attention map for the dashboard).
 *
 * @module
 */

import { writeWindow } from "../data/dataset.ts";
import { attentionMap } from "../nn/attention_map.ts";
import { compile, initBackend, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { loadRecordings } from "../backtest/recording.ts";
import { EngineExecution, instrumentsOf, trainerEngineConfig } from "../rl/engine_execution.ts";
import { orderSize } from "../rl/env.ts";
import type { ExecutionPort } from "../rl/execution.ts";
import { evaluatePolicy, type Rule } from "../rl/evaluate.ts";
import { initHeadPolicy, policyForward, uploadPolicy } from "../rl/policy.ts";
import { A2C_DEFAULTS, PPO_DEFAULTS, trainRl } from "../rl/ppo.ts";
import { encodeTape } from "../rl/tape.ts";
import { TradingEnv, tradingObs } from "../rl/trading_env.ts";
import {
  exists,
  loadPolicy,
  loadRlState,
  readDataset,
  savePolicy,
  saveRlState,
  writeJson,
} from "./artifacts.ts";
import type { RunConfig } from "./run_config.ts";
import type { StepHandler } from "./runner.ts";
import { encoderFor, meta, modelSpec, reporter, setup } from "./step_support.ts";

/**
 * Execution ports on the shared trading engine over the run's recordings, at
 * the given decision times; `withCosts` false sets fees to zero (gross runs).
 */
async function enginePorts(
  cfg: RunConfig,
  times: readonly number[],
): Promise<(withCosts: boolean) => ExecutionPort> {
  const events = await loadRecordings(cfg.recordings);
  const instruments = instrumentsOf(events);
  return (withCosts) =>
    new EngineExecution(
      events,
      times,
      () => trainerEngineConfig(instruments, withCosts ? cfg.fee_bps : 0),
    );
}

/** The "rl" step. `bar` draws a terminal progress bar. */
export function rlStep(bar: boolean): StepHandler {
  return async (ctx) => {
    const { cfg, paths } = setup(ctx);
    await initBackend();
    const ds = await readDataset(paths.dataset);
    const spec0 = modelSpec(cfg, ds.names.length);
    const enc = await encoderFor(cfg, paths, ds.specHash, spec0);
    const spec = enc.spec ?? spec0;
    const tape = await encodeTape(spec, enc.params, ds, ds.splits.train);
    const defaults = cfg.algo === "ppo" ? PPO_DEFAULTS : A2C_DEFAULTS;
    const rl = {
      ...defaults,
      totalSteps: cfg.episodes * cfg.episode_length,
      learningRate: cfg.learning_rate ?? defaults.learningRate,
      seed: cfg.seed,
    };
    const port = await enginePorts(cfg, ds.splits.train.map((i) => ds.times[i] as number));
    const envs = Array.from(
      { length: rl.numEnvs },
      (_, i) =>
        new TradingEnv(tape, port(true), {
          episodeLength: cfg.episode_length,
          reward: { kind: cfg.reward, drawdownPenalty: cfg.drawdown_penalty, eta: 0.01 },
          seed: cfg.seed * 31 + i,
        }),
    );
    const show = reporter(ctx, bar);
    const perRollout = rl.numEnvs * rl.nSteps;
    const planned = Math.max(1, Math.floor(rl.totalSteps / perRollout)) * perRollout;
    const returns: number[] = [];
    const resume = (await exists(paths.rlState)) ? await loadRlState(paths.rlState) : undefined;
    const stateMeta = meta(cfg, spec, ds, {});
    const policy = await trainRl(
      envs,
      rl,
      {
        onUpdate: (s) => {
          if (Number.isFinite(s.mean_return)) returns.push(s.mean_return);
          show(s.steps, planned, s.mean_return);
        },
        onCheckpoint: (s) => saveRlState(paths.rlState, stateMeta, s),
      },
      cfg.policy === "heads" ? initHeadPolicy(enc.params, spec.dModel) : undefined,
      resume,
    );
    await savePolicy(
      paths.policy,
      meta(cfg, spec, ds, { phase: "rl", algo: cfg.algo, encoder: enc.source }),
      policy,
    );
    return {
      algo: cfg.algo,
      policy_kind: cfg.policy,
      encoder: enc.source,
      resumed_from_update: resume?.update ?? 0,
      env_steps: planned,
      first_mean_return: returns[0] ?? null,
      last_mean_return: returns.at(-1) ?? null,
      checkpoint: paths.policy,
    };
  };
}

/** The "evaluate" step. */
export function evaluateStep(): StepHandler {
  return async (ctx) => {
    const { cfg, paths } = setup(ctx);
    await initBackend();
    const ds = await readDataset(paths.dataset);
    const spec0 = modelSpec(cfg, ds.names.length);
    const enc = await encoderFor(cfg, paths, ds.specHash, spec0);
    const tape = await encodeTape(enc.spec ?? spec0, enc.params, ds, ds.splits.test);
    const policy = uploadPolicy(await loadPolicy(paths.policy));
    const fwd = compile((p: Params, o: Tensor) => policyForward(p, o));
    const rule: Rule = async (k, pos) => {
      const out = fwd(
        keepTree(policy),
        tensor(tradingObs(tape, k, pos), [1, tape.embSize + 1]),
      );
      const logp = await toHost(out.logp);
      const mean = (await toHost(out.mean))[0] as number;
      out.logStd.dispose();
      out.value.dispose();
      const choice = logp.indexOf(Math.max(...logp));
      return choice === 1
        ? { side: "buy", size: orderSize(mean) }
        : choice === 2
        ? { side: "sell", size: orderSize(mean) }
        : { side: "hold", size: 0 };
    };
    const imb = ds.names.findIndex((n) => n.endsWith(".book.imbalance_l1"));
    const signal = ds.splits.test.map((
      i,
    ) => (imb >= 0 ? ds.features[i * ds.names.length + imb] as number : 0));
    const port = await enginePorts(cfg, ds.splits.test.map((i) => ds.times[i] as number));
    const report = await evaluatePolicy(port, rule, signal, {
      folds: 3,
      barMs: cfg.bar_ms,
      heuristicThreshold: 0.5,
    });
    await writeJson(paths.evaluation, report);
    const spec = enc.spec ?? spec0;
    const last = ds.splits.test.at(-1) as number;
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
      attention_map: paths.attention,
    };
  };
}
