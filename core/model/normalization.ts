/** Per-feature normalization statistics fitted on the training split. */
export interface NormalizationStats {
  /** Mean per feature. */
  readonly mean: readonly number[];
  /** Standard deviation per feature (0 is treated as 1). */
  readonly std: readonly number[];
  /** Values are clipped to ±clip after standardizing. */
  readonly clip: number;
}

/**
 * Standardizes a window `[T][F]` (or flat `T·F` values) into a float32 buffer:
 * (x − mean) / std, clipped; a non-finite input becomes 0 (the mean), so NaN never
 * reaches the model.
 *
 * @throws {RangeError} When the feature count does not match the statistics.
 */
export function normalizeWindow(
  window: readonly (ArrayLike<number>)[],
  stats: NormalizationStats,
  out: Float32Array = new Float32Array(window.length * stats.mean.length),
): Float32Array {
  const F = stats.mean.length;
  for (let t = 0; t < window.length; t++) {
    const row = window[t] as ArrayLike<number>;
    if (row.length !== F) {
      throw new RangeError(
        `Cannot normalize window: step ${t} has ${row.length} features, the model expects ${F}`,
      );
    }
    for (let f = 0; f < F; f++) {
      const x = row[f] as number;
      const sd = (stats.std[f] as number) || 1;
      const z = (x - (stats.mean[f] as number)) / sd;
      out[t * F + f] = Number.isFinite(z) ? Math.max(-stats.clip, Math.min(stats.clip, z)) : 0;
    }
  }
  return out;
}
