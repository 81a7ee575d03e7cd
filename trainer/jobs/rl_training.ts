/**
 * RL pieces shared by the "rl" and "evaluate" steps: execution ports on the
 * shared trading engine, policy training on a range of decision points, and
 * the greedy rule of a trained policy.
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { newReadStats, readRecordings } from "../backtest/recording.ts";
import type { Dataset } from "../data/dataset.ts";
import { type ExperienceRecord, primaryStream, readExperience } from "../data/experience.ts";
import { compile, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import type { HostParams } from "../nn/transformer.ts";
import { EngineExecution, instrumentsOf, trainerEngineConfig } from "../rl/engine_execution.ts";
import { orderSize } from "../rl/env.ts";
import type { Rule } from "../rl/evaluate.ts";
import type { ExecutionPort } from "../rl/execution.ts";
import { type HostPolicy, initHeadPolicy, policyForward, uploadPolicy } from "../rl/policy.ts";
import { A2C_DEFAULTS, PPO_DEFAULTS, type RlHooks, type RlState, trainRl } from "../rl/ppo.ts";
import { experienceTransitions } from "../rl/experience_buffer.ts";
import type { RewardConfig } from "../rl/reward.ts";
import { SelfImitation, SIL_DEFAULTS } from "../rl/self_imitation.ts";
import { encodeTape } from "../rl/tape.ts";
import { type MarketTape, TradingEnv, tradingObs } from "../rl/trading_env.ts";
import type { RunConfig } from "./run_config.ts";

/**
 * Execution ports on the shared trading engine over the run's recordings, at
 * the given decision times; `withCosts` false sets fees to zero (gross runs).
 * Only the traded (primary: first seen) stream's events are kept, read as a
 * stream, so other venues and symbols of the recordings cost no memory here.
 */
export async function enginePorts(
  cfg: RunConfig,
  times: readonly number[],
): Promise<(withCosts: boolean) => ExecutionPort> {
  const stats = newReadStats();
  const events: MarketEvent[] = [];
  let traded: string | undefined;
  for await (const e of readRecordings(cfg.recordings, { venue: cfg.venue, stats })) {
    const key = `${e.venue} ${e.symbol}`;
    traded ??= key;
    if (key === traded) events.push(e);
  }
  const instruments = instrumentsOf(events, stats.instruments);
  return (withCosts) =>
    new EngineExecution(
      events,
      times,
      () =>
        trainerEngineConfig(instruments, withCosts ? cfg.fee_bps : 0, {
          makerBps: withCosts ? cfg.maker_fee_bps : 0,
          maxPositionFraction: cfg.max_position_fraction,
          minNotional: cfg.min_notional,
        }),
    );
}

/** What {@linkcode trainPolicyOn} returns. */
export interface TrainedPolicy {
  /** The policy. */
  readonly policy: HostPolicy;
  /** Environment steps planned. */
  readonly planned: number;
  /** Mean episode returns per update (finished episodes only). */
  readonly returns: number[];
  /** Experience replay, when the run names experience stores. */
  readonly experience?: ExperienceReport;
}

/** What became of the experience records in a training. */
export interface ExperienceReport {
  /** Stores read. */
  readonly stores: string[];
  /** Records of the traded stream with a settled outcome. */
  readonly read: number;
  /** Transitions replayed (records at this training's decision points). */
  readonly used: number;
  /** Records and rows left out, by reason. */
  readonly skipped: Record<string, number>;
  /** First invalid rows, named by file, run and sequence. */
  readonly problems: string[];
  /** Self-imitation minibatch steps taken. */
  replay_steps: number;
  /** Share of replayed transitions better than the critic expected (last minibatch). */
  last_positive_share: number | null;
  /** Median |recorded outcome − the tape's mid change over the horizon|, bps (placement check). */
  readonly outcome_check_bps: number | null;
  /** Latest decision time plus horizon among the replayed records, epoch ms. */
  readonly used_until: number | null;
}

/** The run's reward settings. */
function rewardConfig(cfg: RunConfig): RewardConfig {
  return { kind: cfg.reward, drawdownPenalty: cfg.drawdown_penalty, eta: 0.01 };
}

/**
 * Self-imitation over the run's experience stores on the tape of `indices`
 * (undefined when the run names none).
 */
function experienceReplay(
  cfg: RunConfig,
  ds: Dataset,
  indices: readonly number[],
  tape: Awaited<ReturnType<typeof encodeTape>>,
  gamma: number,
): { sil?: SelfImitation; report: ExperienceReport } | undefined {
  const stores = cfg.experience ?? [];
  if (stores.length === 0) return undefined;
  const stream = primaryStream(ds.names);
  const records: ExperienceRecord[] = [];
  const skipped: Record<string, number> = {};
  const problems: string[] = [];
  for (const path of stores) {
    const r = readExperience(path, stream);
    for (const rec of r.records) records.push(rec); // no spread: stores can be large
    for (const [k, n] of Object.entries(r.skipped)) skipped[k] = (skipped[k] ?? 0) + n;
    problems.push(...r.problems);
  }
  records.sort((a, b) => a.time - b.time);
  const mapped = experienceTransitions(
    records,
    indices.map((i) => ds.times[i] as number),
    indices.map((i) => ((ds.bid[i] as number) + (ds.ask[i] as number)) / 2),
    tape,
    { barMs: cfg.bar_ms, feeBps: cfg.fee_bps, gamma, reward: rewardConfig(cfg) },
  );
  for (const [k, n] of Object.entries(mapped.skipped)) skipped[k] = (skipped[k] ?? 0) + n;
  const t = mapped.transitions;
  const steps = cfg.experience_steps ?? SIL_DEFAULTS.stepsPerUpdate;
  const report: ExperienceReport = {
    stores,
    read: records.length,
    used: t.n,
    skipped,
    problems,
    replay_steps: 0,
    last_positive_share: null,
    outcome_check_bps: mapped.outcomeCheckBps,
    used_until: mapped.usedUntil,
  };
  if (t.n === 0 || steps === 0) return { report };
  const sil = new SelfImitation(t, 3, {
    ...SIL_DEFAULTS,
    stepsPerUpdate: steps,
    gamma,
    seed: cfg.seed,
  });
  return { sil, report };
}

/**
 * Trains a PPO/A2C policy (per the run's settings) on the consecutive decision
 * points `indices` of the dataset, over the frozen encoder `encoder`.
 */
export async function trainPolicyOn(
  cfg: RunConfig,
  ds: Dataset,
  spec: ModelSpec,
  encoder: HostParams,
  indices: readonly number[],
  hooks: Omit<RlHooks, "onUpdate"> & {
    onProgress?(step: number, total: number, ret: number): void;
    /** Execution on these decision points instead of the engine over the recordings (candles). */
    port?(indices: readonly number[]): (withCosts: boolean) => ExecutionPort;
  } = {},
  resume?: RlState,
): Promise<TrainedPolicy> {
  // the progress bar shows the encoding as its own pass (return NaN: no episodes yet)
  const tape = await encodeTape(
    spec,
    encoder,
    ds,
    indices,
    32,
    (done, total) => hooks.onProgress?.(done, total, Number.NaN),
  );
  const defaults = cfg.algo === "ppo" ? PPO_DEFAULTS : A2C_DEFAULTS;
  const rl = {
    ...defaults,
    totalSteps: cfg.episodes * cfg.episode_length,
    learningRate: cfg.learning_rate ?? defaults.learningRate,
    seed: cfg.seed,
  };
  const port = hooks.port
    ? hooks.port(indices)
    : await enginePorts(cfg, indices.map((i) => ds.times[i] as number));
  const envs = Array.from(
    { length: rl.numEnvs },
    (_, i) =>
      new TradingEnv(tape, port(true), {
        episodeLength: cfg.episode_length,
        reward: rewardConfig(cfg),
        seed: cfg.seed * 31 + i,
      }),
  );
  const replay = experienceReplay(cfg, ds, indices, tape, rl.gamma);
  const sil = replay?.sil;
  const perRollout = rl.numEnvs * rl.nSteps;
  const planned = Math.max(1, Math.floor(rl.totalSteps / perRollout)) * perRollout;
  const returns: number[] = [];
  const policy = await trainRl(
    envs,
    rl,
    {
      ...hooks,
      onUpdate: (s) => {
        if (Number.isFinite(s.mean_return)) returns.push(s.mean_return);
        hooks.onProgress?.(s.steps, planned, s.mean_return);
      },
      ...(sil === undefined ? {} : {
        replay: async (p, lr) => {
          const r = await sil.replay(p, lr);
          const rep = replay?.report as ExperienceReport;
          rep.replay_steps = r.stats.steps;
          rep.last_positive_share = r.stats.positiveShare;
          return r.params;
        },
      }),
    },
    cfg.policy === "heads" ? initHeadPolicy(encoder, spec.dModel) : undefined,
    resume,
  );
  sil?.dispose();
  return { policy, planned, returns, ...(replay ? { experience: replay.report } : {}) };
}

/** The greedy rule of a policy over a tape (decision index k of the tape). */
export function greedyRule(host: HostPolicy, tape: MarketTape): Rule {
  const policy = uploadPolicy(host);
  const fwd = compile((p: Params, o: Tensor) => policyForward(p, o));
  return async (k, pos) => {
    const out = fwd(keepTree(policy), tensor(tradingObs(tape, k, pos), [1, tape.embSize + 1]));
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
}
