/**
 * `deno task train:bench`: training throughput of the trainer vs the PyTorch
 * anchor on the same shapes, in the same run. On a shared machine the load
 * changes between measurements, so the trainer and the anchor at each thread
 * count (default 1 and 2) take turns for `--rounds` rounds, and the report
 * gives per-round figures and the ratio of the medians per thread count.
 * Prints one JSON object.
 *
 * @module
 */

import { parseFlags } from "../infra/cli/flags.ts";
import { UsageError } from "../infra/cli/usage_error.ts";
import { probeBackend, trainStepFlops } from "./bench/matmul_probe.ts";
import { measureThroughput, runAnchor, type ThroughputOptions } from "./bench/throughput.ts";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor(s.length / 2)] as number;
}

/** Runs the bench with CLI arguments; returns the printed report. */
export async function benchCommand(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseFlags(args, {
    name: "bench",
    options: {
      batch: { type: "string", default: "32" },
      seq: { type: "string", default: "64" },
      features: { type: "string", default: "32" },
      ff: { type: "string", default: "512" },
      layers: { type: "string", default: "6" },
      steps: { type: "string", default: "5" },
      rounds: { type: "string", default: "3" },
      workers: { type: "string" },
      threads: { type: "string", default: "1,2" },
      python: { type: "string", default: "python3" },
      anchor: { type: "string", default: "../shared/anchors/torch_transformer_bench.py" },
      "no-anchor": { type: "boolean", default: false },
    },
  });
  if (values.workers !== undefined) {
    // jax-js sizes its wasm worker pool by navigator.hardwareConcurrency when the backend starts
    Object.defineProperty(navigator, "hardwareConcurrency", { value: Number(values.workers) });
  }
  const threads = values.threads.split(",").map(Number);
  if (threads.some((t) => !Number.isInteger(t) || t < 1)) {
    throw new UsageError(`Invalid --threads: ${values.threads}; expected e.g. 1,2`);
  }
  const o: ThroughputOptions = {
    batch: Number(values.batch),
    seq: Number(values.seq),
    features: Number(values.features),
    ff: Number(values.ff),
    layers: Number(values.layers),
    steps: Number(values.steps),
  };
  const ours: number[] = [];
  const theirs = new Map<number, number[]>(threads.map((t) => [t, []]));
  const report: Record<string, unknown> = { shapes: o };
  for (let r = 0; r < Number(values.rounds); r++) {
    const m = await measureThroughput(o);
    report.tickerml = m;
    ours.push(m.train_samples_per_s);
    if (values["no-anchor"]) continue;
    for (const t of threads) {
      const a = await runAnchor(o, values.anchor, t, values.python);
      if (a.result === undefined) {
        report.anchor_skipped = a.skipped;
        continue;
      }
      report[`anchor_${t}t`] = a.result;
      theirs.get(t)?.push(Number(a.result.train_samples_per_s));
    }
  }
  const flops = trainStepFlops(o);
  const gflops = (samplesPerS: number) => Math.round(flops / o.batch * samplesPerS / 1e8) / 10;
  report.train_step_gflop = Math.round(flops / 1e8) / 10;
  report.tickerml_gflops = gflops(median(ours));
  report.backend_probe = await probeBackend(o);
  report.tickerml_samples_per_s_by_round = ours;
  report.tickerml_median_samples_per_s = median(ours);
  for (const [t, xs] of theirs) {
    if (xs.length === 0) continue;
    report[`anchor_${t}t_samples_per_s_by_round`] = xs;
    report[`anchor_${t}t_median_samples_per_s`] = median(xs);
    report[`anchor_${t}t_gflops`] = gflops(median(xs));
    report[`ratio_vs_anchor_${t}t`] = Math.round(median(ours) / median(xs) * 100) / 100;
  }
  console.log(JSON.stringify(report, null, 2));
  return report;
}
