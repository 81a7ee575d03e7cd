/**
 * The paper trader's run loop over an in-process feed (recordings replayed through
 * the edge's Binance parser at full speed), with crash-safe persistence: after each
 * event that changed state, every change and the replay cursor are committed in one
 * transaction before the next event is read. A restart catches up by re-running the
 * consumed events through the deterministic engine without writing, checks that the
 * rebuilt state equals the stored one, and continues. Operator commands from the
 * dashboard (`control_commands`) are polled between events and applied in the same
 * transaction as their effect; the replay re-applies them at the same event cursor.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { Alert } from "../../core/trading/risk/alerts.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import type { EngineConfig } from "../../core/trading/engine/engine_config.ts";
import { captureState } from "../../core/trading/engine/engine_state.ts";
import { fingerprintFills } from "../../core/trading/orders/fingerprint.ts";
import { reportRun, type RunReport } from "../../core/trading/report/report.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { isEventRecording, readEventRecordings } from "../recording/event_recording.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { ChangeCollector } from "./change_collector.ts";
import { ControlHandler, type ReloadModelHook } from "./control_handler.ts";
import type { HandledControl } from "../../infra/store/trading/control_rows.ts";
import { stateDigest } from "./state_digest.ts";
import type { TradingStore } from "../../infra/store/trading/trading_store.ts";
import { FullDiskRetry } from "./full_disk_retry.ts";

/** Options of {@linkcode runPaperTrader}. */
export interface PaperTraderOptions {
  /**
   * Recording files replayed as the feed (ignored when `feed` is given; still named in the
   * store): Binance frame recordings, or `tickerml-events/1` recordings of any venues.
   */
  readonly files: readonly string[];
  /**
   * A live feed of normalized events in receive order (venue connectors, the simulator).
   * With it, the engine's clock also ticks every `tickMs` of `clock` time between events.
   */
  readonly feed?: AsyncIterable<MarketEvent>;
  /** Wall clock for ticks with a live feed (epoch ms). Default `Date.now`. */
  readonly clock?: () => number;
  /** Tick interval with a live feed, ms. Default 1,000. */
  readonly tickMs?: number;
  /** Engine settings. */
  readonly config: EngineConfig;
  /** The strategy. */
  readonly strategy: Strategy;
  /** Store for crash-safe persistence; without it the run is in memory only. */
  readonly store?: TradingStore;
  /** Log line when a commit finds the disk full (trading waits) and when it is writable again. */
  readonly onStoreFull?: (line: string) => void;
  /** Run id in the store. Default "paper". */
  readonly runId?: string;
  /** Venue tag of the recordings. Default "binance". */
  readonly venue?: "binance" | "binance_us";
  /** Called for each alert after its commit (log, webhook). */
  readonly onAlert?: (alert: Alert) => void | Promise<void>;
  /** Finished run whose account (ledger, risk, counters) this run continues. */
  readonly continueFrom?: string;
  /** Called after each commit (fault injection in crash tests). */
  readonly afterCommit?: () => void;
  /**
   * Least wall time between two polls of the store's pending `control_commands`, ms
   * (0: after every event). Default 250. Controls need a store.
   */
  readonly controlPollMs?: number;
  /** Model host for the `reload_model` control; returns the detail stored with the command. */
  readonly onReloadModel?: ReloadModelHook;
  /** Called with each control command handled (after its commit), for the log. */
  readonly onControl?: (handled: HandledControl) => void;
  /**
   * Called with each event before the engine sees it, and awaited (the model strategy feeds
   * its feature engine and finishes its inference here, which keeps replays deterministic).
   */
  readonly beforeEvent?: (e: MarketEvent, engine: TradingEngine) => void | Promise<void>;
}

/** Summary of a paper-trading run (JSON-ready). */
export interface TraderSummary {
  /** Run id in the store. */
  run_id: string;
  /** Strategy name. */
  strategy: string;
  /** Events consumed before this process started (restart cursor). */
  resumed_from: number;
  /** Events in the feed. */
  events: number;
  /** Why a replayed recording is not trustworthy (file, symbol, reason); empty when it is. */
  problems: string[];
  /** Per replayed symbol: deltas applied and whether its book ended in sync. */
  books: Record<string, { applied: number; synced: boolean }>;
  /** Fills of the whole run. */
  fills: number;
  /** SHA-256 of the fills. */
  fingerprint: string;
  /** Canonical digest of the ledger (balances, positions, trips, counters): equal runs, equal digest. */
  ledger_digest: string;
  /** Balances by venue:asset (10^-18 units). */
  balances: Record<string, string>;
  /** Metrics and counts of the run. */
  report: RunReport;
}

/** Thrown when the state rebuilt on restart differs from the stored state. */
export class RestoreMismatchError extends Error {
  /**
   * Creates an instance.
   *
   * @param message What differs.
   * @param options Optional cause.
   */
  constructor(message: string, options?: ErrorOptions) {
    super(`Cannot resume the paper trader: ${message}`, options);
    this.name = "RestoreMismatchError";
  }
}

/**
 * Runs the paper trader over the recordings; resumes a stored run with the same id.
 *
 * @throws {RestoreMismatchError} When the stored state cannot be reproduced.
 */
export async function runPaperTrader(options: PaperTraderOptions): Promise<TraderSummary> {
  const runId = options.runId ?? "paper";
  const store = options.store;
  const engine = new TradingEngine(options.config, options.strategy);
  const persisted = store?.load(runId);
  if (persisted && persisted.strategy !== options.strategy.name) {
    throw new RestoreMismatchError(
      `run "${runId}" used strategy ${persisted.strategy}, not ${options.strategy.name} (use another --run-id for a new run)`,
    );
  }
  const base = options.continueFrom === undefined ? undefined : store?.load(options.continueFrom);
  if (options.continueFrom !== undefined && !base?.finished) {
    throw new RestoreMismatchError(
      `there is no finished run "${options.continueFrom}" in the store to continue from`,
    );
  }
  // A replay resumes by re-running the consumed events; a live feed cannot be re-run, so a
  // stored live run is restored from its state (open orders cancelled, gap recorded).
  const live = options.feed !== undefined;
  const cursor = live ? 0 : persisted?.cursor ?? 0;
  const restoreFrom = live && persisted ? persisted : base;
  const collector = new ChangeCollector();
  store?.beginRun(runId, {
    strategy: options.strategy.name,
    sources: options.files,
    risk: engine.risk.snapshot(),
  });
  let n = 0;
  const offset = live ? persisted?.cursor ?? 0 : 0; // a live run's cursor counts every event seen
  let last: number | undefined;
  const verify = async () => {
    if (!persisted) return;
    const want = await stateDigest(persisted.state, persisted.fills);
    const got = await stateDigest(captureState(engine), engine.fills);
    if (want !== got) {
      throw new RestoreMismatchError(
        `state rebuilt from ${cursor} events differs from the store (${got} != ${want}); was the run started with other files or settings? Use another --run-id for a new run`,
      );
    }
  };
  if (cursor === 0) engine.setSink(collector);
  const controls = store && new ControlHandler({
    store,
    runId,
    engine,
    collector,
    intervalMs: options.controlPollMs ?? 250,
    now: Date.now,
    // A replay re-applies the commands at their cursors; a live restart restores their effect.
    replay: live ? [] : store.controls(runId).filter((c) => c.cursor <= cursor),
    onReloadModel: options.onReloadModel,
    afterCommit: options.afterCommit,
    onControl: options.onControl,
  });
  let failure: unknown; // a failed poll from the live timer, rethrown by the loop
  // Changes a commit could not write because the disk is full: the trader waits (reads no
  // further event, the live timer skips) and retries until they are written, so the engine's
  // stored state and cursor never run ahead of or behind what it did.
  let held: ReturnType<ChangeCollector["take"]> | undefined;
  const retry = new FullDiskRetry(options.onStoreFull);
  const writeHeld = () => {
    store!.commit(runId, held!, offset + n, engine);
    held = undefined;
  };
  const commitHeld = () => retry.until(writeHeld);
  const onEvent = async (e: MarketEvent) => {
    if (failure !== undefined) throw failure;
    if (held) await commitHeld(); // what the live timer could not write, before the next event
    n++;
    last = e.receiveTime;
    // A continued account starts from the finished run's ledger, risk state and counters;
    // its open orders are cancelled (policy) and the gap is recorded. (A live run is restored
    // before its feed starts, below.)
    if (n === 1 && restoreFrom && !live) {
      engine.restore(restoreFrom.state, { now: e.receiveTime });
    }
    await options.beforeEvent?.(e, engine);
    engine.onEvent(e);
    if (n <= cursor) {
      const differs = controls?.replayAt(n);
      if (differs !== undefined) throw new RestoreMismatchError(differs);
    }
    if (n < cursor) return;
    if (n === cursor) {
      await verify();
      engine.setSink(collector);
      return;
    }
    if (collector.dirty) {
      const changes = collector.take(); // without a store the changes are dropped here
      if (store) {
        held = changes;
        await commitHeld();
        options.afterCommit?.();
      }
    }
    for (const a of collector.alerts.splice(0)) await options.onAlert?.(a);
    await controls?.poll(() => offset + n);
  };
  let problems: string[] = [];
  let books: TraderSummary["books"] = {};
  if (options.feed) {
    // Between events the engine still needs time to pass (staleness, latency, minute samples).
    const clock = options.clock ?? Date.now;
    // A continued live run is restored now, before the clock ticks or a control is applied: a
    // commit before the restore would write a fresh engine over the stored run.
    if (restoreFrom) engine.restore(restoreFrom.state, { now: clock() });
    const timer = setInterval(() => {
      if (held) return; // the disk is full: onEvent retries, the engine waits
      engine.tick(clock());
      if (store && collector.dirty) {
        held = collector.take();
        try {
          retry.attempt(writeHeld);
        } catch (e) {
          failure ??= e;
        }
      }
      controls?.poll(() => offset + n).catch((e) => failure ??= e);
    }, options.tickMs ?? 1_000);
    try {
      for await (const e of options.feed) await onEvent(e);
    } finally {
      clearInterval(timer);
    }
  } else if (await isEventRecording(options.files[0] ?? "")) {
    // Normalized events of any venue (several streams in one account).
    for await (const e of readEventRecordings(options.files)) await onEvent(e);
    // Each stream's book as the engine's own venue sync built it (keyed venue:symbol, and
    // by symbol when only one venue trades it).
    const counts = new Map<string, number>();
    for (const r of engine.runners()) {
      counts.set(r.book.instrument.symbol, (counts.get(r.book.instrument.symbol) ?? 0) + 1);
    }
    books = Object.fromEntries(
      engine.runners().flatMap((r) => {
        const counters = (r.sync as { counters?: { applied: number } }).counters;
        const b = { applied: counters?.applied ?? 0, synced: r.sync.synced };
        const s = r.book.instrument.symbol;
        const own: [string, typeof b][] = [[`${r.book.instrument.venue}:${s}`, b]];
        return counts.get(s) === 1 ? [...own, [s, b] as [string, typeof b]] : own;
      }),
    );
  } else {
    const replay = await replayBinanceRecording(options.files, {
      venue: options.venue ?? "binance",
      sink: { onEvent },
    });
    problems = replay.problems;
    books = Object.fromEntries(
      Object.entries(replay.symbols).map(([s, r]) => [s, { applied: r.applied, synced: r.synced }]),
    );
  }
  if (failure !== undefined) throw failure;
  if (n < cursor) {
    throw new RestoreMismatchError(
      `the store consumed ${cursor} events but the feed has only ${n}`,
    );
  }
  if (persisted?.finished && !live) {
    // Everything was stored already: rebuild the final sample in memory only.
    engine.setSink({});
    if (last !== undefined) engine.finish(last);
  } else {
    if (last !== undefined) engine.finish(last);
    const changes = collector.take();
    store?.commit(runId, changes, offset + n, engine, true);
    for (const a of collector.alerts.splice(0)) await options.onAlert?.(a);
  }
  const state = captureState(engine);
  return {
    run_id: runId,
    strategy: options.strategy.name,
    resumed_from: live ? offset : cursor,
    events: n,
    problems,
    books,
    fills: engine.fills.length,
    fingerprint: await fingerprintFills(engine.fills),
    ledger_digest: await stateDigest({ ...state, openOrders: [] }, []),
    balances: Object.fromEntries(
      state.ledger.balances.map(([v, a, x]) => [`${v}:${a}`, String(x)]),
    ),
    report: reportRun(engine),
  };
}
