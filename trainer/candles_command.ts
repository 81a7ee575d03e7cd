/**
 * `deno task train:candles FILE...`: real history for bootstrapping. Imports
 * one-minute candles (Binance kline CSV, header CSV, freqtrade JSON; see
 * trainer/data/candles.ts) into a dataset with the engine's feature spec (what
 * candles cannot support is missing), and runs the walk-forward with per-fold
 * pretraining and RL on it: the last half of the history in `--walk-forward`
 * folds (default 4), each trained on everything before it minus the embargo.
 * Candles have no order book, so fills are at the close ∓ half of
 * `--spread-bps` (default 1) plus fees (`--fee-bps`, default the venue's fees in config.yaml), on the top-of-book port.
 * Prints the per-fold table and the verdict; writes the dataset (`<out>/dataset.json` and
 * `.bin`) and `<out>/candles_walk_forward.json`. With `--checkpoint-out PATH` a model is then
 * pretrained on the whole history (the run's settings) and saved as a checkpoint, which
 * `deno task train --checkpoint PATH` can start RL from when the feature spec matches.
 *
 * @module
 */

import { parseFlags } from "../infra/cli/flags.ts";
import { UsageError } from "../infra/cli/usage_error.ts";
import { buildDataset } from "./data/dataset.ts";
import { candleFeatureSource } from "./data/candle_source.ts";
import { type Candle, readCandles } from "./data/candles.ts";
import { DEFAULT_LABELS, type LabelConfig } from "./data/labels.ts";
import { initBackend } from "./nn/backend.ts";
import { peakRss } from "./jobs/peak_rss.ts";
import { saveModel, writeDataset } from "./jobs/artifacts.ts";
import { meta, modelSpec } from "./jobs/step_support.ts";
import { foldDataset, walkForward } from "./jobs/walk_forward.ts";
import { DEFAULT_ADAM } from "./nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "./nn/losses.ts";
import { pretrain } from "./pretrain/pretrain.ts";
import { TopOfBookExecution } from "./rl/execution.ts";
import { trainConfigFrom, withVenueCosts } from "./train_command.ts";
import { TRAIN_OPTIONS, TRAIN_USAGE } from "./train_flags.ts";
import { positive } from "./synthetic/synth_command.ts";

/** Training defaults for candles (before `train` options). */
const CANDLE_DEFAULTS = [
  "--bar-ms",
  "60000",
  "--window",
  "32",
  "--d-model",
  "32",
  "--heads",
  "2",
  "--layers",
  "2",
  "--ffn",
  "64",
  "--epochs",
  "3",
  "--batch-size",
  "32",
  "--episodes",
  "500",
];

/**
 * Labels at one-minute bars: horizons of 5/15/30 minutes move tens of bps, so the
 * price targets, size scale and risk threshold are 20 bps instead of the L2 defaults
 * (2, 5 and 3 bps at sub-second bars), keeping the targets near unit scale.
 */
export const CANDLE_LABELS: LabelConfig = {
  ...DEFAULT_LABELS,
  priceScaleBps: 20,
  sizeScaleBps: 20,
  riskDrawdownBps: 20,
};

const CANDLES_USAGE =
  `usage: deno task train:candles FILE... [--symbol S] [--spread-bps X] [--walk-forward FOLDS]
  [--out DIR] [--checkpoint-out PATH] [train options]

FILE: Binance kline CSV, header CSV or freqtrade JSON of one-minute candles.
${TRAIN_USAGE.slice(TRAIN_USAGE.indexOf("\n\n") + 2)}`;

/** Runs the command; returns the exit code. */
export async function candlesCommand(args: string[]): Promise<number> {
  const { values, positionals: files } = parseFlags([...CANDLE_DEFAULTS, ...args], {
    usage: CANDLES_USAGE,
    allowPositionals: true,
    options: {
      ...TRAIN_OPTIONS,
      symbol: { type: "string" },
      "spread-bps": { type: "string" },
      "checkpoint-out": { type: "string" },
    },
  });
  if (files.length === 0) throw new UsageError(`no candle FILE given\n${CANDLES_USAGE}`);
  const { symbol, "spread-bps": spread, "checkpoint-out": checkpointOut, ...trainValues } = values;
  // --walk-forward (folds) and --out (directory) are this command's own
  const { "walk-forward": walkForwardFolds, out: outDir, ...runValues } = trainValues;
  const parsed = trainConfigFrom(runValues, []);
  const config = await withVenueCosts(parsed.config, runValues, symbol ?? "BTC/USDT");
  console.error(`costs: ${config.costs_source}`);
  const spreadBps = positive(spread, "spread-bps", 1);
  const folds = positive(walkForwardFolds, "walk-forward", 4);
  const out = outDir ?? "data/trainer/candles";
  const t0 = performance.now();
  const candles: Candle[] = [];
  for (const f of files) for (const c of await readCandles(f)) candles.push(c);
  candles.sort((a, b) => a.time - b.time);
  await initBackend();
  const src = candleFeatureSource(candles, {
    venue: config.venue,
    symbol: symbol ?? "BTC/USDT",
    spreadBps,
  });
  const ds = await buildDataset(src, {
    windowLength: config.window,
    labels: { ...CANDLE_LABELS, feeBps: config.fee_bps },
    trainFraction: 0.5,
    valFraction: 0,
  });
  const quotes = (idx: readonly number[]) =>
    idx.map((i) => ({ bid: ds.bid[i] as number, ask: ds.ask[i] as number }));
  const cost = (withCosts: boolean) => ({ feeBps: withCosts ? config.fee_bps : 0, slippageBps: 0 });
  const portOn = (idx: readonly number[]) => (withCosts: boolean) =>
    new TopOfBookExecution(quotes(idx), cost(withCosts));
  const spec = modelSpec(config, ds.names.length);
  let last = 0;
  const report = await walkForward(
    config,
    ds,
    spec,
    portOn(ds.splits.test),
    ds.splits.test.map(() => 0),
    folds,
    (fold, phase, step, total) => {
      const now = performance.now();
      if (now - last < 10_000 && step !== total) return;
      last = now;
      console.error(
        `fold ${fold + 1}/${folds} ${phase} ${step}/${total} (${((now - t0) / 1000).toFixed(0)} s)`,
      );
    },
    portOn,
  );
  const first = new Date(candles[0]?.time ?? 0).toISOString();
  const lastT = new Date(candles.at(-1)?.time ?? 0).toISOString();
  console.log(
    `${candles.length} candles ${first} .. ${lastT}; ${ds.names.length} features, ${src.present.length} present from candles; held-out ${ds.splits.test.length} minutes in ${folds} folds; fills at close ∓ ${
      spreadBps / 2
    } bps + ${config.fee_bps} bps fee per leg (the heuristic baseline has no book imbalance here and stays flat)`,
  );
  console.log("  fold  policy net  policy gross  buy&hold net  flat  policy trades/day");
  report.folds.forEach((f, i) => {
    const p = f.net.policy;
    const days = (f.to - f.from) * config.bar_ms / 86_400_000;
    console.log(
      `  ${i + 1}     ${p?.return_pct.toFixed(3)}%     ${
        f.gross.policy?.return_pct.toFixed(3)
      }%       ${f.net.buy_and_hold?.return_pct.toFixed(3)}%     0%    ${
        ((p?.trades ?? 0) / days).toFixed(1)
      }`,
    );
  });
  console.log(`  verdict: ${report.verdict}`);
  const rss = peakRss();
  console.log(
    `  wall ${
      ((performance.now() - t0) / 1000).toFixed(0)
    } s, peak RSS ${rss.mb} MB (${rss.source})`,
  );
  await Deno.mkdir(out, { recursive: true });
  await writeDataset(`${out}/dataset.json`, ds);
  if (checkpointOut !== undefined) {
    const all = ds.splits.train.concat(ds.splits.test);
    const cut = Math.floor(all.length * 0.9);
    const full = foldDataset(ds, all.slice(0, cut), all.slice(cut + config.window + 30), []);
    const st = await pretrain({
      model: spec,
      epochs: config.epochs,
      batchSize: config.batch_size,
      schedule: { lr: config.pretrain_lr, warmupFraction: 0.05, floor: 0.1 },
      adam: DEFAULT_ADAM,
      weights: DEFAULT_TASK_WEIGHTS,
      patience: config.patience,
      seed: config.seed,
      ...(config.steps_per_epoch === undefined ? {} : { stepsPerEpoch: config.steps_per_epoch }),
    }, full);
    const path = checkpointOut;
    await saveModel(
      path,
      meta(config, spec, full, { phase: "pretrain", source: "candles", best_val: st.bestVal }),
      st.best,
    );
    console.log(
      `  pretrained on the whole history: ${path} (best validation loss ${st.bestVal.toFixed(4)})`,
    );
  }
  await Deno.writeTextFile(
    `${out}/candles_walk_forward.json`,
    JSON.stringify({ files, candles: candles.length, present: src.present, report }, null, 2) +
      "\n",
  );
  return 0;
}
