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

import type { ModelSpec } from "../../core/model/model_spec.ts";
import { buildDataset, labelsOf, writeWindow } from "../data/dataset.ts";
import { interimRecordingSource } from "../data/interim_recording_source.ts";
import { DEFAULT_LABELS } from "../data/labels.ts";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { attentionMap } from "../nn/attention_map.ts";
import { compile, initBackend, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { CheckpointMeta } from "../nn/checkpoint.ts";
import type { Params } from "../nn/layers.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { initParams } from "../nn/transformer.ts";
import { pretrain } from "../pretrain/pretrain.ts";
import { sizeFraction } from "../rl/env.ts";
import { evaluatePolicy, type Rule } from "../rl/evaluate.ts";
import { TopOfBookExecution } from "../rl/execution.ts";
import { policyForward, uploadPolicy } from "../rl/policy.ts";
import { A2C_DEFAULTS, PPO_DEFAULTS, trainRl } from "../rl/ppo.ts";
import { encodeTape } from "../rl/tape.ts";
import { TradingEnv, tradingObs } from "../rl/trading_env.ts";
import {
  exists,
  loadModel,
  loadPolicy,
  loadPretrainState,
  loadRlState,
  readDataset,
  runPaths,
  saveModel,
  savePolicy,
  savePretrainState,
  saveRlState,
  writeJson,
} from "./artifacts.ts";
import { ProgressBar } from "./progress_bar.ts";
import type { StepName } from "./records.ts";
import type { RunConfig } from "./run_config.ts";
import { type StepContext, type StepHandler, StepUnavailable } from "./runner.ts";

function setup(ctx: StepContext): { cfg: RunConfig; paths: ReturnType<typeof runPaths> } {
  const cfg = ctx.run.config as unknown as RunConfig;
  return { cfg, paths: runPaths(cfg.out_dir, ctx.run.run_id) };
}

function modelSpec(cfg: RunConfig, featureCount: number): ModelSpec {
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
function reporter(
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
      void ctx.report({ step, total, loss });
    }
    if (step === total) pb?.done();
  };
}

/** Newest `<out_dir>/<run>/pretrain.ckpt` other than this run's, if any. */
async function latestPretrain(outDir: string): Promise<string | undefined> {
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
async function encoderFor(
  cfg: RunConfig,
  paths: ReturnType<typeof runPaths>,
  specHash: string,
  spec: ModelSpec,
) {
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

function meta(
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

/** Builds the step handlers. `bar` draws terminal progress bars. */
export function pipelineHandlers(bar = true): Record<StepName, StepHandler> {
  return {
    dataset: async (ctx) => {
      const { cfg, paths } = setup(ctx);
      await Deno.mkdir(paths.dir, { recursive: true });
      let bad = 0;
      const src = await interimRecordingSource(cfg.recordings, {
        barMs: cfg.bar_ms,
        onBadLine: () => bad++,
      });
      const ds = await buildDataset(src, {
        windowLength: cfg.window,
        labels: { ...DEFAULT_LABELS, feeBps: cfg.fee_bps },
        trainFraction: 0.6,
        valFraction: 0.2,
      });
      await writeJson(paths.dataset, ds);
      const actions: [number, number, number] = [0, 0, 0];
      for (const i of ds.splits.train) actions[labelsOf(ds, i).action] += 1;
      return {
        rows: ds.times.length,
        bad_lines: bad,
        train: ds.splits.train.length,
        val: ds.splits.val.length,
        test: ds.splits.test.length,
        train_action_counts: { hold: actions[0], buy: actions[1], sell: actions[2] },
        feature_spec_hash: ds.specHash,
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
    rl: async (ctx) => {
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
      const envs = Array.from(
        { length: rl.numEnvs },
        (_, i) =>
          new TradingEnv(
            tape,
            new TopOfBookExecution({ feeBps: cfg.fee_bps, slippageBps: cfg.slippage_bps }),
            {
              episodeLength: cfg.episode_length,
              cash: 10_000,
              reward: { kind: cfg.reward, drawdownPenalty: cfg.drawdown_penalty, eta: 0.01 },
              seed: cfg.seed * 31 + i,
            },
          ),
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
        undefined,
        resume,
      );
      await savePolicy(
        paths.policy,
        meta(cfg, spec, ds, { phase: "rl", algo: cfg.algo, encoder: enc.source }),
        policy,
      );
      return {
        algo: cfg.algo,
        encoder: enc.source,
        resumed_from_update: resume?.update ?? 0,
        env_steps: planned,
        first_mean_return: returns[0] ?? null,
        last_mean_return: returns.at(-1) ?? null,
        policy: paths.policy,
      };
    },
    evaluate: async (ctx) => {
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
          tensor(tradingObs(tape, k, pos, 0), [1, tape.embSize + 2]),
        );
        const logp = await toHost(out.logp);
        const mean = (await toHost(out.mean))[0] as number;
        out.logStd.dispose();
        out.value.dispose();
        const choice = logp.indexOf(Math.max(...logp));
        return choice === 1
          ? { side: "buy", fraction: sizeFraction(mean) }
          : choice === 2
          ? { side: "sell", fraction: sizeFraction(mean) }
          : { side: "hold", fraction: 0 };
      };
      const imb = ds.names.indexOf("imbalance_l1");
      const signal = ds.splits.test.map((
        i,
      ) => (imb >= 0 ? ds.features[i * ds.names.length + imb] as number : 0));
      const report = await evaluatePolicy(tape, rule, signal, {
        feeBps: cfg.fee_bps,
        slippageBps: cfg.slippage_bps,
      }, {
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
    },
    export: () =>
      Promise.resolve(
        new StepUnavailable(
          "not available yet: ONNX export (fp32 + INT8) belongs to the export issue",
        ),
      ),
    publish: () =>
      Promise.resolve(
        new StepUnavailable(
          "not available yet: publishing to the edge registry belongs to the export issue",
        ),
      ),
  };
}
