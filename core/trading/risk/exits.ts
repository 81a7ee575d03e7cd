/**
 * Per-position exit rules: stop-loss, take-profit and a trailing stop
 * (activation gain, then a give-back delta from the best mid since activation).
 *
 * @module
 */

/** Exit settings (config `risk.exits`); each rule is off when undefined. */
export interface ExitRules {
  /** Exit when mid falls this fraction below the average entry price (0.02 = 2 %). */
  readonly stopLossPct?: number;
  /** Exit when mid rises this fraction above the average entry price. */
  readonly takeProfitPct?: number;
  /** Trailing stop: arms once mid is `activationPct` above entry, fires when mid gives back `deltaPct` from its peak. */
  readonly trailing?: { readonly activationPct: number; readonly deltaPct: number };
}

/** Tags of exit orders. */
export type ExitReason = "stop_loss" | "take_profit" | "trailing_stop";

/** Trailing state of one position. */
export interface TrailState {
  /** Highest mid since the position opened. */
  peak: number;
  /** Whether the trailing stop is armed. */
  armed: boolean;
}

/**
 * Checks the exit rules for a long position.
 *
 * @param rules Exit settings.
 * @param entry Average entry price (any unit, same as `mid`).
 * @param mid Current mid.
 * @param trail Trailing state (updated in place).
 * @returns The rule that fires, or undefined.
 *
 * @example Stop-loss at 2 %
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkExit } from "./exits.ts";
 * assert.equal(checkExit({ stopLossPct: 0.02 }, 100, 97.9, { peak: 100, armed: false }), "stop_loss");
 * ```
 */
export function checkExit(
  rules: ExitRules,
  entry: number,
  mid: number,
  trail: TrailState,
): ExitReason | undefined {
  if (!(entry > 0) || !Number.isFinite(mid)) return undefined;
  if (mid > trail.peak) trail.peak = mid;
  if (rules.stopLossPct !== undefined && mid <= entry * (1 - rules.stopLossPct)) return "stop_loss";
  if (rules.takeProfitPct !== undefined && mid >= entry * (1 + rules.takeProfitPct)) {
    return "take_profit";
  }
  const t = rules.trailing;
  if (t !== undefined) {
    if (!trail.armed && trail.peak >= entry * (1 + t.activationPct)) trail.armed = true;
    if (trail.armed && mid <= trail.peak * (1 - t.deltaPct)) return "trailing_stop";
  }
  return undefined;
}
