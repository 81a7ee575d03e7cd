/**
 * The deterministic backtester: replays recorded events in receive-time order
 * through the same {@linkcode TradingEngine} the paper trader runs, for the
 * strategy under test and the baselines side by side (one engine each, one pass).
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { defaultEngineConfig, type EngineConfig } from "../../core/trading/engine/engine_config.ts";
import { fingerprintFills } from "../../core/trading/orders/fingerprint.ts";
import {
  fixedLatency,
  type LatencyModel,
  sampledLatency,
} from "../../core/trading/exchange/latency.ts";
import { reportRun, type RunReport } from "../../core/trading/report/report.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { recordingSyncFor } from "../../core/market/stored_book_sync.ts";

/** Options of {@linkcode runBacktest}. */
export interface BacktestOptions {
  /** Instruments traded. */
  readonly instruments: readonly Instrument[];
  /** The strategy under test. */
  readonly strategy: Strategy;
  /** Baselines run beside it (default: flat, buy-and-hold, momentum, imbalance; the tested one is not repeated). */
  readonly baselines?: readonly Strategy[];
  /** Seed of sampled latency. Default 1. */
  readonly seed?: number;
  /** Median order latency, ms. Default 0. */
  readonly latencyMs?: number;
  /** Log-normal sigma of the latency (0 = fixed). Default 0. */
  readonly latencySigma?: number;
  /** Adjusts the engine configuration (fees, risk, sizing, ...). */
  readonly configure?: (cfg: EngineConfig) => EngineConfig;
  /**
   * Called with each event before the tested strategy's engine sees it (a model's feature
   * engine and inference: trainer/backtest/backtest_model.ts).
   */
  readonly beforeEvent?: (e: MarketEvent, engine: TradingEngine) => Promise<void>;
}

/** One strategy's results. */
export interface StrategyResult extends RunReport {
  /** SHA-256 of its fills. */
  fingerprint: string;
}

/** Result of a backtest (JSON-ready). */
export interface BacktestResult {
  /** Strategy under test. */
  strategy: string;
  /** SHA-256 of the tested strategy's fills. */
  fingerprint: string;
  /** Events replayed. */
  events: number;
  /** Book events (snapshots and deltas) replayed. */
  book_events: number;
  /** First receive time (ISO). */
  start: string | null;
  /** Last receive time (ISO). */
  end: string | null;
  /** Seed of the sampled latency. */
  seed: number;
  /** Median order latency, ms. */
  latency_ms: number;
  /** Log-normal sigma of the latency (0 = fixed). */
  latency_sigma: number;
  /** The tested strategy first, then the baselines. */
  results: StrategyResult[];
  /** Per traded symbol: book events seen, whether its book was ever in sync, and at the end. */
  books: Record<string, { book_events: number; synced: boolean; synced_at_end: boolean }>;
  /** Wall time of the replay, ms. */
  elapsed_ms: number;
}

/** The default baselines of a report, without the tested strategy's name. */
export function defaultBaselines(
  tested: string,
  options: { intervalMs?: number } = {},
): Strategy[] {
  return ["flat", "buy-and-hold", "momentum", "imbalance"].filter((n) => n !== tested).map((n) =>
    baselineStrategy(n, options)
  );
}

/**
 * Replays `events` (receive-time order) through one engine per strategy.
 *
 * @returns Metrics of every strategy (net and gross) and the fills fingerprint.
 */
export async function runBacktest(
  events: AsyncIterable<MarketEvent> | Iterable<MarketEvent>,
  options: BacktestOptions,
): Promise<BacktestResult> {
  const seed = options.seed ?? 1;
  const latencyMs = options.latencyMs ?? 0;
  const sigma = options.latencySigma ?? 0;
  const latency = (): LatencyModel =>
    sigma > 0 ? sampledLatency({ seed, medianMs: latencyMs, sigma }) : fixedLatency(latencyMs);
  const strategies = [
    options.strategy,
    ...(options.baselines ?? defaultBaselines(options.strategy.name)),
  ];
  const engines = strategies.map((s) => {
    // Binance recordings splice REST snapshots; archives of other venues hold synced events.
    const base = defaultEngineConfig(options.instruments, recordingSyncFor);
    const cfg = options.configure
      ? options.configure({
        ...base,
        latency: latency(),
        keepLedgerEntries: false,
        keepDecisions: false,
      })
      : { ...base, latency: latency(), keepLedgerEntries: false, keepDecisions: false };
    return new TradingEngine(cfg, s);
  });
  const t0 = performance.now();
  let n = 0;
  let book = 0;
  let first: number | undefined;
  let last: number | undefined;
  const books: BacktestResult["books"] = {};
  for (const inst of options.instruments) {
    books[inst.symbol] = { book_events: 0, synced: false, synced_at_end: false };
  }
  const watched = engines[0] as TradingEngine;
  for await (const e of events) {
    n++;
    first ??= e.receiveTime;
    last = e.receiveTime;
    if (options.beforeEvent) await options.beforeEvent(e, watched);
    for (let i = 0; i < engines.length; i++) (engines[i] as TradingEngine).onEvent(e);
    if (e.kind === "trade") continue;
    book++;
    const b = books[e.symbol];
    if (b === undefined) continue;
    b.book_events++;
    if (!b.synced) b.synced = watched.runner(e.venue, e.symbol)?.sync.synced ?? false;
  }
  for (const inst of options.instruments) {
    const b = books[inst.symbol];
    if (b) b.synced_at_end = watched.runner(inst.venue, inst.symbol)?.sync.synced ?? false;
  }
  if (last !== undefined) { for (const eng of engines) eng.finish(last); }
  const elapsed = performance.now() - t0;
  const results: StrategyResult[] = [];
  for (const eng of engines) {
    results.push({ ...reportRun(eng), fingerprint: await fingerprintFills(eng.fills) });
  }
  return {
    strategy: options.strategy.name,
    fingerprint: (results[0] as StrategyResult).fingerprint,
    events: n,
    book_events: book,
    start: first === undefined ? null : new Date(first).toISOString(),
    end: last === undefined ? null : new Date(last).toISOString(),
    seed,
    latency_ms: latencyMs,
    latency_sigma: sigma,
    results,
    books,
    elapsed_ms: elapsed,
  };
}
