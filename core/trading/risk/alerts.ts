/**
 * Performance-degradation alerts: rolling hit rate and Sharpe of closed round
 * trips, and rolling model confidence. An alert fires when a figure falls below
 * its threshold and re-arms once it is back above. The adapters send alerts to
 * the log, the store and an optional webhook.
 *
 * @module
 */

/** Alert thresholds (config `risk.alerts`); a threshold left undefined is off. */
export interface AlertConfig {
  /** Round trips in the rolling window. */
  readonly window: number;
  /** Alert when the hit rate (share of winning trips) falls below this. */
  readonly minHitRate?: number;
  /** Alert when the per-trip Sharpe (mean / std of trip returns, not annualized) falls below this. */
  readonly minTripSharpe?: number;
  /** Decisions in the confidence window. */
  readonly confidenceWindow: number;
  /** Alert when the mean model confidence falls below this. */
  readonly minConfidence?: number;
}

/** Defaults: 20 trips, hit rate 0.3, trip Sharpe -0.5, confidence 0.2 over 100 decisions. */
export const DEFAULT_ALERTS: AlertConfig = {
  window: 20,
  minHitRate: 0.3,
  minTripSharpe: -0.5,
  confidenceWindow: 100,
  minConfidence: 0.2,
};

/** One alert. */
export interface Alert {
  /** Time, ms. */
  readonly time: number;
  /** What degraded. */
  readonly kind: "hit_rate" | "trip_sharpe" | "confidence";
  /** Current value. */
  readonly value: number;
  /** Threshold crossed. */
  readonly threshold: number;
  /** Message for logs. */
  readonly message: string;
}

/** Watches rolling performance and emits {@linkcode Alert}s. */
export class PerformanceMonitor {
  readonly #cfg: AlertConfig;
  #trips: number[] = [];
  #conf: number[] = [];
  #firing = new Set<Alert["kind"]>();
  /** Alerts not yet taken by the caller. */
  readonly pending: Alert[] = [];

  /**
   * Creates an instance.
   *
   * @param config Thresholds.
   */
  constructor(config: AlertConfig = DEFAULT_ALERTS) {
    this.#cfg = config;
  }

  /** Records a closed round trip's net return (fraction of its cost). */
  onRoundTrip(netReturn: number, time: number): void {
    if (!Number.isFinite(netReturn)) return;
    this.#trips.push(netReturn);
    if (this.#trips.length > this.#cfg.window) this.#trips.shift();
    if (this.#trips.length < this.#cfg.window) return;
    const n = this.#trips.length;
    const wins = this.#trips.filter((r) => r > 0).length;
    this.#watch("hit_rate", wins / n, this.#cfg.minHitRate, time);
    const mean = this.#trips.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(this.#trips.reduce((a, r) => a + (r - mean) ** 2, 0) / (n - 1));
    if (sd > 0) this.#watch("trip_sharpe", mean / sd, this.#cfg.minTripSharpe, time);
  }

  /** Records a model decision's confidence (0..1). */
  onConfidence(confidence: number, time: number): void {
    if (!Number.isFinite(confidence)) return;
    this.#conf.push(confidence);
    if (this.#conf.length > this.#cfg.confidenceWindow) this.#conf.shift();
    if (this.#conf.length < this.#cfg.confidenceWindow) return;
    const mean = this.#conf.reduce((a, b) => a + b, 0) / this.#conf.length;
    this.#watch("confidence", mean, this.#cfg.minConfidence, time);
  }

  #watch(kind: Alert["kind"], value: number, threshold: number | undefined, time: number): void {
    if (threshold === undefined) return;
    if (value < threshold) {
      if (this.#firing.has(kind)) return;
      this.#firing.add(kind);
      this.pending.push({
        time,
        kind,
        value,
        threshold,
        message: `${kind} ${value.toFixed(3)} fell below ${threshold}`,
      });
    } else this.#firing.delete(kind);
  }
}
