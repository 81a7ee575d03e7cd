/**
 * A synthetic, learnable {@linkcode FeatureSource} for tests: the mid moves
 * by 10 bps x s_t from bar t to t+1 with s_t in {-1, 0, 1} random; features 0,
 * 1 and 2 (when present) announce s_t, s_t+1 and s_t+2, so the forward returns
 * at horizons 1..3 (and hence the labels) are predictable from the window's
 * last row. Further features are noise.
 *
 * @module
 */

import { sha256Hex } from "../../core/hash.ts";
import {
  defaultFeatureConfig,
  FEATURE_SPEC_VERSION,
  type FeatureSpec,
} from "../../core/features/spec.ts";
import { seededRandom } from "../../core/random.ts";
import type { FeatureSource, MarketRow } from "./market_rows.ts";

/**
 * A feature spec of plain value features with the given names, for synthetic
 * sources (tests). Its config is a placeholder; only names, kinds and the hash
 * matter to the dataset.
 */
export function plainFeatureSpec(names: readonly string[]): FeatureSpec {
  const text = `synthetic|${names.join(",")}`;
  return {
    version: FEATURE_SPEC_VERSION,
    config: defaultFeatureConfig([{ venue: "binance", symbol: "BTC/USDT" }]),
    features: names.map((name) => ({ name, group: "synthetic", kind: "value" as const })),
    text,
    hash: sha256Hex(text),
    index: new Map(names.map((n, i) => [n, i])),
  };
}

/** Builds the synthetic source with `rows` rows and `features` features. */
export function syntheticSource(rows: number, features: number, seed = 1): FeatureSource {
  const names = Array.from({ length: features }, (_, i) => (i < 3 ? `signal_${i}` : `noise_${i}`));
  const spec = plainFeatureSpec(names);
  return {
    spec,
    names,
    specHash: spec.hash,
    async *rows(): AsyncGenerator<MarketRow> {
      const rand = seededRandom(seed);
      const signals = Array.from({ length: rows + 10 }, () => Math.floor(rand() * 3) - 1);
      let mid = 100;
      for (let t = 0; t < rows; t++) {
        const f = new Float64Array(features);
        for (let j = 0; j < features; j++) f[j] = j < 3 ? signals[t + j] as number : rand() * 2 - 1;
        const missing = new Uint8Array(features);
        yield { time: t * 1000, features: f, missing, bid: mid - 0.005, ask: mid + 0.005 };
        mid *= 1 + 0.001 * (signals[t] as number);
      }
    },
  };
}
