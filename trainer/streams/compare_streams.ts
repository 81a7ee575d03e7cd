/**
 * Pooled vs per-stream training, on the same multi-stream data: a planted synthetic market of
 * four streams (binance_us and binance, BTC/USDT and ETH/USDT; trainer/synthetic) to train on,
 * a second market of the same process with another seed held out, then
 *
 * - **pooled**: one pipeline run (`--mode export --streams` all four) → one package serving all;
 * - **pooled with the stream as an input** (`--stream-input`: a one-hot of the stream after the
 *   features) → one package;
 * - **per stream**: one run per stream (`--streams` one) → four packages;
 *
 * each scored on every stream's held-out windows through the edge's inference path
 * (held_out.ts) and backtested on the held-out market trading all four streams in one account
 * (trainer/backtest: the packages routed by `serves`, fees of the run's `--fee-bps` per leg).
 *
 * @module
 */

import type { StreamRef } from "../../core/features/spec.ts";
import { streamInstrument } from "../../core/traded_streams.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { PackageDecider } from "../../infra/inference/package_decider.ts";
import { modelFigures, openBacktestModel } from "../backtest/backtest_model.ts";
import { readRecordings, surveyRecordings } from "../backtest/recording.ts";
import { defaultBaselines, runBacktest } from "../backtest/run.ts";
import { DEFAULT_LABELS } from "../data/labels.ts";
import { streamDatasets } from "../data/stream_datasets.ts";
import { DEFAULT_PROCESS } from "../synthetic/market_process.ts";
import { generateMarket } from "../synthetic/generate.ts";
import { parseTrainArgs, trainCommand } from "../train_command.ts";
import { type HeldOutMetrics, heldOutMetrics } from "./held_out.ts";

/** Options of {@linkcode compareStreams}. */
export interface CompareOptions {
  /** Hours of the training market. */
  readonly hours: number;
  /** Hours of the held-out market. */
  readonly testHours: number;
  /** Seed of the training market (the held-out one uses seed + 1000) and of training. */
  readonly seed: number;
  /** Work directory (markets, runs, packages). */
  readonly dir: string;
  /** `train` options (model size, epochs, bar_ms, fee_bps...). */
  readonly trainArgs: readonly string[];
}

/** One approach's results. */
export interface ApproachResult {
  /** "pooled" or "per_stream". */
  readonly approach: string;
  /** Package directories. */
  readonly packages: string[];
  /** Held-out metrics per stream ("venue:symbol"). */
  readonly held_out: Record<string, HeldOutMetrics>;
  /** Backtest on the held-out market: account net and gross return (fractions), fills. */
  readonly backtest: {
    net_return: number;
    gross_return: number;
    fills: number;
    streams: Record<string, { fills: number; pnl_net: number; pnl_gross: number }>;
    baselines: Record<string, { net_return: number; gross_return: number }>;
    latency_p50_ms: number;
    latency_p99_ms: number;
  };
}

/** The comparison. */
export interface CompareResult {
  /** Training and held-out markets. */
  readonly data: { train: string[]; test: string[]; hours: number; test_hours: number };
  /** Streams. */
  readonly streams: string[];
  /** Pooled, then per stream. */
  readonly approaches: ApproachResult[];
}

const key = (s: StreamRef) => `${s.venue}:${s.symbol}`;

async function trainPackage(
  o: CompareOptions,
  name: string,
  streams: StreamRef[],
  data: string,
  extra: readonly string[],
) {
  const publish = `${o.dir}/packages/${name}`;
  await Deno.remove(publish, { recursive: true }).catch(() => {});
  const code = await trainCommand([
    "--mode=export",
    `--kv=${o.dir}/kv.db`,
    `--out=${o.dir}/runs`,
    `--seed=${o.seed}`,
    ...o.trainArgs,
    `--streams=${streams.map(key).join(",")}`,
    `--publish-dir=${publish}`,
    ...extra,
    data,
  ]);
  if (code !== 0) {
    throw new Error(`Training ${name} failed (exit ${code}); see the run status above`);
  }
  const versions = [...Deno.readDirSync(`${publish}/incoming`)].map((e) => e.name);
  if (versions.length !== 1) throw new Error(`Expected one package in ${publish}/incoming`);
  return `${publish}/incoming/${versions[0]}`;
}

/** Runs the comparison (see the module documentation). */
export async function compareStreams(o: CompareOptions): Promise<CompareResult> {
  const run = parseTrainArgs([...o.trainArgs]).config;
  const market = async (sub: string, hours: number, seed: number) =>
    (await generateMarket({
      process: { ...DEFAULT_PROCESS, kind: "planted", seed },
      hours,
      dir: `${o.dir}/${sub}`,
      feeBps: run.fee_bps,
    })).files;
  const train = await market("train", o.hours, o.seed);
  const test = await market("test", o.testHours, o.seed + 1000);
  const streams: StreamRef[] = DEFAULT_PROCESS.venues.flatMap((venue) =>
    DEFAULT_PROCESS.symbols.map((s) => ({ venue, symbol: s.symbol }) as StreamRef)
  );
  const plans = [
    { approach: "pooled", groups: [streams], extra: [] as string[] },
    { approach: "pooled_id", groups: [streams], extra: ["--stream-input"] },
    { approach: "per_stream", groups: streams.map((s) => [s]), extra: [] as string[] },
  ];
  const heldOut = await streamDatasets(test, streams, { intervalMs: run.bar_ms }, {
    windowLength: run.window,
    labels: { ...DEFAULT_LABELS, feeBps: run.fee_bps },
    trainFraction: 0,
    valFraction: 0,
    embargo: 0,
  });
  const approaches: ApproachResult[] = [];
  for (const plan of plans) {
    const packages: string[] = [];
    for (const g of plan.groups) {
      const name = plan.approach !== "per_stream"
        ? plan.approach
        : key(g[0] as StreamRef).replace(/\W/g, "_");
      packages.push(await trainPackage(o, name, g, `${o.dir}/train`, plan.extra));
    }
    const held: Record<string, HeldOutMetrics> = {};
    for (const [n, part] of heldOut.entries()) {
      const dir = plan.approach === "per_stream" ? packages[n] : packages[0];
      const model = await PackageDecider.open(dir as string, { precision: "fp32" });
      try {
        held[key(part.stream)] = await heldOutMetrics(model, part.ds, key(part.stream));
      } finally {
        await model.release();
      }
    }
    approaches.push({
      approach: plan.approach,
      packages,
      held_out: held,
      backtest: await backtest(packages, streams, test, run.bar_ms, run.fee_bps),
    });
  }
  return {
    data: { train, test, hours: o.hours, test_hours: o.testHours },
    streams: streams.map(key),
    approaches,
  };
}

async function backtest(
  packages: string[],
  streams: StreamRef[],
  files: string[],
  intervalMs: number,
  feeBps: number,
): Promise<ApproachResult["backtest"]> {
  const instruments = streams.map((s) => streamInstrument(key(s)));
  const model = await openBacktestModel(
    packages,
    instruments,
    baselineStrategy("flat", { intervalMs }),
    intervalMs,
    "fp32",
  );
  const evidence = await surveyRecordings(files, { venue: "binance" });
  const fee = { makerPpm: Math.round(feeBps * 100), takerPpm: Math.round(feeBps * 100) };
  let result;
  try {
    result = await runBacktest(readRecordings(files, { venue: "binance", evidence }), {
      instruments,
      strategy: model.strategy,
      beforeEvent: model.beforeEvent,
      baselines: defaultBaselines("", { intervalMs }),
      configure: (cfg) => ({ ...cfg, fees: {}, defaultFees: fee }),
    });
  } finally {
    await model.release();
  }
  const fig = modelFigures(model);
  const lat = Object.values(fig.streams);
  const [tested, ...bases] = result.results;
  if (!tested) throw new Error("The backtest returned no result");
  return {
    net_return: tested.net.total_return,
    gross_return: tested.gross.total_return,
    fills: tested.streams.reduce((n, s) => n + s.fills, 0),
    streams: Object.fromEntries(
      tested.streams.map((s) => [
        `${s.venue}:${s.symbol}`,
        { fills: s.fills, pnl_net: s.pnl_net, pnl_gross: s.pnl_gross },
      ]),
    ),
    baselines: Object.fromEntries(
      bases.map((b) => [b.strategy, {
        net_return: b.net.total_return,
        gross_return: b.gross.total_return,
      }]),
    ),
    latency_p50_ms: Math.max(...lat.map((l) => l.latency_p50_ms)),
    latency_p99_ms: Math.max(...lat.map((l) => l.latency_p99_ms)),
  };
}
