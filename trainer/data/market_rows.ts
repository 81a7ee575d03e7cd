/**
 * The dataset's input contract: a time-ordered series of feature vectors with
 * the top-of-book prices labels are computed from. Any producer of features
 * (the interim recording reader here, later the shared `core/features` engine
 * over recordings or the store) plugs in behind {@linkcode FeatureSource}.
 *
 * @module
 */

/** One decision point. */
export interface MarketRow {
  /** Decision time, epoch ms. */
  readonly time: number;
  /** Feature values in `FeatureSource.names` order (finite). */
  readonly features: Float64Array;
  /** Best bid at `time`. */
  readonly bid: number;
  /** Best ask at `time`. */
  readonly ask: number;
}

/** A producer of feature rows. */
export interface FeatureSource {
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

/** Hex SHA-256 of a text (feature spec hashes). */
export async function sha256Hex(text: string): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(d)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
