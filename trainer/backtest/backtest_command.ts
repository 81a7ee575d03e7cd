/**
 * `deno task backtest --data FILE... --strategy NAME [--json] [--html PATH]`
 *
 * Replays recordings through the trading engine for the strategy and the
 * baselines, prints a table (or one JSON object with `--json`) and writes an
 * HTML report with the equity and drawdown chart.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { SnapshotAttributionError } from "../../core/market/binance_survey.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy, withLimitOrders } from "../../core/trading/strategy/baselines.ts";
import { parseQueueModel, type QueueModel } from "../../core/trading/exchange/queue_model.ts";
import { renderHtmlReport } from "./html_report.ts";
import { openReportStore, storeReport } from "./report_store.ts";
import {
  isEventsRecording,
  newReadStats,
  readRecordings,
  type RecordingEvidence,
  surveyRecordings,
} from "./recording.ts";
import { defaultBaselines, runBacktest } from "./run.ts";
import { printTable } from "./backtest_table.ts";
import { readConfigFile } from "../../infra/config/load_config.ts";
import { type BacktestModel, modelFigures, openBacktestModel } from "./backtest_model.ts";
import type { Config } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { streamInstrument, tradedInstruments } from "../../core/traded_streams.ts";
import {
  type EngineConfig,
  engineConfigFromConfig,
} from "../../core/trading/engine/engine_config.ts";
import { isVenueId } from "../../core/market/instrument.ts";
import { BACKTEST_USAGE as USAGE } from "./backtest_usage.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";

/**
 * The `backtest` command (`trainer/main.ts backtest`).
 *
 * @param args Its arguments.
 * @returns The exit code (0 ok, 1 a recording is not usable, 2 bad usage).
 */
export async function backtestCommand(args: string[]): Promise<number> {
  const parsed = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      data: { type: "string", multiple: true },
      strategy: { type: "string" },
      model: { type: "string", multiple: true },
      json: { type: "boolean", default: false },
      html: { type: "string" },
      venue: { type: "string" },
      stream: { type: "string", multiple: true },
      symbol: { type: "string", multiple: true },
      seed: { type: "string", default: "1" },
      "latency-ms": { type: "string", default: "0" },
      "latency-sigma": { type: "string", default: "0" },
      config: { type: "string" },
      "queue-model": { type: "string", default: "risk-averse" },
      orders: { type: "string", default: "market" },
      store: { type: "string" },
      name: { type: "string" },
    },
  });
  const { values, positionals } = parsed;
  const files = [...(values.data ?? []), ...positionals];
  const fail = (msg: string) => {
    console.error(`backtest: ${msg}\n\n${USAGE}`);
    return 2;
  };
  if (files.length === 0) return fail("no --data files");
  if (!values.strategy) return fail("no --strategy");
  const venue = values.venue ?? "binance";
  if (!isVenueId(venue)) return fail(`unsupported venue "${venue}"`);
  for (const s of values.symbol ?? []) {
    if (!/^[A-Z0-9]+\/[A-Z0-9]+$/.test(s)) {
      return fail(`--symbol must look like BASE/QUOTE: "${s}"`);
    }
  }
  // tickerml-events/1 recordings and --stream name their instruments; Binance-format
  // recordings take them from the data's evidence (below).
  const eventsFormat = await isEventsRecording(files[0] as string);
  let named: Instrument[] | undefined;
  try {
    if (values.stream !== undefined) named = values.stream.map(streamInstrument);
    else if (eventsFormat && values.symbol === undefined && values.venue === undefined) {
      named = tradedInstruments(await readConfigFile(values.config ?? "config.yaml"));
    } else if (eventsFormat) {
      named = (values.symbol ?? ["BTC/USDT"]).map((s) => {
        const inst = defaultInstrument(venue, s);
        if (!inst) throw new RangeError(`unknown symbol "${s}" on ${venue}`);
        return inst;
      });
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  const nums = {
    seed: Number(values.seed),
    latency: Number(values["latency-ms"]),
    sigma: Number(values["latency-sigma"]),
  };
  for (const [k, v] of Object.entries(nums)) {
    if (!Number.isFinite(v) || v < 0) return fail(`--${k} must be a number >= 0`);
  }
  let config: Config | undefined;
  if (values.config) {
    try {
      config = await readConfigFile(values.config);
    } catch (e) {
      if (e instanceof ConfigError) return fail(e.message);
      throw e;
    }
  }
  const intervalMs = config ? config.trading.decision_interval_s * 1000 : 1000;
  let strategy;
  try {
    strategy = baselineStrategy(values.strategy, { intervalMs });
    if (values.orders === "limit") strategy = withLimitOrders(strategy);
    else if (values.orders !== "market") {
      return fail(`--orders must be market or limit: got ${values.orders}`);
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  let queueModel: QueueModel;
  try {
    queueModel = parseQueueModel(values["queue-model"]);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (values.store !== undefined) {
    try {
      await (await openReportStore(values.store)).close(); // fail before a long replay, not after
    } catch (e) {
      return fail((e as Error).message);
    }
  }
  let evidence: RecordingEvidence;
  try {
    evidence = await surveyRecordings(files, { venue });
  } catch (e) {
    const only = values.symbol?.length === 1 ? values.symbol[0] : undefined;
    if (!(e instanceof SnapshotAttributionError)) throw e;
    if (only === undefined) return fail(e.message);
    try {
      evidence = await surveyRecordings(files, { venue, snapshotSymbol: only });
    } catch (e2) {
      return fail((e2 as Error).message);
    }
  }
  const bySymbol = new Map([...evidence.instruments.values()].map((i) => [i.symbol, i]));
  const streams = evidence.depthSymbols.map((s) => evidence.instruments.get(s)?.symbol ?? s);
  const traded = values.symbol ?? (streams.length === 1 ? streams : []);
  if (traded.length === 0 && named === undefined) {
    for (const p of evidence.problems) console.error(`backtest: ${p}`);
    console.error(
      streams.length === 0
        ? `backtest: no depth stream in ${files.join(", ")}: no book to trade on`
        : `backtest: ${files.join(", ")} hold depth streams for ${
          streams.join(", ")
        }; pass --symbol`,
    );
    return streams.length === 0 ? 1 : 2;
  }
  const instruments: Instrument[] = named ?? [];
  for (const s of named ? [] : traded) {
    const inst = bySymbol.get(s);
    if (!inst) {
      console.error(
        `backtest: no data for ${s} in ${files.join(", ")} (streams: ${
          streams.join(", ") || "none"
        })`,
      );
      return 1;
    }
    instruments.push(inst);
  }
  let model: BacktestModel | undefined;
  if (values.model !== undefined) {
    try {
      model = await openBacktestModel(values.model, instruments, strategy, intervalMs);
    } catch (e) {
      return fail(`--model ${values.model.join(", ")}: ${(e as Error).message}`);
    }
    for (const line of model.lines) console.error(`backtest: streams: ${line}`);
  }
  const stats = newReadStats();
  const events = readRecordings(files, { venue, stats, evidence });
  const result = await runBacktest(events, {
    instruments,
    strategy: model?.strategy ?? strategy,
    ...(model ? { beforeEvent: model.beforeEvent } : {}),
    seed: nums.seed,
    latencyMs: nums.latency,
    latencySigma: nums.sigma,
    baselines: defaultBaselines(model ? "" : strategy.name, { intervalMs }),
    configure: (cfg: EngineConfig) => ({
      ...(config ? engineConfigFromConfig(config, instruments, venueBookSync) : cfg),
      latency: cfg.latency,
      keepLedgerEntries: false,
      keepDecisions: false,
      queueModel,
    }),
  });
  const figures = model ? modelFigures(model) : undefined;
  await model?.release();
  const noBook = Object.entries(result.books).filter(([, b]) => !b.synced);
  const problems = [
    ...stats.problems,
    ...Object.entries(result.books).filter(([, b]) => b.synced && !b.synced_at_end).map(([s]) =>
      `the book of ${s} is out of sync at the end of ${files.join(", ")} (a gap without a ` +
      `new snapshot): returns cover only the time it was in sync`
    ),
    ...noBook.map(([s, b]) =>
      `no book for ${s} in ${files.join(", ")} (${b.book_events} book events, never in sync): ` +
      `refusing to report returns`
    ),
  ];
  for (const p of problems) console.error(`backtest: ${p}`);
  if (noBook.length > 0) {
    if (values.json) {
      console.log(JSON.stringify({
        usable: false,
        problems,
        strategy: result.strategy,
        events: result.events,
        books: result.books,
        data: files,
        read: stats,
      }));
    }
    return 1;
  }
  const htmlPath = values.html ?? `reports/backtest-${result.strategy}.html`;
  let report: string | null = null;
  if (htmlPath !== "none") {
    const dir = htmlPath.includes("/") ? htmlPath.slice(0, htmlPath.lastIndexOf("/")) : ".";
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(htmlPath, renderHtmlReport(result, `Backtest: ${result.strategy}`));
    report = htmlPath;
  }
  let storeError: string | undefined;
  let storedId: number | null = null;
  if (values.store !== undefined) {
    const first = (files[0] ?? "").split("/").at(-1) ?? "";
    try {
      storedId = await storeReport(
        values.store,
        values.name ?? `${result.strategy} ${first}`,
        result,
        Date.now(),
      );
    } catch (e) {
      storeError = (e as Error).message; // the results are still printed below
    }
  }
  const out = {
    usable: problems.length === 0,
    problems,
    ...result,
    ...(storedId === null ? {} : { stored_report_id: storedId }),
    ...(figures ? { model: figures } : {}),
    data: files,
    read: stats,
    events_per_s: result.elapsed_ms > 0
      ? Math.round(result.events / (result.elapsed_ms / 1000))
      : null,
    report,
  };
  if (values.json) {
    console.log(JSON.stringify(out, (_k, v) => typeof v === "bigint" ? v.toString() : v));
  } else {
    printTable(out);
    for (const [k, f] of Object.entries(figures?.streams ?? {})) {
      console.log(
        `model ${k}: ${f.predictions} predictions (buy ${f.actions.buy}, sell ${f.actions.sell}, ` +
          `hold ${f.actions.hold}), ${f.failures} failures, decision latency ` +
          `p50 ${f.latency_p50_ms.toFixed(2)} ms p99 ${f.latency_p99_ms.toFixed(2)} ms`,
      );
    }
  }
  if (storeError !== undefined) {
    console.error(`backtest: ${storeError}`);
    return 1;
  }
  return problems.length === 0 ? 0 : 1;
}
