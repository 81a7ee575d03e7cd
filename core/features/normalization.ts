import type { FeatureDataset } from "./dataset.ts";
import { type FeatureSpec, FeatureSpecMismatchError } from "./spec.ts";

/**
 * Per-feature normalization statistics, stored with a model next to the spec
 * hash (snake_case: it is written as JSON).
 */
export interface FeatureNormalization {
  /** Hash of the spec the statistics were fitted on. */
  readonly spec_hash: string;
  /** Mean of the present values of each feature (0 for flags). */
  readonly mean: readonly number[];
  /** Standard deviation of the present values (1 for flags and constant features). */
  readonly std: readonly number[];
  /** Number of present values each statistic comes from. */
  readonly count: readonly number[];
}

/**
 * Fits mean and standard deviation per feature over the present (non-missing)
 * values of a dataset (Welford's algorithm). Flags are left as they are (mean 0,
 * std 1); a feature with no spread gets std 1.
 *
 * @param ds The training dataset (fit on the training split only, never on test data).
 * @returns The statistics.
 */
export function fitNormalization(ds: FeatureDataset): FeatureNormalization {
  const f = ds.spec.features.length;
  const mean = new Array<number>(f).fill(0);
  const m2 = new Array<number>(f).fill(0);
  const count = new Array<number>(f).fill(0);
  const rows = ds.times.length;
  ds.spec.features.forEach((feature, i) => {
    if (feature.kind === "flag") return;
    let n = 0, mu = 0, s = 0;
    for (let r = 0; r < rows; r++) {
      const k = r * f + i;
      if (ds.missing[k] === 1) continue;
      const x = ds.values[k] as number;
      n++;
      const d = x - mu;
      mu += d / n;
      s += d * (x - mu);
    }
    mean[i] = mu;
    m2[i] = s;
    count[i] = n;
  });
  const std = m2.map((s, i) => {
    const n = count[i] as number;
    const sd = n > 1 ? Math.sqrt(s / (n - 1)) : 0;
    return sd > 0 && Number.isFinite(sd) ? sd : 1;
  });
  return { spec_hash: ds.spec.hash, mean, std, count };
}

/**
 * Normalizes one vector for a model: `(x − mean) / std`, clipped to ±`clip`;
 * missing values become 0 (the mean), flags keep their 0/1.
 *
 * @param values Raw values in spec order.
 * @param missing Missing mask.
 * @param norm Statistics from {@linkcode fitNormalization}.
 * @param clip Bound of the normalized values. Default 10.
 * @returns A new Float32Array.
 */
export function normalizeVector(
  values: Float64Array,
  missing: Uint8Array,
  norm: FeatureNormalization,
  clip = 10,
): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    if (missing[i] === 1) continue;
    const z = ((values[i] as number) - (norm.mean[i] as number)) / (norm.std[i] as number);
    out[i] = z > clip ? clip : z < -clip ? -clip : z;
  }
  return out;
}

/**
 * Refuses statistics fitted on another spec (the edge checks this when it loads a model).
 *
 * @throws {FeatureSpecMismatchError} When the hashes differ or the lengths do not match.
 */
export function assertNormalizationMatches(
  what: string,
  norm: FeatureNormalization,
  spec: FeatureSpec,
): void {
  const n = spec.features.length;
  if (norm.spec_hash !== spec.hash || norm.mean.length !== n || norm.std.length !== n) {
    throw new FeatureSpecMismatchError(what, norm.spec_hash, spec.hash);
  }
}
