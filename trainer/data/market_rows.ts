/**
 * The dataset's input contract: a time-ordered series of feature vectors with
 * the top-of-book prices labels are computed from. The shared feature engine
 * over recordings (engine_feature_source.ts) is the producer; tests plug in
 * synthetic sources.
 *
 * @module
 */

import type { FeatureSpec } from "../../core/features/spec.ts";

/** One decision point. */
export interface MarketRow {
  /** Decision time, epoch ms. */
  readonly time: number;
  /** Feature values in `FeatureSource.names` order (finite; 0 where missing). */
  readonly features: Float64Array;
  /** 1 where the value is missing (normalized to 0, as the edge does). */
  readonly missing: Uint8Array;
  /** Best bid at `time`. */
  readonly bid: number;
  /** Best ask at `time`. */
  readonly ask: number;
}

/** A producer of feature rows. */
export interface FeatureSource {
  /** The feature spec (kinds of features, hash). */
  readonly spec: FeatureSpec;
  /** Feature names in vector order. */
  readonly names: readonly string[];
  /** Hash of the feature definition (goes into checkpoints; the edge must match it). */
  readonly specHash: string;
  /** Rows in time order. */
  rows(): AsyncIterable<MarketRow>;
}

/** Mid price of a row. */
export function midOf(r: MarketRow): number {
  return (r.bid + r.ask) / 2;
}
