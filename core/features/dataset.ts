import type { MarketEvent } from "../market/events.ts";
import { DecisionClock } from "./clock.ts";
import { FeatureEngine, type FeatureEngineOptions, type FeatureRow } from "./engine.ts";
import type { FeatureSpec } from "./spec.ts";

/** Options of {@linkcode buildFeatureDataset}. */
export interface DatasetOptions extends FeatureEngineOptions {
  /** Decision interval, ms. Default 1,000. */
  readonly intervalMs?: number;
  /** Keep rows at or after this time only (earlier events still warm the engine up). */
  readonly from?: number;
  /** Stop after this time: events and boundaries after it are not used. */
  readonly to?: number;
}

/** Feature rows of a replay, row-major. */
export interface FeatureDataset {
  /** The spec the rows follow. */
  readonly spec: FeatureSpec;
  /** Decision time of each row, epoch ms. */
  readonly times: Float64Array;
  /** `times.length × spec.features.length` values. */
  readonly values: Float64Array;
  /** Missing mask, same shape as `values`. */
  readonly missing: Uint8Array;
  /** Events applied. */
  readonly events: number;
  /** Rows where some value was NaN/Infinity (stored as missing), with the feature names. */
  readonly nonFinite: readonly { time: number; features: readonly string[] }[];
}

/**
 * Builds a dataset by replaying events through the same {@linkcode FeatureEngine}
 * and {@linkcode DecisionClock} the live loop uses: one row per interval boundary
 * between the first event and the last event (or `to`).
 *
 * @param spec The feature spec.
 * @param events Normalized events in arrival order.
 * @param options Interval, range, sentiment and plug-ins.
 * @returns The rows.
 */
export function buildFeatureDataset(
  spec: FeatureSpec,
  events: Iterable<MarketEvent>,
  options: DatasetOptions = {},
): FeatureDataset {
  const rows: FeatureRow[] = [];
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const engine = new FeatureEngine(spec, options);
  const clock = new DecisionClock(engine, {
    intervalMs: options.intervalMs ?? 1000,
    onDecision: (d) => {
      const row = d.rows[d.rows.length - 1] as FeatureRow;
      if (row.time >= from) rows.push(row);
    },
  });
  let last = -Infinity;
  for (const e of events) {
    if (e.receiveTime > to) break;
    clock.onEvent(e);
    last = engine.time;
  }
  if (last > -Infinity) clock.flushThrough(Math.min(last, to));
  return packRows(spec, rows, engine.counters.events);
}

/** Packs rows into a {@linkcode FeatureDataset}. */
export function packRows(
  spec: FeatureSpec,
  rows: readonly FeatureRow[],
  events: number,
): FeatureDataset {
  const f = spec.features.length;
  const values = new Float64Array(rows.length * f);
  const missing = new Uint8Array(rows.length * f);
  const times = new Float64Array(rows.length);
  const nonFinite: { time: number; features: readonly string[] }[] = [];
  rows.forEach((r, i) => {
    times[i] = r.time;
    values.set(r.values, i * f);
    missing.set(r.missing, i * f);
    if (r.nonFinite.length > 0) nonFinite.push({ time: r.time, features: r.nonFinite });
  });
  return { spec, times, values, missing, events, nonFinite };
}
