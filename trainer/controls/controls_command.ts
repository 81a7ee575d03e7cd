/**
 * `deno task train:controls`: the positive and negative controls at full
 * length. For each kind (planted, null) it writes the synthetic market,
 * runs the pipeline's walk-forward with per-fold retraining on it and prints
 * per fold the policy and best baseline returns, net and gross of fees, and
 * the policy's trades per day, then each control's verdict. The whole result
 * goes to `<out>/controls.json`. Training options are those of `train`
 * (`--d-model`, `--epochs`, `--episodes`, ...); the defaults here are a small
 * model so a 24-hour control finishes in reasonable time on 2 cores.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import { peakRss } from "../jobs/peak_rss.ts";
import { trainConfigFrom } from "../train_command.ts";
import { TRAIN_OPTIONS, TRAIN_USAGE } from "../train_flags.ts";
import { positive } from "../synthetic/synth_command.ts";
import { type ControlResult, runControl } from "./controls.ts";

/** Training defaults of the controls (before `train` options). */
export const CONTROL_DEFAULTS: string[] = [
  "--bar-ms",
  "1000",
  "--window",
  "16",
  "--d-model",
  "32",
  "--heads",
  "2",
  "--layers",
  "1",
  "--ffn",
  "64",
  "--epochs",
  "3",
  "--batch-size",
  "32",
  "--episodes",
  "1000",
];

const pct = (v: number) => `${v >= 0 ? "+" : ""}${v.toFixed(3)}%`;

/** Printable lines of a control. */
export function controlLines(r: ControlResult): string[] {
  const out = [
    `${r.kind}: ${r.data.hours} h, ${r.data.rows} rows, ${r.data.test} held-out decisions, ${r.data.features} features; oracle rule (sees the pressure) best ${r.oracle_best.mean_net_bps} bps net per round trip, ${r.oracle_best.trades_per_day} per day (${r.oracle_best.net_pct_per_day_at_25pct}%/day at 25 %)`,
    "  fold  policy net  policy gross  best baseline       its net   its gross  policy trades/day  noise",
  ];
  for (const f of r.folds) {
    out.push(
      `  ${f.fold}     ${pct(f.policy_net_pct).padStart(9)}  ${
        pct(f.policy_gross_pct).padStart(11)
      }  ${f.best_baseline.padEnd(14)} ${pct(f.best_baseline_net_pct).padStart(9)}  ${
        pct(f.best_baseline_gross_pct).padStart(9)
      }  ${f.policy_trades_per_day.toFixed(0).padStart(17)}  ${f.noise_pct.toFixed(3)}%`,
    );
  }
  out.push(`  ${r.verdict}`);
  return out;
}

const CONTROLS_USAGE =
  `usage: deno task train:controls [--hours 24] [--kinds planted,null] [--folds 4] [--dir DIR]
  [train options]
${TRAIN_USAGE.slice(TRAIN_USAGE.indexOf("\n\n") + 2)}`;

/** Runs the controls; returns 0 when every control passed, 1 otherwise. */
export async function controlsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags([...CONTROL_DEFAULTS, ...args], {
    usage: CONTROLS_USAGE,
    allowPositionals: true,
    options: {
      ...TRAIN_OPTIONS,
      hours: { type: "string" },
      kinds: { type: "string" },
      folds: { type: "string" },
      dir: { type: "string" },
    },
  });
  const { hours: hoursText, kinds: kindsText, folds: foldsText, dir: dirText, ...trainValues } =
    values;
  const hours = positive(hoursText, "hours", 24);
  const folds = positive(foldsText, "folds", 4);
  const kinds = (kindsText ?? "planted,null").split(",");
  for (const k of kinds) {
    if (k !== "planted" && k !== "null") {
      throw new UsageError(`Invalid --kinds: ${k}; expected planted and/or null`);
    }
  }
  const dir = dirText ?? "data/controls";
  // The synthetic markets set their own fee (the oracle's answer depends on it): --fee-bps.
  const { config } = trainConfigFrom(trainValues, positionals);
  console.error(`costs: synthetic market, ${config.fee_bps} bps per leg (--fee-bps)`);
  const results: ControlResult[] = [];
  for (const kind of kinds as ("planted" | "null")[]) {
    const t0 = performance.now();
    let lastPrint = 0;
    const r = await runControl({
      kind,
      hours,
      folds,
      dir: `${dir}/${kind}-${config.seed}`,
      run: config,
      onProgress: (fold, phase, step, total) => {
        const now = performance.now();
        if (now - lastPrint < 10_000 && step !== total) return;
        lastPrint = now;
        const el = (now - t0) / 1000;
        console.error(
          `${kind} fold ${fold + 1}/${folds} ${phase} ${step}/${total} (${
            el.toFixed(0)
          } s elapsed)`,
        );
      },
    });
    results.push(r);
    for (const l of controlLines(r)) console.log(l);
    const rss = peakRss();
    console.log(
      `  wall ${
        ((performance.now() - t0) / 1000).toFixed(0)
      } s, peak RSS so far ${rss.mb} MB (${rss.source})`,
    );
  }
  await Deno.writeTextFile(`${dir}/controls.json`, JSON.stringify(results, null, 2) + "\n");
  console.log(`written ${dir}/controls.json`);
  return results.every((r) => r.passed) ? 0 : 1;
}
