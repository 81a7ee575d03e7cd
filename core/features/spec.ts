import type { VenueId } from "../market/instrument.ts";
import { sha256Hex } from "../hash.ts";

/**
 * Version of the feature definitions. Bump it whenever the meaning of a feature
 * changes without its name changing (a new formula, unit or window rule), so the
 * spec hash changes and old models are refused.
 */
export const FEATURE_SPEC_VERSION = "1";

/** One market stream: a venue and a normalized symbol ("BTC/USDT"). */
export interface StreamRef {
  /** Venue of the stream. */
  readonly venue: VenueId;
  /** Normalized symbol "BASE/QUOTE". */
  readonly symbol: string;
}

/** Technical-indicator periods (in 1-minute bars). */
export interface TechnicalConfig {
  /** RSI period. */
  readonly rsi: number;
  /** MACD short, long and signal EMA periods. */
  readonly macd: readonly [number, number, number];
  /** Bollinger %B period and deviation multiplier. */
  readonly bollinger: readonly [number, number];
  /** ATR period. */
  readonly atr: number;
  /** EMA pairs [fast, slow]; each gives `ema_ratio_<fast>_<slow>` = EMA fast / EMA slow - 1. */
  readonly emaRatios: readonly (readonly [number, number])[];
}

/** Everything that decides which features exist and how they are computed. */
export interface FeatureConfig {
  /** Streams; the first is the primary (traded) stream, which also feeds the bars. */
  readonly streams: readonly StreamRef[];
  /** A book with no update for this long is stale (missing), ms. */
  readonly staleMs: number;
  /** Order-flow-imbalance windows, ms. */
  readonly ofiWindowsMs: readonly number[];
  /** Trade-flow-imbalance and trade-intensity windows, ms. */
  readonly flowWindowsMs: readonly number[];
  /** VWAP-deviation windows, ms. */
  readonly vwapWindowsMs: readonly number[];
  /** Realized-volatility windows, ms. */
  readonly rvWindowsMs: readonly number[];
  /** Depth bands around the mid, bps. */
  readonly depthBps: readonly number[];
  /** Levels for order-book imbalance. */
  readonly imbalanceLevels: readonly number[];
  /** Levels used for the book slope. */
  readonly slopeLevels: number;
  /** Technical indicators on the primary stream's 1-minute bars (null: none). */
  readonly technical: TechnicalConfig | null;
  /** Seconds of 1-second mid returns used for lead-lag (cross-venue features need >= 2 streams). */
  readonly leadLagSeconds: number;
  /** Sentiment features: oldest complete hour still used, hours (null: none). */
  readonly sentimentMaxAgeHours: number | null;
  /** Whether portfolio features are appended at decision time. */
  readonly portfolio: boolean;
  /** Extra named features supplied by plug-ins (tests, experiments), in order. */
  readonly extras: readonly string[];
}

/** One feature of the vector. */
export interface FeatureDef {
  /** Unique name, e.g. "binance.btc_usdt.spread_bps". */
  readonly name: string;
  /** Group whose missing flag covers this feature, e.g. "binance.btc_usdt.book". */
  readonly group: string;
  /** "flag" features are the groups' missing flags (1 = some value of the group is missing). */
  readonly kind: "value" | "flag";
}

/** The ordered, versioned and hashed list of features. */
export interface FeatureSpec {
  /** {@linkcode FEATURE_SPEC_VERSION} at build time. */
  readonly version: string;
  /** The configuration the features come from. */
  readonly config: FeatureConfig;
  /** Features in vector order. */
  readonly features: readonly FeatureDef[];
  /** Canonical text the hash is computed from. */
  readonly text: string;
  /** SHA-256 of `text`, hex. */
  readonly hash: string;
  /** Index of each feature name in the vector. */
  readonly index: ReadonlyMap<string, number>;
}

/** Default configuration for the given streams (first = primary). */
export function defaultFeatureConfig(streams: readonly StreamRef[]): FeatureConfig {
  return {
    streams,
    staleMs: 30_000,
    ofiWindowsMs: [10_000, 60_000],
    flowWindowsMs: [10_000, 60_000],
    vwapWindowsMs: [60_000, 300_000],
    rvWindowsMs: [10_000, 60_000, 300_000],
    depthBps: [10, 25, 50],
    imbalanceLevels: [1, 5, 10],
    slopeLevels: 10,
    technical: { rsi: 14, macd: [12, 26, 9], bollinger: [20, 2], atr: 14, emaRatios: [[5, 20]] },
    leadLagSeconds: 60,
    sentimentMaxAgeHours: 6,
    portfolio: true,
    extras: [],
  };
}

/** Name prefix of a stream: "binance.btc_usdt". */
export function streamPrefix(s: StreamRef): string {
  return `${s.venue}.${s.symbol.toLowerCase().replace("/", "_")}`;
}

/** Names of a stream's book (state) features, without the prefix. */
export function bookFeatureNames(c: FeatureConfig): string[] {
  return [
    "mid",
    "spread_bps",
    "microprice_offset_bps",
    ...c.imbalanceLevels.map((n) => `imbalance_l${n}`),
    ...c.depthBps.flatMap((b) => [`depth_bid_${b}bps`, `depth_ask_${b}bps`]),
    "book_slope_bid",
    "book_slope_ask",
  ];
}

/** Names of a stream's windowed flow features, without the prefix. */
export function flowFeatureNames(c: FeatureConfig): string[] {
  const s = (ms: number) => `${ms / 1000}s`;
  return [
    ...c.ofiWindowsMs.map((w) => `ofi_${s(w)}`),
    ...c.flowWindowsMs.map((w) => `trade_flow_imbalance_${s(w)}`),
    ...c.flowWindowsMs.map((w) => `trade_intensity_${s(w)}`),
    ...c.vwapWindowsMs.map((w) => `vwap_dev_bps_${s(w)}`),
    ...c.rvWindowsMs.map((w) => `rv_bps_${s(w)}`),
  ];
}

/** Names of the technical features, without the "tech." prefix. */
export function technicalFeatureNames(t: TechnicalConfig): string[] {
  return [
    `rsi_${t.rsi}`,
    "macd_bps",
    "macd_signal_bps",
    "macd_hist_bps",
    `bb_percent_b_${t.bollinger[0]}`,
    `atr_bps_${t.atr}`,
    ...t.emaRatios.map(([f, s]) => `ema_ratio_${f}_${s}`),
  ];
}

/** Names of the cross-venue features, without the "cross." prefix (empty below 2 streams). */
export function crossFeatureNames(c: FeatureConfig): string[] {
  if (c.streams.length < 2) return [];
  return [
    "dispersion_bps",
    "basis_usdt_usd_bps",
    ...c.streams.slice(1).map((s) => `lead_lag.${streamPrefix(s)}`),
  ];
}

/** Sentiment feature names, without the "sentiment." prefix. */
export const SENTIMENT_FEATURES: readonly string[] = ["score", "count_log1p", "age_hours"];
/** Portfolio feature names, without the "portfolio." prefix. */
export const PORTFOLIO_FEATURES: readonly string[] = [
  "position_fraction",
  "unrealized_pnl",
  "cash_ratio",
  "time_in_position_h",
];

/**
 * Builds the ordered feature spec of a configuration: per stream the book group and
 * the flow group, then technical, cross-venue, sentiment, portfolio and extras. Each
 * group ends with its missing flag `<group>.missing`.
 *
 * @param config The feature configuration.
 * @returns The spec with its canonical text and SHA-256 hash.
 * @throws {RangeError} When there is no stream, a stream repeats, or a name repeats.
 */
export function buildFeatureSpec(config: FeatureConfig): FeatureSpec {
  if (config.streams.length === 0) {
    throw new RangeError("Cannot build a feature spec as streams is empty: need at least one");
  }
  const features: FeatureDef[] = [];
  const group = (name: string, values: readonly string[]) => {
    for (const v of values) features.push({ name: `${name}.${v}`, group: name, kind: "value" });
    features.push({ name: `${name}.missing`, group: name, kind: "flag" });
  };
  for (const s of config.streams) {
    const p = streamPrefix(s);
    group(`${p}.book`, bookFeatureNames(config));
    group(`${p}.flow`, flowFeatureNames(config));
  }
  if (config.technical) group("tech", technicalFeatureNames(config.technical));
  const cross = crossFeatureNames(config);
  if (cross.length > 0) group("cross", cross);
  if (config.sentimentMaxAgeHours !== null) group("sentiment", SENTIMENT_FEATURES);
  if (config.portfolio) group("portfolio", PORTFOLIO_FEATURES);
  if (config.extras.length > 0) group("extra", config.extras);
  const index = new Map<string, number>();
  features.forEach((f, i) => {
    if (index.has(f.name)) {
      throw new RangeError(`Cannot build a feature spec as a name repeats: ${f.name}`);
    }
    index.set(f.name, i);
  });
  const text = canonicalJson({
    version: FEATURE_SPEC_VERSION,
    config,
    features: features.map((f) => f.name),
  });
  return { version: FEATURE_SPEC_VERSION, config, features, text, hash: sha256Hex(text), index };
}

/** A model was trained on a different feature spec than the one this process computes. */
export class FeatureSpecMismatchError extends Error {
  /** Hash the model was trained with. */
  readonly expected: string;
  /** Hash of the running spec. */
  readonly actual: string;
  /**
   * @param what Which model (path or version).
   * @param expected Hash stored with the model.
   * @param actual Hash of the running spec.
   */
  constructor(what: string, expected: string, actual: string) {
    super(
      `Model ${what} was trained on feature spec ${expected.slice(0, 12)} but this process ` +
        `computes ${actual.slice(0, 12)}: retrain or change the features configuration to match`,
    );
    this.name = "FeatureSpecMismatchError";
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Refuses a model whose stored feature-spec hash differs from the running spec.
 *
 * @param what Which model, for the message.
 * @param modelHash The hash stored with the model.
 * @param spec The running spec.
 * @throws {FeatureSpecMismatchError} When the hashes differ.
 */
export function assertSpecMatches(what: string, modelHash: string, spec: FeatureSpec): void {
  if (modelHash !== spec.hash) throw new FeatureSpecMismatchError(what, modelHash, spec.hash);
}

/** JSON with object keys sorted at every level (stable text for hashing). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
