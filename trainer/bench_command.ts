/**
 * `deno task train:bench`: training throughput of the trainer vs the PyTorch
 * anchor on the same shapes, in the same run. Prints one JSON object.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { measureThroughput, runAnchor, type ThroughputOptions } from "./bench/throughput.ts";

/** Runs the bench with CLI arguments; returns the printed report. */
export async function benchCommand(args: string[]): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args,
    options: {
      batch: { type: "string", default: "32" },
      seq: { type: "string", default: "64" },
      features: { type: "string", default: "32" },
      ff: { type: "string", default: "512" },
      layers: { type: "string", default: "6" },
      steps: { type: "string", default: "5" },
      anchor: { type: "string", default: "../shared/anchors/torch_transformer_bench.py" },
      "no-anchor": { type: "boolean", default: false },
    },
  });
  const o: ThroughputOptions = {
    batch: Number(values.batch),
    seq: Number(values.seq),
    features: Number(values.features),
    ff: Number(values.ff),
    layers: Number(values.layers),
    steps: Number(values.steps),
  };
  const ours = await measureThroughput(o);
  const report: Record<string, unknown> = { tickerml: ours };
  if (!values["no-anchor"]) {
    const anchor = await runAnchor(o, values.anchor);
    if (anchor.result !== undefined) {
      report.anchor = anchor.result;
      const theirs = Number(anchor.result.train_samples_per_s);
      report.speedup_vs_anchor = Math.round(ours.train_samples_per_s / theirs * 100) / 100;
    } else report.anchor_skipped = anchor.skipped;
  }
  console.log(JSON.stringify(report, null, 2));
  return report;
}
