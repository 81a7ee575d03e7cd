/**
 * Windowed supervised dataset: feature rows from a {@linkcode FeatureSource},
 * labels (labels.ts), time-ordered train/validation/test splits separated by a
 * purge-and-embargo gap, and the shared normalization of core/features
 * (fitted on the rows of training windows only; missing values become 0,
 * flags stay 0/1, clipped to +-10), exactly as the edge normalizes live inputs.
 *
 * A sample is the window of rows t-T+1..t with the labels of t. Between splits
 * `embargo` decision points are dropped; the default (label horizon + T - 1)
 * guarantees no row or label interval is shared across splits.
 *
 * @module
 */

import type { FeatureDataset } from "../../core/features/dataset.ts";
import {
  type FeatureNormalization,
  fitNormalization,
  normalizeVector,
} from "../../core/features/normalization.ts";
import { labelAt, type LabelConfig, labelHorizon, type Labels } from "./labels.ts";
import type { FeatureSource } from "./market_rows.ts";

/** Dataset parameters. */
export interface DatasetConfig {
  /** Window length T. */
  readonly windowLength: number;
  /** Label definitions. */
  readonly labels: LabelConfig;
  /** Fraction of decision points in the training split (default 0.7). */
  readonly trainFraction: number;
  /** Fraction in the validation split (default 0.15); the rest is test. */
  readonly valFraction: number;
  /** Decision points dropped between splits (default label horizon + T - 1). */
  readonly embargo?: number;
}

/** The serializable dataset (raw features; normalization is applied in {@linkcode makeBatch}). */
export interface Dataset {
  /** Feature names. */
  readonly names: readonly string[];
  /** Feature spec hash. */
  readonly specHash: string;
  /** Configuration. */
  readonly config: DatasetConfig;
  /** Row times (epoch ms). */
  readonly times: number[];
  /** Best bids. */
  readonly bid: number[];
  /** Best asks. */
  readonly ask: number[];
  /** Raw features as float32, row-major [rows * F] (4 bytes a value; 0 where missing). */
  readonly features: Float32Array;
  /** Missing mask (0/1), same layout as `features`. */
  readonly missing: Uint8Array;
  /** Fitted on rows used by training windows only. */
  readonly normalization: FeatureNormalization;
  /** Decision indices (window end rows) per split, in time order. */
  readonly splits: { readonly train: number[]; readonly val: number[]; readonly test: number[] };
  /**
   * The traded streams whose rows the dataset holds, each with the hash of its own feature
   * spec and its rows `[from, to)` (trainer/data/stream_datasets.ts). Absent in datasets of
   * the default spec over every stream present (its first stream is the labelled one).
   */
  readonly streams?: readonly DatasetStream[];
  /**
   * Streams ("venue:BASE/QUOTE") whose one-hot columns end every row (a pooled dataset with the
   * stream as an input; the manifest's `stream_inputs`).
   */
  readonly stream_inputs?: readonly string[];
}

/** One stream of a dataset built per traded stream. */
export interface DatasetStream {
  /** Venue. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Hash of the stream's own feature spec (what the edge builds for it). */
  readonly featureSpecHash: string;
  /** First row of the stream. */
  readonly from: number;
  /** One past its last row. */
  readonly to: number;
}

/** Reads a source and builds the dataset. */
export async function buildDataset(source: FeatureSource, config: DatasetConfig): Promise<Dataset> {
  const times: number[] = [];
  const bid: number[] = [];
  const ask: number[] = [];
  const f = source.names.length;
  // typed buffers grown by doubling: days of rows stay 5 bytes a value, not JS arrays
  let features = new Float32Array(f * 1024);
  let missing = new Uint8Array(f * 1024);
  for await (const r of source.rows()) {
    if (r.features.length !== f) {
      throw new RangeError(
        `Cannot build dataset: row at ${r.time} has ${r.features.length} features, expected ${f}`,
      );
    }
    const at = times.length * f;
    if (at + f > features.length) {
      const grownF = new Float32Array(features.length * 2);
      grownF.set(features);
      features = grownF;
      const grownM = new Uint8Array(missing.length * 2);
      grownM.set(missing);
      missing = grownM;
    }
    times.push(r.time);
    bid.push(r.bid);
    ask.push(r.ask);
    for (let j = 0; j < f; j++) {
      const v = r.features[j] as number;
      const bad = !Number.isFinite(v) || r.missing[j] === 1;
      features[at + j] = bad ? 0 : v;
      missing[at + j] = bad ? 1 : 0;
    }
  }
  features = features.slice(0, times.length * f);
  missing = missing.slice(0, times.length * f);
  const t = config.windowLength;
  const h = labelHorizon(config.labels);
  const valid: number[] = [];
  for (let i = t - 1; i + h < times.length; i++) valid.push(i);
  if (valid.length < 10) {
    throw new RangeError(
      `Cannot build dataset: only ${valid.length} labelled windows from ${times.length} rows`,
    );
  }
  const embargo = config.embargo ?? h + t - 1;
  const trainEnd = Math.floor(valid.length * config.trainFraction);
  const valEnd = Math.floor(valid.length * (config.trainFraction + config.valFraction));
  const train = valid.slice(0, trainEnd);
  const val = valid.slice(trainEnd + embargo, valEnd);
  const test = valid.slice(valEnd + embargo);
  const lastTrainRow = train.at(-1) ?? 0;
  const rows = lastTrainRow + 1;
  const trainRows: FeatureDataset = {
    spec: source.spec,
    times: Float64Array.from(times.slice(0, rows)),
    values: Float64Array.from(features.subarray(0, rows * f)),
    missing: missing.subarray(0, rows * f),
    events: 0,
    nonFinite: [],
  };
  const normalization = fitNormalization(trainRows);
  return {
    names: source.names,
    specHash: source.specHash,
    config,
    times,
    bid,
    ask,
    features,
    missing,
    normalization,
    splits: { train, val, test },
  };
}

/** Labels of decision index `i`. */
export function labelsOf(ds: Dataset, i: number): Labels {
  const l = labelAt(ds.bid, ds.ask, i, ds.config.labels);
  if (l === undefined) throw new RangeError(`Cannot label index ${i}: past the label horizon`);
  return l;
}

/** Host arrays of one batch. */
export interface HostBatch {
  /** Normalized windows [B * T * F]. */
  readonly x: Float32Array;
  /** Price targets [B * 3]. */
  readonly price: Float32Array;
  /** One-hot actions [B * 3]. */
  readonly action: Float32Array;
  /** Size targets [B]. */
  readonly size: Float32Array;
  /** Risk labels [B]. */
  readonly risk: Float32Array;
}

/** Normalized window ending at row `i` written into `out` at `offset`. */
export function writeWindow(ds: Dataset, i: number, out: Float32Array, offset: number): void {
  const f = ds.names.length;
  const t = ds.config.windowLength;
  for (let k = 0; k < t; k++) {
    const row = i - t + 1 + k;
    const values = Float64Array.from(ds.features.subarray(row * f, (row + 1) * f));
    const missing = ds.missing.subarray(row * f, (row + 1) * f);
    out.set(normalizeVector(values, missing, ds.normalization), offset + k * f);
  }
}

/** Assembles a batch from decision indices. */
export function makeBatch(ds: Dataset, indices: readonly number[]): HostBatch {
  const b = indices.length;
  const f = ds.names.length;
  const t = ds.config.windowLength;
  const x = new Float32Array(b * t * f);
  const price = new Float32Array(b * 3);
  const action = new Float32Array(b * 3);
  const size = new Float32Array(b);
  const risk = new Float32Array(b);
  indices.forEach((i, n) => {
    writeWindow(ds, i, x, n * t * f);
    const l = labelsOf(ds, i);
    price.set(l.price, n * 3);
    action[n * 3 + l.action] = 1;
    size[n] = l.size;
    risk[n] = l.risk;
  });
  return { x, price, action, size, risk };
}
