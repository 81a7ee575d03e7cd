/**
 * The ledger check of a live paper run: the run's stored market events (the same events, in the
 * same order, the live trader saw) replayed through the same engine and strategy, with the
 * engine's clock ticking every second of receive time as the live loop ticks every second of
 * wall time; then the live paper fills and the replay's compared fill by fill. Each difference
 * is given its likely cause: a restart (the live engine cancelled its open orders and was down),
 * a resync of that stream's book, or timing (the live loop's wall-clock ticks and inference
 * latency against the replay's event-time ticks, and the queue position that follows).
 * Every traded stream (`trading.streams`) is replayed in one account, as the live edge trades
 * them, and the fills are compared stream by stream.
 * The replay starts from a fresh account at `fromTime`. A baseline run is replayed with its
 * baseline; a model run with the model package the run recorded for the window (live_models.ts),
 * copied from the registry into a throwaway one (the live registry is not touched), each event
 * fed to the model and its inference awaited before the engine sees it, as the live trader does.
 * A window in which the run switched models is refused with the switch times (reconcile each
 * part with --from/--to).
 *
 * @module
 */

import type { SqliteDatabase as DatabaseSync } from "../../infra/store/sqlite_db.ts";
import { runFills, runStrategy, venueSnapshotTimes } from "../../infra/store/live/run_reads.ts";
import type { Config } from "../../core/config.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import type { MarketStore } from "../../core/storage.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { BASELINE_NAMES } from "../../core/trading/strategy/baselines.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import { liveSessions } from "../../infra/store/live/live_runs.ts";
import { liveModels, modelsInWindow } from "./live_models.ts";
import { ReconcileUnsupportedError, replayStrategy } from "./reconcile_strategy.ts";
export { ReconcileUnsupportedError } from "./reconcile_strategy.ts";

/** One fill as compared. */
export interface ComparedFill {
  /** "venue:symbol" (absent: compared without regard to the stream). */
  readonly stream?: string;
  readonly time: number;
  readonly side: string;
  readonly price: number;
  readonly size: number;
  readonly liquidity: string;
}

/** Likely cause of a difference. */
export type DiffCause = "restart" | "resync" | "timing";

/** One line of the comparison. */
export interface FillDiff {
  /** Matched pair, or a fill only one side has. */
  readonly kind: "same" | "differs" | "live_only" | "replay_only";
  readonly live?: ComparedFill;
  readonly replay?: ComparedFill;
  /** Likely cause of a difference. */
  readonly cause?: DiffCause;
}

/** The reconcile report. */
export interface ReconcileReport {
  runId: string;
  strategy: string;
  /** The model package replayed (model runs), else null. */
  modelVersion: string | null;
  fromTime: number | null;
  toTime: number | null;
  events: number;
  liveFills: number;
  replayFills: number;
  same: number;
  diffs: FillDiff[];
}

/** Fills closer than this (ms) on the same side are the same decision. */
const MATCH_MS = 5_000;
/** A difference this close to a restart or a resync (ms) is put down to it. */
const CAUSE_MS = 30_000;

/**
 * Replays the run's stored window and compares the fills.
 *
 * @throws {ReconcileUnsupportedError} When the run's strategy or model cannot be rebuilt.
 */
export async function reconcile(
  o: {
    config: Config;
    market: MarketStore;
    db: DatabaseSync;
    runId: string;
    fromTime?: number;
    toTime?: number;
  },
): Promise<ReconcileReport> {
  const stored = runStrategy(o.db, o.runId);
  const run = stored === undefined ? undefined : { strategy: stored };
  if (!run) throw new ReconcileUnsupportedError(`no paper run "${o.runId}" in the store`);
  const instruments = tradedInstruments(o.config);
  const intervalMs = o.config.trading.decision_interval_s * 1000;
  let modelVersion: string | null = null;
  if (run.strategy === "model") {
    const used = modelsInWindow(liveModels(o.db, o.runId), o.fromTime, o.toTime);
    if (used.length === 0) {
      throw new ReconcileUnsupportedError(
        `run ${o.runId} traded with the model but recorded no model version for this window (a run started before the edge recorded them)`,
      );
    }
    if (used.length > 1) {
      throw new ReconcileUnsupportedError(
        `run ${o.runId} switched models in this window (${
          used.map((m) => `${m.version} from ${new Date(m.since).toISOString()}`).join(", ")
        }); reconcile each part with --from/--to`,
      );
    }
    modelVersion = used[0]!.version;
  } else if (!(BASELINE_NAMES as readonly string[]).includes(run.strategy)) {
    throw new ReconcileUnsupportedError(
      `run ${o.runId} traded with "${run.strategy}"; the replay rebuilds the baselines (${
        BASELINE_NAMES.join(", ")
      }) and the model`,
    );
  }
  const replayed = await replayStrategy({
    config: o.config,
    streams: instruments,
    strategy: run.strategy,
    intervalMs,
    modelVersion,
  });
  const strategy = replayed.strategy;
  const engine = new TradingEngine(
    {
      ...engineConfigFromConfig(o.config, instruments, venueBookSync),
      keepDecisions: false,
    },
    strategy,
  );
  let events = 0;
  let nextTick: number | undefined;
  let last: number | undefined;
  const query = {
    ...(o.fromTime !== undefined ? { fromTime: o.fromTime } : {}),
    ...(o.toTime !== undefined ? { toTime: o.toTime } : {}),
  };
  try {
    for await (const e of o.market.readEvents(query)) {
      nextTick ??= Math.ceil(e.receiveTime / 1000) * 1000;
      while (nextTick <= e.receiveTime) {
        engine.tick(nextTick);
        nextTick += 1000;
      }
      await replayed.beforeEvent?.(e, engine);
      engine.onEvent(e);
      last = e.receiveTime;
      events++;
    }
    if (last !== undefined) engine.finish(last);
  } finally {
    await replayed.close();
  }
  const replay = engine.fills.map((f) => ({
    stream: `${f.venue}:${f.symbol}`,
    time: f.time,
    side: f.side,
    price: Number(f.price),
    size: Number(f.size),
    liquidity: f.liquidity,
  }));
  const live = runFills(o.db, o.runId, o.fromTime, o.toTime).map((r) => ({
    stream: `${r.venue}:${r.symbol}`,
    time: r.time,
    side: r.side,
    price: r.price,
    size: r.size,
    liquidity: r.liquidity,
  }));
  const restarts = liveSessions(o.db, o.runId).slice(1).map((s) => s.startedAt);
  // Stream by stream: a fill is only ever the same decision as a fill of its own stream.
  const diffs = instruments.flatMap((inst) => {
    const stream = `${inst.venue}:${inst.symbol}`;
    const resyncs = venueSnapshotTimes(o.db, inst.venue, inst.symbol);
    return compareFills(
      live.filter((f) => f.stream === stream),
      replay.filter((f) => f.stream === stream),
      restarts,
      resyncs,
    );
  });
  return {
    runId: o.runId,
    strategy: run.strategy,
    modelVersion,
    fromTime: o.fromTime ?? null,
    toTime: o.toTime ?? null,
    events,
    liveFills: live.length,
    replayFills: replay.length,
    same: diffs.filter((d) => d.kind === "same").length,
    diffs: diffs.filter((d) => d.kind !== "same"),
  };
}

/**
 * Pairs live and replay fills (same side, within 5 s, in order) and names the likely cause of
 * each difference.
 */
export function compareFills(
  live: readonly ComparedFill[],
  replay: readonly ComparedFill[],
  restarts: readonly number[],
  resyncs: readonly number[],
): FillDiff[] {
  const near = (t: number, times: readonly number[]) =>
    times.some((x) => Math.abs(t - x) <= CAUSE_MS);
  const cause = (t: number): DiffCause =>
    near(t, restarts) ? "restart" : near(t, resyncs) ? "resync" : "timing";
  const out: FillDiff[] = [];
  let j = 0;
  for (const l of live) {
    // Replay fills well before this one with no live partner.
    while (j < replay.length && replay[j]!.time < l.time - MATCH_MS) {
      out.push({ kind: "replay_only", replay: replay[j]!, cause: cause(replay[j]!.time) });
      j++;
    }
    const r = replay[j];
    if (r && r.side === l.side && Math.abs(r.time - l.time) <= MATCH_MS) {
      const same = r.price === l.price && r.size === l.size && r.liquidity === l.liquidity;
      out.push(
        same
          ? { kind: "same", live: l, replay: r }
          : { kind: "differs", live: l, replay: r, cause: cause(l.time) },
      );
      j++;
    } else out.push({ kind: "live_only", live: l, cause: cause(l.time) });
  }
  for (; j < replay.length; j++) {
    out.push({ kind: "replay_only", replay: replay[j]!, cause: cause(replay[j]!.time) });
  }
  return out;
}
