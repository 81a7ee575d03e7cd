/**
 * Shared settings of the short controls in CI (controls_*_test.ts): a small
 * model, 2 hours of market per kind, a stronger planted signal than the
 * default (μ 0.4 instead of 0.2 bps/s per unit of pressure, same for null so
 * the return variance matches) because 15-minute folds are short.
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
    const r = await runControl({ kind, hours: 2, dir, run: SHORT_RUN, process: { muBps: 0.4 } });
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
