// Test helpers for core/features (not exported from the module).
import type { BookDelta, BookSnapshot, LevelUpdate, Trade } from "../market/events.ts";
import type { Lots, Ticks } from "../market/fixed_point.ts";
import { type Instrument, makeInstrument, type VenueId } from "../market/instrument.ts";
import type { FeatureEngineOptions } from "./engine.ts";
import { buildFeatureSpec, type FeatureConfig, type FeatureSpec, type StreamRef } from "./spec.ts";

/** Integer-priced instrument: 1 tick = 1 quote unit, 1 lot = 1 base unit. */
export function unitInstrument(venue: VenueId, symbol: string): Instrument {
  return makeInstrument({ venue, symbol, priceDecimals: 0, sizeDecimals: 0 });
}

/** Small windows so tiny tests can fill them. */
export function tinyConfig(streams: StreamRef[], over: Partial<FeatureConfig> = {}): FeatureConfig {
  return {
    streams,
    staleMs: 5_000,
    ofiWindowsMs: [10_000],
    flowWindowsMs: [10_000],
    vwapWindowsMs: [10_000],
    rvWindowsMs: [10_000],
    depthBps: [100, 200],
    imbalanceLevels: [1, 2],
    slopeLevels: 3,
    technical: null,
    leadLagSeconds: 5,
    sentimentMaxAgeHours: null,
    portfolio: false,
    extras: [],
    ...over,
  };
}

/** Spec and engine options using unit instruments. */
export function tinySetup(
  streams: StreamRef[],
  over: Partial<FeatureConfig> = {},
): { spec: FeatureSpec; options: FeatureEngineOptions } {
  return {
    spec: buildFeatureSpec(tinyConfig(streams, over)),
    options: { instrument: (r) => unitInstrument(r.venue, r.symbol) },
  };
}

const lv = (levels: [number, number][]): LevelUpdate[] =>
  levels.map(([p, s]) => [p as Ticks, s as Lots]);

/** A snapshot event. */
export function snap(
  ref: StreamRef,
  t: number,
  bids: [number, number][],
  asks: [number, number][],
  sequence = 0,
): BookSnapshot {
  return {
    kind: "snapshot",
    ...ref,
    exchangeTime: t,
    receiveTime: t,
    sequence,
    bids: lv(bids),
    asks: lv(asks),
  };
}

/** A delta event. */
export function delta(
  ref: StreamRef,
  t: number,
  bids: [number, number][],
  asks: [number, number][],
  seq = 0,
): BookDelta {
  return {
    kind: "delta",
    ...ref,
    exchangeTime: t,
    receiveTime: t,
    firstSequence: seq,
    lastSequence: seq,
    bids: lv(bids),
    asks: lv(asks),
  };
}

/** A trade event. */
export function trade(
  ref: StreamRef,
  t: number,
  price: number,
  size: number,
  takerSide: "buy" | "sell",
  id = String(t),
): Trade {
  return {
    kind: "trade",
    ...ref,
    exchangeTime: t,
    receiveTime: t,
    tradeId: id,
    price: price as Ticks,
    size: size as Lots,
    takerSide,
  };
}

/** Asserts |a - b| <= 1e-12 relative (values computed in a different summation order). */
export function near(actual: number, expected: number, what: string): void {
  if (!(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))) {
    throw new Error(`${what}: expected ${expected}, got ${actual}`);
  }
}
