/**
 * The dataset's feature source on the shared feature engine: recordings are
 * read into normalized events (trainer/backtest/recording.ts), replayed
 * through `core/features` (the same FeatureEngine and DecisionClock the edge
 * runs live) at a fixed decision interval, with the default feature spec of
 * the streams present (first seen = primary, as the edge features CLI does).
 * Top of book for labels comes from the primary stream's `book.mid` and
 * `book.spread_bps` features; rows before the book is usable are skipped.
 *
 * @module
 */

import { buildFeatureDataset } from "../../core/features/dataset.ts";
import {
  buildFeatureSpec,
  defaultFeatureConfig,
  type FeatureSpec,
  streamPrefix,
  type StreamRef,
} from "../../core/features/spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { loadRecordings, newReadStats, type ReadStats } from "../backtest/recording.ts";
import type { FeatureSource, MarketRow } from "./market_rows.ts";
import type { VenueId } from "../../core/market/instrument.ts";

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

/** Builds the source: reads and replays the files once, then serves rows. */
export async function engineFeatureSource(
  files: readonly string[],
  options: { intervalMs: number; venue?: VenueId },
): Promise<EngineSource> {
  const stats = newReadStats();
  const events = await loadRecordings(files, { stats, venue: options.venue ?? "binance" });
  if (events.length === 0) {
    throw new RangeError(
      `Cannot build features: no events in ${
        files.join(", ")
      } (${stats.lines} lines, ${stats.bad} bad` +
        `${stats.errors.length > 0 ? `; first: ${stats.errors[0]}` : ""})`,
    );
  }
  const spec = specOfEvents(events);
  const instrument = (r: StreamRef) =>
    stats.instruments.find((i) => i.venue === r.venue && i.symbol === r.symbol);
  const ds = buildFeatureDataset(spec, events, { intervalMs: options.intervalMs, instrument });
  const primary = streamPrefix(spec.config.streams[0] as StreamRef);
  const idx = (name: string): number => {
    const i = spec.index.get(`${primary}.book.${name}`);
    if (i === undefined) throw new RangeError(`Feature spec lacks ${primary}.book.${name}`);
    return i;
  };
  const [mid, spread, missing] = [idx("mid"), idx("spread_bps"), idx("missing")];
  const f = spec.features.length;
  return {
    names: spec.features.map((d) => d.name),
    specHash: spec.hash,
    spec,
    stats,
    async *rows(): AsyncGenerator<MarketRow> {
      for (let r = 0; r < ds.times.length; r++) {
        const v = ds.values.subarray(r * f, (r + 1) * f);
        const m = v[mid] as number;
        if (v[missing] === 1 || !(m > 0)) continue;
        const half = m * (v[spread] as number) / 2e4;
        yield {
          time: ds.times[r] as number,
          features: v.slice(),
          missing: ds.missing.slice(r * f, (r + 1) * f),
          bid: m - half,
          ask: m + half,
        };
      }
    },
  };
}
