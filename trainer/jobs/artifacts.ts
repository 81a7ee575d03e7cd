/**
 * Run artifacts on disk (`<out_dir>/<run_id>/`): the dataset (JSON), the
 * resumable pretraining state, the best encoder checkpoint and the RL policy
 * (checkpoint format of trainer/nn/checkpoint.ts), the evaluation report.
 * Every write goes to a temp file first and is renamed into place.
 *
 * @module
 */

import { type ModelSpec, parameterShapes } from "../../core/model/model_spec.ts";
import type { Dataset } from "../data/dataset.ts";
import {
  type Checkpoint,
  type CheckpointMeta,
  encodeCheckpoint,
  readCheckpointFile,
  writeCheckpointFile,
} from "../nn/checkpoint.ts";
import type { HostParams } from "../nn/transformer.ts";
import type { EpochRecord, PretrainState } from "../pretrain/pretrain.ts";
import type { HostPolicy } from "../rl/policy.ts";
import type { RlState } from "../rl/ppo.ts";

/** Paths of a run's artifacts. */
export function runPaths(outDir: string, runId: string): Record<
  | "dir"
  | "dataset"
  | "pretrainState"
  | "pretrain"
  | "rlState"
  | "policy"
  | "evaluation"
  | "walkForward"
  | "attention",
  string
> {
  const dir = `${outDir}/${runId}`;
  return {
    dir,
    dataset: `${dir}/dataset.json`,
    pretrainState: `${dir}/pretrain_state.ckpt`,
    pretrain: `${dir}/pretrain.ckpt`,
    rlState: `${dir}/rl_state.ckpt`,
    policy: `${dir}/rl_policy.ckpt`,
    evaluation: `${dir}/evaluation.json`,
    walkForward: `${dir}/walk_forward.json`,
    attention: `${dir}/attention.json`,
  };
}

/** Writes JSON atomically. */
export async function writeJson(path: string, value: unknown): Promise<void> {
  await Deno.writeTextFile(`${path}.tmp`, JSON.stringify(value));
  await Deno.rename(`${path}.tmp`, path);
}

/**
 * Writes a dataset: the JSON file at `path` holds everything but the feature
 * matrix and missing mask, which go to `<path>.bin` (float32 values, then the
 * 0/1 mask bytes), so days of rows never pass through JSON text.
 */
export async function writeDataset(path: string, ds: Dataset): Promise<void> {
  const { features, missing, ...rest } = ds;
  const bin = new Uint8Array(features.byteLength + missing.byteLength);
  bin.set(new Uint8Array(features.buffer, features.byteOffset, features.byteLength), 0);
  bin.set(missing, features.byteLength);
  await Deno.writeFile(`${path}.bin.tmp`, bin);
  await Deno.rename(`${path}.bin.tmp`, `${path}.bin`);
  await writeJson(path, {
    ...rest,
    matrix: { file: `${path.slice(path.lastIndexOf("/") + 1)}.bin`, values: features.length },
  });
}

/** Reads a dataset written by {@linkcode writeDataset}. */
export async function readDataset(path: string): Promise<Dataset> {
  const meta = JSON.parse(await Deno.readTextFile(path)) as
    & Omit<Dataset, "features" | "missing">
    & {
      matrix?: { values: number };
    };
  const n = meta.matrix?.values;
  if (n === undefined) {
    throw new RangeError(
      `Cannot read dataset ${path}: no feature matrix (written by an older trainer? rerun the dataset step)`,
    );
  }
  const bin = await Deno.readFile(`${path}.bin`);
  if (bin.byteLength !== n * 5) {
    throw new RangeError(
      `Cannot read dataset ${path}.bin: ${bin.byteLength} bytes, expected ${n * 5}`,
    );
  }
  const features = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + n * 4));
  const missing = bin.slice(n * 4, n * 5);
  const { matrix: _m, ...rest } = meta;
  return { ...rest, features, missing } as Dataset;
}

/** True when the file exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

function paramTensors(
  spec: ModelSpec,
  p: HostParams,
  prefix = "",
): [string, { shape: number[]; data: Float32Array }][] {
  return parameterShapes(spec).map(({ name, shape }) => [
    prefix + name,
    { shape: [...shape], data: p.get(name) as Float32Array },
  ]);
}

function pick(c: Checkpoint, spec: ModelSpec, prefix = ""): HostParams {
  const out: HostParams = new Map();
  for (const { name } of parameterShapes(spec)) {
    const t = c.tensors.get(prefix + name);
    if (t === undefined) throw new RangeError(`Checkpoint lacks tensor ${prefix + name}`);
    out.set(name, t);
  }
  return out;
}

/** Saves a resumable pretraining state (params, Adam moments, best params, history). */
export async function savePretrainState(
  path: string,
  meta: Omit<CheckpointMeta, "progress">,
  s: PretrainState,
): Promise<void> {
  const spec = meta.model_spec;
  const tensors = new Map([
    ...paramTensors(spec, s.params),
    ...paramTensors(spec, s.m, "opt.m."),
    ...paramTensors(spec, s.v, "opt.v."),
    ...paramTensors(spec, s.best, "best."),
  ]);
  const progress = {
    phase: "pretrain",
    epoch: s.epoch,
    step: s.step,
    best_val: s.bestVal,
    stale: s.stale,
    history: s.history,
  };
  await writeCheckpointFile(path, encodeCheckpoint({ ...meta, progress }, tensors));
}

/** Loads a state written by {@linkcode savePretrainState}. */
export async function loadPretrainState(path: string): Promise<PretrainState> {
  const c = await readCheckpointFile(path);
  const spec = c.header.model_spec;
  const p = c.header.progress as {
    epoch: number;
    step: number;
    best_val: number | null;
    stale: number;
    history: EpochRecord[];
  };
  return {
    epoch: p.epoch,
    step: p.step,
    params: pick(c, spec),
    m: pick(c, spec, "opt.m."),
    v: pick(c, spec, "opt.v."),
    best: pick(c, spec, "best."),
    bestVal: p.best_val ?? Infinity, // JSON turns Infinity into null
    stale: p.stale,
    history: p.history,
  };
}

/** Saves model parameters as a checkpoint. */
export async function saveModel(path: string, meta: CheckpointMeta, p: HostParams): Promise<void> {
  await writeCheckpointFile(
    path,
    encodeCheckpoint(meta, new Map(paramTensors(meta.model_spec, p))),
  );
}

/** Loads model parameters and the header. */
export async function loadModel(
  path: string,
): Promise<{ header: Checkpoint["header"]; params: HostParams }> {
  const c = await readCheckpointFile(path);
  return { header: c.header, params: pick(c, c.header.model_spec) };
}

/** Saves an RL policy (tensors `policy.*`) with the encoder's header fields. */
export async function savePolicy(path: string, meta: CheckpointMeta, p: HostPolicy): Promise<void> {
  await writeCheckpointFile(path, encodeCheckpoint(meta, p));
}

/** Loads an RL policy. */
export async function loadPolicy(path: string): Promise<HostPolicy> {
  const c = await readCheckpointFile(path);
  const out: HostPolicy = new Map();
  for (const t of c.header.tensors) {
    out.set(t.name, { shape: t.shape, data: c.tensors.get(t.name) as Float32Array });
  }
  return out;
}

/** Saves a resumable RL state (policy, Adam moments, update counters). */
export async function saveRlState(
  path: string,
  meta: Omit<CheckpointMeta, "progress">,
  s: RlState,
): Promise<void> {
  const tensors = new Map([
    ...s.policy,
    ...[...s.m].map(([k, t]) => [`opt.m.${k}`, t] as const),
    ...[...s.v].map(([k, t]) => [`opt.v.${k}`, t] as const),
  ]);
  const progress = { phase: "rl", update: s.update, opt_step: s.optStep };
  await writeCheckpointFile(path, encodeCheckpoint({ ...meta, progress }, tensors));
}

/** Loads a state written by {@linkcode saveRlState}. */
export async function loadRlState(path: string): Promise<RlState> {
  const c = await readCheckpointFile(path);
  const p = c.header.progress as { update: number; opt_step: number };
  const policy: HostPolicy = new Map();
  const m: HostPolicy = new Map();
  const v: HostPolicy = new Map();
  for (const t of c.header.tensors) {
    const entry = { shape: t.shape, data: c.tensors.get(t.name) as Float32Array };
    if (t.name.startsWith("opt.m.")) m.set(t.name.slice(6), entry);
    else if (t.name.startsWith("opt.v.")) v.set(t.name.slice(6), entry);
    else policy.set(t.name, entry);
  }
  return { update: p.update, optStep: p.opt_step, policy, m, v };
}
