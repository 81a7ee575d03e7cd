/**
 * Shared settings of the short controls in CI (controls_*_test.ts): a small
 * model, 2 hours of market per kind, and a strong planted signal (μ 1.0
 * instead of the default 0.2 bps/s per unit of pressure; null uses the same
 * parameters, so its return variance matches). At the default strength
 * 15-minute folds cannot tell planted from null: the policy's gross on null
 * folds (+0.10, +0.14, −0.00, +0.04 %) was as large as on planted
 * (−0.06, +0.20, +0.15, +0.12 %). The default strength is checked by the
 * full-length `deno task train:controls`.
 *
 * @module
 */

import { DEFAULT_RUN, type RunConfig } from "../jobs/run_config.ts";
import { type ControlResult, runControl } from "./controls.ts";

/** Run settings of the short controls. */
export const SHORT_RUN: RunConfig = {
  ...DEFAULT_RUN,
  bar_ms: 1000,
  window: 8,
  d_model: 16,
  heads: 2,
  layers: 1,
  ffn: 32,
  epochs: 2,
  batch_size: 32,
  episodes: 100,
  seed: 2,
};

/** Runs one short control in a temporary directory and prints its folds. */
export async function shortControl(kind: "planted" | "null"): Promise<ControlResult> {
  const dir = await Deno.makeTempDir();
  try {
    const r = await runControl({ kind, hours: 2, dir, run: SHORT_RUN, process: { muBps: 1 } });
    console.log(
      kind,
      JSON.stringify(r.folds.map((f) => ({
        net: +f.policy_net_pct.toFixed(4),
        gross: +f.policy_gross_pct.toFixed(4),
        best: f.best_baseline,
        best_net: +f.best_baseline_net_pct.toFixed(4),
        noise: +f.noise_pct.toFixed(4),
      }))),
    );
    return r;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Sum of the policy's gross returns over the folds, percent. */
export function grossSum(r: ControlResult): number {
  return r.folds.reduce((s, f) => s + f.policy_gross_pct, 0);
}
