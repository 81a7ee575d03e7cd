/**
 * Which streams a model package serves, and the plan of an edge that trades several
 * streams: each traded stream is decided by an installed model that serves it with the
 * feature spec the edge builds for it, or, visibly, by the configured baseline.
 *
 * @module
 */

import type { ModelManifest } from "./manifest.ts";
import { buildFeatureSpec, defaultFeatureConfig, type FeatureSpec } from "../features/spec.ts";
import type { VenueId } from "../market/instrument.ts";

/**
 * The feature spec a trading process builds for one traded stream: the default spec with
 * that stream alone (book and flow of the stream, its bars' technicals, sentiment,
 * portfolio). Every stream's spec has the same layout; only the names' prefix differs, so a
 * model trained on several streams reads each of them in the same positions.
 */
export function streamFeatureSpec(s: { venue: string; symbol: string }): FeatureSpec {
  return buildFeatureSpec(defaultFeatureConfig([{ venue: s.venue as VenueId, symbol: s.symbol }]));
}

/** Hash of {@linkcode streamFeatureSpec}. */
export function streamSpecHash(s: { venue: string; symbol: string }): string {
  return streamFeatureSpec(s).hash;
}

/** A stream a package serves. */
export interface ServedStream {
  /** Venue. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Hash of the feature spec the model reads for this stream. */
  readonly featureSpecHash: string;
}

/**
 * The streams a manifest serves: its `serves` list, or for older manifests the single
 * stream its feature spec was built for (the primary stream: the prefix of the first
 * `<venue>.<base>_<quote>.book.` feature) with the manifest's feature-spec hash.
 *
 * @returns The streams (empty when an older manifest names no book feature).
 */
export function servedStreams(m: ModelManifest): ServedStream[] {
  if (m.serves !== undefined) {
    return m.serves.map((s) => ({
      venue: s.venue,
      symbol: s.symbol,
      featureSpecHash: s.feature_spec_hash,
    }));
  }
  for (const name of m.feature_spec.names) {
    const match = /^([a-z_]+)\.([a-z0-9]+)_([a-z0-9]+)\.book\./.exec(name);
    if (match) {
      return [{
        venue: match[1] as string,
        symbol: `${(match[2] as string).toUpperCase()}/${(match[3] as string).toUpperCase()}`,
        featureSpecHash: m.feature_spec.hash,
      }];
    }
  }
  return [];
}

/** Who decides one traded stream. */
export type StreamRoute =
  | {
    readonly venue: string;
    readonly symbol: string;
    readonly decider: "model";
    /** Version of the model package. */
    readonly model: string;
  }
  | {
    readonly venue: string;
    readonly symbol: string;
    readonly decider: "baseline";
    /** The configured baseline strategy. */
    readonly baseline: string;
    /** Why no model decides it (shown in the log and the status). */
    readonly reason: string;
  };

/**
 * Routes every traded stream to the first installed model that serves it with the edge's
 * feature spec for that stream, else to the baseline with the reason.
 *
 * @param streams Traded streams, in configuration order.
 * @param models Installed model manifests (the current one first).
 * @param specHashOf The edge's feature-spec hash for a stream.
 * @param baseline Name of the configured baseline strategy.
 */
export function routeStreams(
  streams: readonly { venue: string; symbol: string }[],
  models: readonly ModelManifest[],
  specHashOf: (s: { venue: string; symbol: string }) => string,
  baseline: string,
): StreamRoute[] {
  const served = models.map((m) => ({ m, streams: servedStreams(m) }));
  return streams.map((s) => {
    const matches = served.flatMap(({ m, streams }) =>
      streams.filter((x) => x.venue === s.venue && x.symbol === s.symbol).map((x) => ({ m, x }))
    );
    const want = specHashOf(s);
    const ok = matches.find(({ x }) => x.featureSpecHash === want);
    if (ok) return { venue: s.venue, symbol: s.symbol, decider: "model", model: ok.m.version };
    const reason = matches.length > 0
      ? `model ${matches[0]!.m.version} serves it with feature spec ${
        matches[0]!.x.featureSpecHash.slice(0, 12)
      }, the edge builds ${want.slice(0, 12)}`
      : models.length === 0
      ? "no model is installed"
      : `no installed model serves it (${models.map((m) => m.version).join(", ")})`;
    return { venue: s.venue, symbol: s.symbol, decider: "baseline", baseline, reason };
  });
}

/** One log line per route, e.g. "coinbase BTC/USD: baseline imbalance (no installed model serves it)". */
export function describeRoutes(routes: readonly StreamRoute[]): string[] {
  return routes.map((r) =>
    r.decider === "model"
      ? `${r.venue} ${r.symbol}: model ${r.model}`
      : `${r.venue} ${r.symbol}: baseline ${r.baseline} (${r.reason})`
  );
}
