/**
 * Positive and negative controls of the whole pipeline: a synthetic market
 * with a known answer (trainer/synthetic) goes through the trainer's own
 * stages — recordings read by the trainer's reader, features from the shared
 * engine, the windowed dataset with labels and embargo, then a walk-forward
 * in which every fold retrains pretraining and the PPO/A2C policy on the data
 * before it and trades the fold through the shared trading engine against
 * buy-and-hold, flat and the imbalance heuristic, net and gross of fees.
 *
 * Pass criteria: on `planted` the policy beats the best baseline net of fees
 * on at least 3 of 4 folds; on `null` no fold beats flat net of fees by more
 * than noise (two standard deviations of a fully invested position's return
 * over the fold, from the fold's realized volatility).
 *
 * @module
 */

import { buildDataset, type Dataset } from "../data/dataset.ts";
import { engineFeatureSource } from "../data/engine_feature_source.ts";
import { DEFAULT_LABELS } from "../data/labels.ts";
import { initBackend } from "../nn/backend.ts";
import { enginePorts } from "../jobs/rl_training.ts";
import type { RunConfig } from "../jobs/run_config.ts";
import { modelSpec } from "../jobs/step_support.ts";
import { walkForward, type WalkForwardReport } from "../jobs/walk_forward.ts";
import type { BacktestResult } from "../rl/evaluate.ts";
import { generateMarket, type GenerateReport } from "../synthetic/generate.ts";
import { DEFAULT_PROCESS, type ProcessParams } from "../synthetic/market_process.ts";

/** One fold of a control, flattened for printing. */
export interface ControlFold {
  /** Fold number (1-based). */
  readonly fold: number;
  /** Policy net and gross return, percent. */
  readonly policy_net_pct: number;
  /** Policy gross return, percent. */
  readonly policy_gross_pct: number;
  /** Best baseline by net return: name and net/gross return. */
  readonly best_baseline: string;
  /** Best baseline's net return, percent. */
  readonly best_baseline_net_pct: number;
  /** Best baseline's gross return, percent. */
  readonly best_baseline_gross_pct: number;
  /** Net returns of every baseline, percent. */
  readonly baselines_net_pct: Record<string, number>;
  /** Policy fills per day. */
  readonly policy_trades_per_day: number;
  /** Noise band of the fold, percent (2 sd of a fully invested 25 % position). */
  readonly noise_pct: number;
  /** Policy beat the best baseline net of fees. */
  readonly beats_best_baseline: boolean;
  /** Policy beat flat net of fees by more than the noise band. */
  readonly beats_flat_beyond_noise: boolean;
}

/** A control's result. */
export interface ControlResult {
  /** Kind of market. */
  readonly kind: "planted" | "null";
  /** Per fold. */
  readonly folds: ControlFold[];
  /** Folds where the policy beat the best baseline net. */
  readonly folds_beating_best_baseline: number;
  /** Folds where the policy beat flat beyond noise. */
  readonly folds_beating_flat_beyond_noise: number;
  /** Whether the control passed its criterion. */
  readonly passed: boolean;
  /** Plain statement. */
  readonly verdict: string;
  /** Oracle edge of the generated market (best threshold). */
  readonly oracle_best: GenerateReport["oracle"]["best"];
  /** Rows, test decisions, features. */
  readonly data: { rows: number; test: number; features: number; hours: number };
  /** The full walk-forward report. */
  readonly report: WalkForwardReport;
}

/** Options of a control. */
export interface ControlOptions {
  /** Kind. */
  readonly kind: "planted" | "null";
  /** Market hours. */
  readonly hours: number;
  /** Where the market is written. */
  readonly dir: string;
  /** Run settings (model size, epochs, RL...); recordings are set here. */
  readonly run: RunConfig;
  /** Walk-forward folds (default 4). */
  readonly folds?: number;
  /** Fraction of the decisions held out for the walk-forward (default 0.5). */
  readonly heldOut?: number;
  /** Process overrides. */
  readonly process?: Partial<ProcessParams>;
  /** Training progress. */
  readonly onProgress?: (
    fold: number,
    phase: "pretrain" | "rl",
    step: number,
    total: number,
    loss: number,
  ) => void;
}

/** Generates the market and runs the walk-forward on it. */
export async function runControl(o: ControlOptions): Promise<ControlResult> {
  await initBackend();
  const gen = await generateMarket({
    process: { ...DEFAULT_PROCESS, ...o.process, kind: o.kind, seed: o.run.seed },
    hours: o.hours,
    dir: o.dir,
    feeBps: o.run.fee_bps,
  });
  const cfg: RunConfig = { ...o.run, recordings: gen.files };
  const src = await engineFeatureSource(cfg.recordings, { intervalMs: cfg.bar_ms });
  const held = o.heldOut ?? 0.5;
  const ds = await buildDataset(src, {
    windowLength: cfg.window,
    labels: { ...DEFAULT_LABELS, feeBps: cfg.fee_bps },
    trainFraction: 1 - held,
    valFraction: 0,
  });
  const test = ds.splits.test;
  const spec = modelSpec(cfg, ds.names.length);
  const port = await enginePorts(cfg, test.map((i) => ds.times[i] as number));
  const imb = ds.names.findIndex((n) => n.endsWith(".book.imbalance_l1"));
  const signal = test.map((i) => (imb >= 0 ? ds.features[i * ds.names.length + imb] as number : 0));
  const folds = o.folds ?? 4;
  const report = await walkForward(cfg, ds, spec, port, signal, folds, o.onProgress);
  return summarize(o.kind, ds, report, gen, cfg.bar_ms, o.hours);
}

/** Realized sd of the traded mid's log return per decision over rows [a, b). */
function barSd(ds: Dataset, a: number, b: number): number {
  let s = 0, s2 = 0, n = 0;
  for (let i = a + 1; i < b; i++) {
    const m0 = ((ds.bid[i - 1] as number) + (ds.ask[i - 1] as number)) / 2;
    const m1 = ((ds.bid[i] as number) + (ds.ask[i] as number)) / 2;
    const r = Math.log(m1 / m0);
    s += r;
    s2 += r * r;
    n++;
  }
  return n > 1 ? Math.sqrt(Math.max(0, (s2 - s * s / n) / (n - 1))) : 0;
}

function summarize(
  kind: "planted" | "null",
  ds: Dataset,
  report: WalkForwardReport,
  gen: GenerateReport,
  barMs: number,
  hours: number,
): ControlResult {
  const test = ds.splits.test;
  const folds = report.folds.map((f, n): ControlFold => {
    const net = f.net as Record<string, BacktestResult>;
    const gross = f.gross as Record<string, BacktestResult>;
    const names = Object.keys(net).filter((k) => k !== "policy");
    const best = names.reduce((a, b) =>
      (net[b] as BacktestResult).return_pct > (net[a] as BacktestResult).return_pct ? b : a
    );
    const p = net.policy as BacktestResult;
    const a = test[f.from] as number;
    const b = test[f.to - 1] as number;
    const noise = 2 * 0.25 * barSd(ds, a, b) * Math.sqrt(f.to - f.from) * 100;
    const days = (f.to - f.from) * barMs / 86_400_000;
    return {
      fold: n + 1,
      policy_net_pct: p.return_pct,
      policy_gross_pct: (gross.policy as BacktestResult).return_pct,
      best_baseline: best,
      best_baseline_net_pct: (net[best] as BacktestResult).return_pct,
      best_baseline_gross_pct: (gross[best] as BacktestResult).return_pct,
      baselines_net_pct: Object.fromEntries(
        names.map((k) => [k, (net[k] as BacktestResult).return_pct]),
      ),
      policy_trades_per_day: p.trades / days,
      noise_pct: noise,
      beats_best_baseline: p.return_pct > (net[best] as BacktestResult).return_pct,
      beats_flat_beyond_noise: p.return_pct > (net.flat as BacktestResult).return_pct + noise,
    };
  });
  const beatBest = folds.filter((f) => f.beats_best_baseline).length;
  const beatFlat = folds.filter((f) => f.beats_flat_beyond_noise).length;
  const need = Math.ceil(folds.length * 3 / 4);
  const netProfit = folds.filter((f) => f.policy_net_pct > 0).length;
  const passed = kind === "planted" ? beatBest >= need : beatFlat === 0;
  const verdict = kind === "planted"
    ? `planted: the policy beat the best baseline net of fees on ${beatBest} of ${folds.length} folds (need ${need}): ${
      passed
        ? "PASS, the pipeline learns the planted signal"
        : `FAIL; it made a net profit on ${netProfit} of ${folds.length} folds, ${
          netProfit >= need
            ? "so it found the signal but its edge did not beat the best baseline"
            : "so it did not learn what is there"
        }`
    }`
    : `null: ${beatFlat} of ${folds.length} folds beat flat net of fees by more than noise: ${
      passed
        ? "PASS, the pipeline invents no edge (no fold beats flat beyond noise)"
        : "FAIL, it found an edge where there is none"
    }`;
  return {
    kind,
    folds,
    folds_beating_best_baseline: beatBest,
    folds_beating_flat_beyond_noise: beatFlat,
    passed,
    verdict,
    oracle_best: gen.oracle.best,
    data: { rows: ds.times.length, test: test.length, features: ds.names.length, hours },
    report,
  };
}
