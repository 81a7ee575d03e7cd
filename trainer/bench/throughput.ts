/**
 * Training-throughput measurement: full forward + backward + Adam steps of the
 * TradingTransformer on random data, in samples per second, with the same
 * shapes and loss terms as the PyTorch anchor (shared/anchors/torch_transformer_bench.py).
 *
 * @module
 */

import { parameterCount } from "../../core/model/model_spec.ts";
import { seededRandom } from "../../core/random.ts";
import { adamInit, adamStepSize, DEFAULT_ADAM } from "../nn/adam.ts";
import { initBackend, keep, tensor, toHost } from "../nn/backend.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { makeTrainStep } from "../nn/train_step.ts";
import { initParams, positionalTensor, uploadParams } from "../nn/transformer.ts";

/** Shapes of a throughput run. */
export interface ThroughputOptions {
  /** Batch size (default 32). */
  batch: number;
  /** Window length (default 64). */
  seq: number;
  /** Features (default 32). */
  features: number;
  /** Feed-forward width (default 512). */
  ff: number;
  /** Encoder layers (default 6). */
  layers: number;
  /** Timed steps after 2 warm-up steps (default 5). */
  steps: number;
}

/** Figures of a throughput run (snake_case JSON). */
export interface ThroughputResult {
  /** "tickerml jax-js <version> wasm". */
  trainer: string;
  /** Shapes. */
  batch: number;
  /** Window length. */
  seq: number;
  /** Feed-forward width. */
  ff: number;
  /** Layers. */
  layers: number;
  /** Parameter count. */
  params: number;
  /** Median ms per training step. */
  train_ms_per_step: number;
  /** batch / median step time. */
  train_samples_per_s: number;
  /** Web Workers the wasm backend may use (hardwareConcurrency). */
  workers: number;
}

/** Runs the throughput measurement. */
export async function measureThroughput(o: ThroughputOptions): Promise<ThroughputResult> {
  await initBackend();
  const spec = {
    featureCount: o.features,
    windowLength: o.seq,
    dModel: 128,
    heads: 4,
    layers: o.layers,
    ffnWidth: o.ff,
  };
  const rand = seededRandom(0);
  let params = uploadParams(spec, initParams(spec, 0));
  let state = adamInit(params);
  const pe = positionalTensor(spec);
  const x = Float32Array.from({ length: o.batch * o.seq * o.features }, () => rand() * 2 - 1);
  const onehot = new Float32Array(o.batch * 3);
  for (let i = 0; i < o.batch; i++) onehot[i * 3 + (i % 3)] = 1;
  const step = makeTrainStep(spec, o.batch, DEFAULT_TASK_WEIGHTS, DEFAULT_ADAM);
  const times: number[] = [];
  for (let i = 1; i <= o.steps + 2; i++) {
    const t0 = performance.now();
    const y = {
      price: tensor(Float32Array.from({ length: o.batch * 3 }, () => rand() - 0.5), [o.batch, 3]),
      action: tensor(onehot, [o.batch, 3]),
      size: tensor(new Float32Array(o.batch).fill(0.5), [o.batch, 1]),
      risk: tensor(new Float32Array(o.batch).fill(1), [o.batch, 1]),
    };
    const r = step(
      params,
      state,
      tensor(x, [o.batch, o.seq, o.features]),
      keep(pe),
      y,
      adamStepSize(DEFAULT_ADAM, 1e-3, i),
    );
    params = r.params;
    state = r.state;
    await toHost(r.loss);
    r.parts.dispose();
    r.gradNorm.dispose();
    if (i > 2) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const med = times[Math.floor(times.length / 2)] as number;
  return {
    trainer: "tickerml jax-js 0.1.25 wasm",
    batch: o.batch,
    seq: o.seq,
    ff: o.ff,
    layers: o.layers,
    params: parameterCount(spec),
    train_ms_per_step: Math.round(med * 10) / 10,
    train_samples_per_s: Math.round(o.batch / med * 1000 * 100) / 100,
    workers: navigator.hardwareConcurrency,
  };
}

/**
 * Runs the PyTorch anchor on the same shapes with `threads` intra-op threads,
 * through `python` (an interpreter where `import torch` works, e.g. the
 * pip `torch==2.13.0+cpu` build); returns its JSON line, or undefined with the reason.
 */
export async function runAnchor(
  o: ThroughputOptions,
  script: string,
  threads = 1,
  python = "python3",
): Promise<{ result?: Record<string, unknown>; skipped?: string }> {
  const args = [
    script,
    "--batch",
    `${o.batch}`,
    "--seq",
    `${o.seq}`,
    "--features",
    `${o.features}`,
    "--ff",
    `${o.ff}`,
    "--layers",
    `${o.layers}`,
    "--steps",
    `${o.steps}`,
    "--threads",
    `${threads}`,
  ];
  try {
    const out = await new Deno.Command(python, {
      args,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      return {
        skipped: new TextDecoder().decode(out.stderr).trim().split("\n").at(-1) ?? "failed",
      };
    }
    return {
      result: JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) ?? "{}"),
    };
  } catch (e) {
    return { skipped: String(e) };
  }
}
