/**
 * Supervised multi-task pretraining of the TradingTransformer: shuffled
 * mini-batches of the training split, weighted multi-task loss, Adam with
 * global-norm clipping, warm-up + cosine learning rate, validation after each
 * epoch and early stopping (patience) on the validation loss. State is
 * checkpointed after every epoch so a crashed run resumes where it stopped.
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import { seededRandom } from "../../core/random.ts";
import {
  type AdamConfig,
  adamFromHost,
  adamInit,
  type AdamState,
  adamStepSize,
  flatLayout,
  splitFlat,
} from "../nn/adam.ts";
import { freeTree, initBackend, keep, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { type PretrainTargets, type TaskWeights } from "../nn/losses.ts";
import { makeEvalStep, makeTrainStep } from "../nn/train_step.ts";
import {
  downloadParams,
  type HostParams,
  initParams,
  positionalTensor,
  uploadParams,
} from "../nn/transformer.ts";
import { type Dataset, type HostBatch, makeBatch } from "../data/dataset.ts";
import { learningRate, type ScheduleConfig } from "./schedule.ts";

/** Pretraining parameters. */
export interface PretrainConfig {
  /** Architecture (featureCount and windowLength must match the dataset). */
  readonly model: ModelSpec;
  /** Epochs (upper bound; early stopping may end sooner). */
  readonly epochs: number;
  /** Mini-batch size. */
  readonly batchSize: number;
  /** Learning-rate schedule. */
  readonly schedule: ScheduleConfig;
  /** Optimizer. */
  readonly adam: AdamConfig;
  /** Task weights. */
  readonly weights: TaskWeights;
  /** Epochs without validation improvement before stopping. */
  readonly patience: number;
  /** Seed of initialization and shuffling. */
  readonly seed: number;
  /**
   * Upper bound of steps per epoch (default: one pass over the training windows).
   * On days of data an epoch is then a fresh shuffled sample of that many batches,
   * and validation uses at most that many batches of evenly spaced windows.
   */
  readonly stepsPerEpoch?: number;
}

/** One epoch's record. */
export interface EpochRecord {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss. */
  train_loss: number;
  /** Validation loss (NaN without a validation split). */
  val_loss: number;
  /** Validation per-task losses: price, action, size, risk. */
  val_parts: number[];
}

/** Resumable training state (what an epoch checkpoint holds). */
export interface PretrainState {
  /** Epochs completed. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Current parameters. */
  params: HostParams;
  /** Adam first moments. */
  m: HostParams;
  /** Adam second moments. */
  v: HostParams;
  /** Best validation loss so far. */
  bestVal: number;
  /** Parameters at the best validation loss. */
  best: HostParams;
  /** Epochs since the best. */
  stale: number;
  /** History. */
  history: EpochRecord[];
}

/** Progress of a running pretraining. */
export interface PretrainProgress {
  /** Optimizer steps done. */
  step: number;
  /** Planned steps. */
  total: number;
  /** Last batch loss. */
  loss: number;
  /** Current epoch (1-based). */
  epoch: number;
}

/** Hooks of {@linkcode pretrain}. */
export interface PretrainHooks {
  /** After every step. */
  onStep?(p: PretrainProgress): void;
  /** After every epoch with the state to persist (awaited before continuing). */
  onEpoch?(s: PretrainState): Promise<void> | void;
}

function targets(b: HostBatch, n: number): PretrainTargets {
  return {
    price: tensor(b.price, [n, 3]),
    action: tensor(b.action, [n, 3]),
    size: tensor(b.size, [n, 1]),
    risk: tensor(b.risk, [n, 1]),
  };
}

/**
 * The validation windows of an epoch: all of them, or with `stepsPerEpoch`
 * set (days of data) at most that many batches' worth, evenly spaced over the
 * validation split (the same every epoch, so epochs stay comparable).
 */
export function validationSample(val: readonly number[], cfg: PretrainConfig): readonly number[] {
  if (cfg.stepsPerEpoch === undefined) return val;
  const cap = cfg.stepsPerEpoch * cfg.batchSize;
  if (val.length <= cap) return val;
  return Array.from({ length: cap }, (_, i) => val[Math.floor(i * val.length / cap)] as number);
}

/** Mean validation loss and parts of `params` (kept) over `indices`. */
export async function evaluate(
  cfg: PretrainConfig,
  ds: Dataset,
  params: Params,
  indices: readonly number[],
): Promise<{ loss: number; parts: number[] }> {
  if (indices.length === 0) return { loss: Number.NaN, parts: [] };
  const pe = positionalTensor(cfg.model);
  const evals = new Map<number, ReturnType<typeof makeEvalStep>>();
  let loss = 0;
  const parts = [0, 0, 0, 0];
  for (let i = 0; i < indices.length; i += cfg.batchSize) {
    const chunk = indices.slice(i, i + cfg.batchSize);
    const n = chunk.length;
    if (!evals.has(n)) evals.set(n, makeEvalStep(cfg.model, n, cfg.weights));
    const b = makeBatch(ds, chunk);
    const x = tensor(b.x, [n, cfg.model.windowLength, cfg.model.featureCount]);
    const r = (evals.get(n) as ReturnType<typeof makeEvalStep>)(
      // deno-lint-ignore no-explicit-any
      Object.fromEntries(Object.entries(params).map(([k, t]) => [k, keep(t)])) as any,
      x,
      keep(pe),
      targets(b, n),
    );
    loss += ((await toHost(r.loss))[0] as number) * n;
    (await toHost(r.parts)).forEach((v, j) => (parts[j] = (parts[j] as number) + v * n));
  }
  pe.dispose();
  return { loss: loss / indices.length, parts: parts.map((p) => p / indices.length) };
}

/**
 * Runs (or resumes, given `resume`) pretraining on `ds`. Returns the final
 * state; `state.best` holds the parameters with the lowest validation loss.
 */
export async function pretrain(
  cfg: PretrainConfig,
  ds: Dataset,
  hooks: PretrainHooks = {},
  resume?: PretrainState,
): Promise<PretrainState> {
  await initBackend();
  const train = ds.splits.train;
  const perEpoch = Math.min(
    Math.floor(train.length / cfg.batchSize),
    cfg.stepsPerEpoch ?? Infinity,
  );
  if (perEpoch === 0) {
    throw new RangeError(
      `Cannot pretrain: ${train.length} training windows < batch size ${cfg.batchSize}`,
    );
  }
  const total = perEpoch * cfg.epochs;
  const init = initParams(cfg.model, cfg.seed);
  const st: PretrainState = resume ?? {
    epoch: 0,
    step: 0,
    params: init,
    m: new Map(),
    v: new Map(),
    bestVal: Infinity,
    best: init,
    stale: 0,
    history: [],
  };
  let params = uploadParams(cfg.model, st.params);
  const layout = flatLayout(params);
  let adam: AdamState = st.m.size > 0 ? adamFromHost(layout, st.m, st.v) : adamInit(params);
  const pe = positionalTensor(cfg.model);
  const step = makeTrainStep(cfg.model, cfg.batchSize, cfg.weights, cfg.adam);
  const { windowLength: t, featureCount: f } = cfg.model;
  while (st.epoch < cfg.epochs && st.stale < cfg.patience) {
    const epoch = st.epoch + 1;
    const rand = seededRandom(cfg.seed * 7919 + epoch);
    const order = [...train];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    let sum = 0;
    for (let k = 0; k < perEpoch; k++) {
      const b = makeBatch(ds, order.slice(k * cfg.batchSize, (k + 1) * cfg.batchSize));
      st.step++;
      const lr = learningRate(cfg.schedule, st.step, total);
      const x = tensor(b.x, [cfg.batchSize, t, f]);
      const r = step(
        params,
        adam,
        x,
        keep(pe),
        targets(b, cfg.batchSize),
        adamStepSize(cfg.adam, lr, st.step),
      );
      params = r.params;
      adam = r.state;
      const loss = (await toHost(r.loss))[0] as number;
      r.parts.dispose();
      r.gradNorm.dispose();
      if (!Number.isFinite(loss)) {
        throw new RangeError(`Pretraining diverged at step ${st.step}: loss ${loss}`);
      }
      sum += loss;
      hooks.onStep?.({ step: st.step, total, loss, epoch });
    }
    const val = await evaluate(cfg, ds, params, validationSample(ds.splits.val, cfg));
    st.epoch = epoch;
    st.history.push({
      epoch,
      train_loss: sum / perEpoch,
      val_loss: val.loss,
      val_parts: val.parts,
    });
    const host = await downloadParams(cfg.model, keepAll(params));
    st.params = host;
    st.m = splitFlat(await toHost(keep(adam.m)), layout);
    st.v = splitFlat(await toHost(keep(adam.v)), layout);
    const score = Number.isNaN(val.loss) ? sum / perEpoch : val.loss;
    if (score < st.bestVal) {
      st.bestVal = score;
      st.best = host;
      st.stale = 0;
    } else st.stale++;
    await hooks.onEpoch?.(st);
  }
  freeTree(params);
  adam.m.dispose();
  adam.v.dispose();
  pe.dispose();
  return st;
}

function keepAll(p: Params): Params {
  const out: Params = {};
  for (const [k, t] of Object.entries(p)) out[k] = keep(t as Tensor);
  return out;
}
