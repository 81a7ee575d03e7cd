/**
 * The dataset's feature source on the shared feature engine: recordings are
 * streamed as normalized events (trainer/backtest/recording.ts), replayed
 * through `core/features` (the same FeatureEngine and DecisionClock the edge
 * runs live) at a fixed decision interval, with the default feature spec of
 * the streams present (first seen = primary, as the edge features CLI does).
 * Top of book for labels comes from the primary stream's `book.mid` and
 * `book.spread_bps` features; rows before the book is usable are skipped.
 *
 * @module
 */

import { DecisionClock } from "../../core/features/clock.ts";
import { FeatureEngine, type FeatureRow } from "../../core/features/engine.ts";
import {
  buildFeatureSpec,
  defaultFeatureConfig,
  type FeatureSpec,
  streamPrefix,
  type StreamRef,
} from "../../core/features/spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { newReadStats, readRecordings, type ReadStats } from "../backtest/recording.ts";
import type { FeatureSource, MarketRow } from "./market_rows.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";

/** The default spec over the streams of `events` (first seen = primary). */
export function specOfEvents(events: readonly MarketEvent[]): FeatureSpec {
  const streams: StreamRef[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    const key = `${e.venue} ${e.symbol}`;
    if (!seen.has(key)) {
      seen.add(key);
      streams.push({ venue: e.venue, symbol: e.symbol });
    }
  }
  if (streams.length === 0) {
    throw new RangeError("Cannot build features: the recordings hold no events");
  }
  return buildFeatureSpec(defaultFeatureConfig(streams));
}

/** A feature source plus what reading the recordings found. */
export interface EngineSource extends FeatureSource {
  /** Read counters (lines, events, bad lines with messages). */
  readonly stats: ReadStats;
}

/**
 * Builds the source. Reading is streamed: one pass finds the streams (first
 * seen = primary) and counts the events, and each `rows()` call replays the
 * files again through the engine and yields rows as the decision clock emits
 * them, so memory does not grow with the length of the recordings.
 */
export async function engineFeatureSource(
  files: readonly string[],
  options: {
    intervalMs: number;
    venue?: VenueId;
    /**
     * Build the features of this stream alone (the spec a trading process builds for one
     * traded stream: core/model/served_streams.ts streamFeatureSpec), the stream's book
     * giving the labels; without it, the default spec over every stream present.
     */
    stream?: StreamRef;
  },
): Promise<EngineSource> {
  const stats = newReadStats();
  const venue = options.venue ?? "binance";
  const streams: StreamRef[] = [];
  const seen = new Set<string>();
  for await (const e of readRecordings(files, { stats, venue })) {
    const key = `${e.venue} ${e.symbol}`;
    if (!seen.has(key)) {
      seen.add(key);
      streams.push({ venue: e.venue, symbol: e.symbol });
    }
  }
  if (stats.events === 0) {
    throw new RangeError(
      `Cannot build features: no events in ${
        files.join(", ")
      } (${stats.lines} lines, ${stats.bad} bad` +
        `${stats.errors.length > 0 ? `; first: ${stats.errors[0]}` : ""})`,
    );
  }
  const only = options.stream;
  if (only && !streams.some((s) => s.venue === only.venue && s.symbol === only.symbol)) {
    throw new RangeError(
      `Cannot build features of ${only.venue} ${only.symbol}: ${files.join(", ")} hold ${
        streams.map((s) => `${s.venue} ${s.symbol}`).join(", ")
      }`,
    );
  }
  const spec = buildFeatureSpec(defaultFeatureConfig(only ? [only] : streams));
  // The recording's own instruments (Binance surveys); else core's defaults, as the edge uses.
  const instrument = (r: StreamRef) =>
    stats.instruments.find((i) => i.venue === r.venue && i.symbol === r.symbol) ??
      defaultInstrument(r.venue, r.symbol);
  const primary = streamPrefix(spec.config.streams[0] as StreamRef);
  const idx = (name: string): number => {
    const i = spec.index.get(`${primary}.book.${name}`);
    if (i === undefined) throw new RangeError(`Feature spec lacks ${primary}.book.${name}`);
    return i;
  };
  const [mid, spread, missing] = [idx("mid"), idx("spread_bps"), idx("missing")];
  return {
    names: spec.features.map((d) => d.name),
    specHash: spec.hash,
    spec,
    stats,
    async *rows(): AsyncGenerator<MarketRow> {
      const pending: FeatureRow[] = [];
      const engine = new FeatureEngine(spec, { instrument });
      const clock = new DecisionClock(engine, {
        intervalMs: options.intervalMs,
        onDecision: (d) => pending.push(d.rows[d.rows.length - 1] as FeatureRow),
      });
      const toRow = (r: FeatureRow): MarketRow | undefined => {
        const v = r.values;
        const m = v[mid] as number;
        if (v[missing] === 1 || !(m > 0)) return undefined;
        const half = m * (v[spread] as number) / 2e4;
        return { time: r.time, features: v, missing: r.missing, bid: m - half, ask: m + half };
      };
      let last = -Infinity;
      for await (const e of readRecordings(files, { venue })) {
        clock.onEvent(e);
        last = engine.time;
        while (pending.length > 0) {
          const row = toRow(pending.shift() as FeatureRow);
          if (row) yield row;
        }
      }
      if (last > -Infinity) clock.flushThrough(last);
      for (const r of pending) {
        const row = toRow(r);
        if (row) yield row;
      }
    },
  };
}
