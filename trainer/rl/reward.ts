/**
 * Trading rewards: log return of equity (bps) minus a drawdown penalty on
 * each increase of the running drawdown, or Moody & Saffell's differential
 * Sharpe ratio (eta 0.01) computed on the per-step returns.
 *
 * @module
 */

/** Reward settings. */
export interface RewardConfig {
  /** "return" (risk-adjusted return with drawdown penalty) or "dsr" (differential Sharpe). */
  readonly kind: "return" | "dsr";
  /** Penalty per bp of new drawdown. */
  readonly drawdownPenalty: number;
  /** Differential Sharpe adaptation rate. */
  readonly eta: number;
}

/** Default: return with a drawdown penalty of 0.5. */
export const DEFAULT_REWARD: RewardConfig = { kind: "return", drawdownPenalty: 0.5, eta: 0.01 };

/** Stateful reward over an episode. */
export class RewardTracker {
  readonly #cfg: RewardConfig;
  #peak = 0;
  #dd = 0;
  #a = 0;
  #b = 0;

  /** @param cfg Settings. */
  constructor(cfg: RewardConfig) {
    this.#cfg = cfg;
  }

  /** Starts an episode at `equity`. */
  reset(equity: number): void {
    this.#peak = equity;
    this.#dd = 0;
    this.#a = 0;
    this.#b = 0;
  }

  /** Reward of a step from equity `prev` to `next`. */
  step(prev: number, next: number): number {
    const r = Math.log(next / prev) * 1e4; // bps
    this.#peak = Math.max(this.#peak, next);
    const dd = (this.#peak - next) / this.#peak * 1e4;
    const ddInc = Math.max(0, dd - this.#dd);
    this.#dd = dd;
    if (this.#cfg.kind === "return") return r - this.#cfg.drawdownPenalty * ddInc;
    const { eta } = this.#cfg;
    const dA = r - this.#a;
    const dB = r * r - this.#b;
    const denom = (this.#b - this.#a * this.#a) ** 1.5;
    const d = denom > 1e-12 ? (this.#b * dA - 0.5 * this.#a * dB) / denom : 0;
    this.#a += eta * dA;
    this.#b += eta * dB;
    return d;
  }
}
