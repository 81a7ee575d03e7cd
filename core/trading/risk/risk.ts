/**
 * The account-level risk manager: trading state ACTIVE / REDUCING / HALTED, the
 * equity max-drawdown circuit breaker, the daily loss limit (reset at 00:00 UTC),
 * the cooldown after consecutive losing round trips, the correlation limit
 * between held positions, the operator's entry pause and the kill switch. Entries are
 * blocked by every rule; exits (reduce-only orders) pass in REDUCING (which includes
 * paused entries) and are blocked only when HALTED.
 * Per-book data halts live in {@linkcode BookGuard}; per-position exits in `exits.ts`.
 *
 * @module
 */

import { RollingReturns } from "./correlation.ts";
import { type CheckResult, reject } from "../orders/order.ts";

/** Account trading state. */
export type TradingState = "ACTIVE" | "REDUCING" | "HALTED";

/** Account risk settings (config `risk`). */
export interface RiskLimits {
  /** REDUCING once equity is this fraction below its peak (0.1 = 10 %); sticky until reset. */
  readonly maxDrawdownPct: number;
  /** REDUCING once equity is this fraction below the day's opening equity, until 00:00 UTC. */
  readonly dailyLossPct: number;
  /** Losing round trips in a row that start a cooldown. */
  readonly maxConsecutiveLosses: number;
  /** Cooldown length, ms: no entries. */
  readonly cooldownMs: number;
  /** Block an entry when its returns correlate above this with a held position's. */
  readonly correlationLimit: number;
  /** Per-minute returns in the correlation window. */
  readonly correlationWindow: number;
  /** Returns needed before the correlation limit applies. */
  readonly correlationMinSamples: number;
  /** Most entry orders in any rolling minute (exits are never rate-limited). */
  readonly maxEntriesPerMinute: number;
}

/** Defaults: 10 % drawdown, 3 % daily loss, 3 losses then 15 min cooldown, correlation 0.8 over 60 min, 30 entries a minute. */
export const DEFAULT_RISK: RiskLimits = {
  maxDrawdownPct: 0.1,
  dailyLossPct: 0.03,
  maxConsecutiveLosses: 3,
  cooldownMs: 15 * 60_000,
  correlationLimit: 0.8,
  correlationWindow: 60,
  correlationMinSamples: 20,
  maxEntriesPerMinute: 30,
};

/** A state change, for logs and the store. */
export interface RiskEvent {
  /** Time, ms. */
  readonly time: number;
  /** State after the change. */
  readonly state: TradingState;
  /** What changed. */
  readonly reason: string;
}

/** Serializable risk state (persisted; restored on restart). */
export interface RiskSnapshot {
  /** Kill switch reason, when engaged. */
  kill: string | null;
  /** Operator pause of entries (who and when), when paused. */
  paused: string | null;
  /** Drawdown breaker reason, when tripped. */
  drawdown: string | null;
  /** Daily loss reason, when tripped. */
  daily: string | null;
  /** Peak equity (float quote units), null before the first sample. */
  peak: number | null;
  /** UTC day index (ms / 86,400,000) of `dayStart`. */
  day: number;
  /** Equity at the start of the day, null before the first sample. */
  dayStart: number | null;
  /** Losing trips in a row. */
  losses: number;
  /** Entries blocked until this time. */
  cooldownUntil: number;
}

const DAY_MS = 86_400_000;

/**
 * The state of a fresh risk manager. Its key order is the canonical one: a snapshot read
 * back from the store is spread over it, so snapshots written before a key existed load
 * with that key's default.
 */
export const INITIAL_RISK_SNAPSHOT: Readonly<RiskSnapshot> = Object.freeze({
  kill: null,
  paused: null,
  drawdown: null,
  daily: null,
  peak: null,
  day: -1,
  dayStart: null,
  losses: 0,
  cooldownUntil: 0,
});

/** Account-level risk state and pre-trade checks. */
export class RiskManager {
  /** The limits in force. */
  readonly limits: RiskLimits;
  #s: RiskSnapshot = { ...INITIAL_RISK_SNAPSHOT };
  readonly #returns: RollingReturns;
  #entryTimes: number[] = [];
  /** State changes not yet taken by the caller. */
  readonly events: RiskEvent[] = [];

  /**
   * Creates an instance.
   *
   * @param limits Settings.
   */
  constructor(limits: RiskLimits = DEFAULT_RISK) {
    this.limits = limits;
    this.#returns = new RollingReturns(limits.correlationWindow);
  }

  /** Current trading state. */
  get state(): TradingState {
    if (this.#s.kill !== null) return "HALTED";
    if (this.#s.paused !== null || this.#s.drawdown !== null || this.#s.daily !== null) {
      return "REDUCING";
    }
    return "ACTIVE";
  }

  /** Why the state is not ACTIVE ("" when it is). */
  get reason(): string {
    const s = this.#s;
    return [s.kill, s.paused, s.drawdown, s.daily].filter((r) => r !== null).join("; ");
  }

  /** Copy of the state for persistence. */
  snapshot(): RiskSnapshot {
    return { ...this.#s };
  }

  /** Restores a persisted state (restart). */
  restore(s: RiskSnapshot): void {
    this.#s = { ...INITIAL_RISK_SNAPSHOT, ...s };
  }

  /** True while the operator has paused entries. */
  get paused(): boolean {
    return this.#s.paused !== null;
  }

  /** Pauses entries (operator): REDUCING until {@linkcode resumeEntries}; exits still pass. */
  pauseEntries(time: number, by: string): void {
    if (this.#s.paused !== null) return;
    this.#s.paused = `entries paused by ${by} at ${new Date(time).toISOString()}`;
    this.#emit(time, this.#s.paused);
  }

  /** Lifts the operator's pause of entries. */
  resumeEntries(time: number, by: string): void {
    if (this.#s.paused === null) return;
    this.#s.paused = null;
    this.#emit(time, `entries resumed by ${by}`);
  }

  /** Engages the kill switch: HALTED until {@linkcode releaseKill}. */
  kill(time: number, reason: string): void {
    if (this.#s.kill !== null) return;
    this.#s.kill = `kill switch: ${reason}`;
    this.#emit(time, this.#s.kill);
  }

  /** Releases the kill switch (`by`: who released it, for the log). */
  releaseKill(time: number, by?: string): void {
    if (this.#s.kill === null) return;
    this.#s.kill = null;
    this.#emit(time, by === undefined ? "kill switch released" : `kill switch released by ${by}`);
  }

  /** Resets the drawdown breaker (operator action); the peak restarts from the next equity. */
  resetDrawdown(time: number): void {
    this.#s.drawdown = null;
    this.#s.peak = null;
    this.#emit(time, "drawdown breaker reset");
  }

  /** Records a downtime gap found on restart (for the log and the store). */
  noteDowntime(from: number, to: number): void {
    this.#emit(
      to,
      `downtime gap of ${((to - from) / 1000).toFixed(1)} s since ${new Date(from).toISOString()}`,
    );
  }

  /** Feeds marked-to-market equity (each minute): peak, drawdown breaker, daily loss limit. */
  onEquity(time: number, equity: number): void {
    if (!Number.isFinite(equity)) return;
    const day = Math.floor(time / DAY_MS);
    if (day !== this.#s.day) {
      this.#s.day = day;
      this.#s.dayStart = equity;
      if (this.#s.daily !== null) {
        this.#s.daily = null;
        this.#emit(time, "daily loss limit reset at 00:00 UTC");
      }
    }
    if (this.#s.peak === null || equity > this.#s.peak) this.#s.peak = equity;
    const dd = 1 - equity / this.#s.peak;
    if (this.#s.drawdown === null && dd >= this.limits.maxDrawdownPct) {
      this.#s.drawdown = `max drawdown ${(dd * 100).toFixed(2)} % >= ${
        this.limits.maxDrawdownPct * 100
      } %`;
      this.#emit(time, this.#s.drawdown);
    }
    const dayLoss = 1 - equity / (this.#s.dayStart ?? equity);
    if (this.#s.daily === null && dayLoss >= this.limits.dailyLossPct) {
      this.#s.daily = `daily loss ${(dayLoss * 100).toFixed(2)} % >= ${
        this.limits.dailyLossPct * 100
      } %`;
      this.#emit(time, this.#s.daily);
    }
  }

  /** Feeds a closed round trip's net P&L: consecutive losses start a cooldown. */
  onRoundTrip(time: number, net: number): void {
    if (net < 0) {
      this.#s.losses++;
      if (this.#s.losses >= this.limits.maxConsecutiveLosses) {
        this.#s.cooldownUntil = time + this.limits.cooldownMs;
        this.#s.losses = 0;
        this.#emit(
          time,
          `cooldown until ${new Date(this.#s.cooldownUntil).toISOString()} after losses`,
        );
      }
    } else this.#s.losses = 0;
  }

  /** Feeds one per-minute mid sample of an instrument (key "venue:symbol") for correlations. */
  sampleMid(key: string, mid: number): void {
    this.#returns.sample(key, mid);
  }

  /** Correlation of two instruments' recent returns (NaN until enough samples). */
  correlation(a: string, b: string): number {
    return this.#returns.correlation(a, b, this.limits.correlationMinSamples);
  }

  /**
   * Pre-trade check of an order.
   *
   * @param order `reduceOnly` exits pass unless HALTED; entries pass only in ACTIVE,
   *   outside a cooldown and below the correlation limit with every held instrument.
   */
  check(
    order: { key: string; reduceOnly: boolean; held: readonly string[] },
    now: number,
  ): CheckResult {
    if (this.#s.kill !== null) return reject("halted", `trading halted: ${this.#s.kill}`);
    if (order.reduceOnly) return { ok: true };
    if (this.#s.paused !== null) return reject("paused", `entries blocked: ${this.#s.paused}`);
    if (this.state === "REDUCING") return reject("reducing", `entries blocked: ${this.reason}`);
    if (now < this.#s.cooldownUntil) {
      return reject(
        "cooldown",
        `entries blocked until ${new Date(this.#s.cooldownUntil).toISOString()} (cooldown)`,
      );
    }
    const recent = this.#entryTimes.filter((x) => x > now - 60_000);
    this.#entryTimes = recent;
    if (recent.length >= this.limits.maxEntriesPerMinute) {
      return reject(
        "rate",
        `entries blocked: ${recent.length} entry orders in the last minute (limit ${this.limits.maxEntriesPerMinute})`,
      );
    }
    for (const h of order.held) {
      if (h === order.key) continue;
      const c = this.correlation(order.key, h);
      if (c > this.limits.correlationLimit) {
        return reject(
          "correlation",
          `returns of ${order.key} correlate ${c.toFixed(2)} with held ${h}`,
        );
      }
    }
    this.#entryTimes.push(now);
    return { ok: true };
  }

  #emit(time: number, reason: string): void {
    this.events.push({ time, state: this.state, reason });
  }
}
