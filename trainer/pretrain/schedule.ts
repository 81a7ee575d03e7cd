/**
 * Learning-rate schedule: linear warm-up over the first `warmupFraction` of
 * the steps, then cosine decay to `floor` x the peak rate.
 *
 * @module
 */

/** Schedule parameters. */
export interface ScheduleConfig {
  /** Peak learning rate. */
  readonly lr: number;
  /** Fraction of total steps spent warming up (default 0.05). */
  readonly warmupFraction: number;
  /** Final rate as a fraction of the peak (default 0.1). */
  readonly floor: number;
}

/** Learning rate at 1-based step `step` of `total`. */
export function learningRate(cfg: ScheduleConfig, step: number, total: number): number {
  const warm = Math.max(1, Math.round(total * cfg.warmupFraction));
  if (step <= warm) return cfg.lr * step / warm;
  const p = Math.min(1, (step - warm) / Math.max(1, total - warm));
  return cfg.lr * (cfg.floor + (1 - cfg.floor) * 0.5 * (1 + Math.cos(Math.PI * p)));
}
