/**
 * Performance statistics with documented formulas. Crypto trades 24/7, so daily
 * figures annualize with 365 days. Inputs are floats (reporting only); the ledger
 * keeps the exact amounts.
 *
 * Formulas (r = returns, N = count, std with ddof = 1):
 * - total return = E_end / E_start − 1
 * - annualized return (CAGR) = (E_end / E_start)^(365 days / elapsed) − 1, elapsed = last − first
 *   equity sample time (calendar time); reported but meaningless for runs much shorter than a day
 * - daily returns: the equity curve is sampled at the last point of each UTC day (days without a
 *   sample carry the previous value); r_d = E_d / E_{d−1} − 1 with E_0 = start equity
 * - Sharpe (daily) = mean(r_d) / std(r_d) × √365; null with fewer than 2 daily returns
 * - Sortino (daily) = mean(r_d) / √(Σ min(r_d, 0)² / N) × √365 (downside deviation over all N)
 * - intraday Sharpe / Sortino: the same on the per-minute equity returns, annualized with
 *   √(525,600) minutes per year; the sampling interval is stated as `intraday_interval_ms`
 * - max drawdown = max over t of (peak_t − E_t) / peak_t (fraction), absolute = peak_t − E_t;
 *   duration = longest time from a peak until equity first regains it (or the end)
 * - Calmar = CAGR / max drawdown (null when there is no drawdown)
 * - per round trip: net = gross − fees; win rate = wins / trips; profit factor = Σ wins / |Σ losses|;
 *   expectancy = mean net per trip (quote); avg win / avg loss over winners / losers
 * - turnover = Σ fill notional / mean equity
 * - slippage vs arrival mid (bps) = Σ notional × s × (price − mid) / mid × 10⁴ / Σ notional,
 *   s = +1 buy, −1 sell, mid = mid at submission; positive = cost
 *
 * @module
 */

/** One equity sample. */
export interface EquitySample {
  /** Time, epoch ms. */
  readonly time: number;
  /** Equity (quote, float). */
  readonly value: number;
}

/** One closed round trip. */
export interface TripResult {
  /** P&L before fees. */
  readonly gross: number;
  /** Fees paid on the trip. */
  readonly fees: number;
}

/** One fill, for execution metrics. */
export interface FillResult {
  /** Buy or sell. */
  readonly side: "buy" | "sell";
  /** Execution price (quote per base). */
  readonly price: number;
  /** Notional (quote). */
  readonly notional: number;
  /** Fee (quote). */
  readonly fee: number;
  /** Mid at submission (quote per base), if known. */
  readonly arrivalMid: number | undefined;
}

/** Report figures (JSON-ready, snake_case). Undefined statistics are null. */
export interface Metrics {
  /** Equity at the first sample. */
  start_equity: number;
  /** Equity at the last sample. */
  end_equity: number;
  /** E_end / E_start − 1. */
  total_return: number;
  /** CAGR over calendar time (null when undefined). */
  annualized_return: number | null;
  /** Sharpe of UTC-daily returns × √365 (null below 2 daily returns). */
  sharpe: number | null;
  /** Sortino of UTC-daily returns × √365 (downside deviation over all N). */
  sortino: number | null;
  /** Number of daily returns used. */
  daily_returns: number;
  /** Sharpe of per-sample returns annualized with √(samples per year). */
  intraday_sharpe: number | null;
  /** Sortino of per-sample returns, annualized the same way. */
  intraday_sortino: number | null;
  /** Sampling interval of the intraday figures, ms. */
  intraday_interval_ms: number;
  /** Largest peak-to-trough fall, fraction of the peak. */
  max_drawdown: number;
  /** Largest peak-to-trough fall, quote. */
  max_drawdown_abs: number;
  /** Longest time from a peak until it was regained (or the end), ms. */
  max_drawdown_duration_ms: number;
  /** CAGR / max drawdown (null without a drawdown). */
  calmar: number | null;
  /** Closed round trips. */
  trades: number;
  /** Fills. */
  fills: number;
  /** Winning round trips / round trips (net of fees). */
  win_rate: number | null;
  /** Σ winning trips / |Σ losing trips| (null without losses). */
  profit_factor: number | null;
  /** Mean net P&L per round trip, quote. */
  expectancy: number | null;
  /** Mean net P&L of winning trips, quote. */
  avg_win: number | null;
  /** Mean net P&L of losing trips, quote (negative). */
  avg_loss: number | null;
  /** Σ fill notional / mean equity. */
  turnover: number;
  /** Fees paid, quote. */
  fees: number;
  /** Notional-weighted slippage against the mid at submission, bps (positive = cost). */
  slippage_bps: number | null;
  /** Time from the first to the last equity sample, ms. */
  elapsed_ms: number;
}

const DAY = 86_400_000;
const MINUTES_PER_YEAR = 525_600;

/**
 * Computes the report figures.
 *
 * @param input Equity samples (time order, first = start), round trips, fills, sampling interval.
 * @returns The metrics.
 *
 * @example Flat equity
 * ```ts
 * import assert from "node:assert/strict";
 * import { computeMetrics } from "./metrics.ts";
 * const m = computeMetrics({ equity: [{ time: 0, value: 100 }, { time: 60_000, value: 100 }], trips: [], fills: [] });
 * assert.equal(m.total_return, 0);
 * assert.equal(m.max_drawdown, 0);
 * ```
 */
export function computeMetrics(input: {
  equity: readonly EquitySample[];
  trips: readonly TripResult[];
  fills: readonly FillResult[];
  intervalMs?: number;
}): Metrics {
  const eq = input.equity;
  const interval = input.intervalMs ?? 60_000;
  const start = eq[0]?.value ?? 0;
  const end = eq[eq.length - 1]?.value ?? start;
  const elapsed = eq.length > 1
    ? (eq[eq.length - 1] as EquitySample).time - (eq[0] as EquitySample).time
    : 0;
  const total = start > 0 ? end / start - 1 : 0;
  const cagr = start > 0 && elapsed > 0 && end > 0
    ? (end / start) ** ((365 * DAY) / elapsed) - 1
    : null;
  const daily = dailyReturns(eq);
  const intraday = stepReturns(eq);
  const dd = drawdown(eq);
  const nets = input.trips.map((t) => t.gross - t.fees);
  const wins = nets.filter((n) => n > 0);
  const losses = nets.filter((n) => n < 0);
  const sumWins = wins.reduce((a, b) => a + b, 0);
  const sumLosses = losses.reduce((a, b) => a + b, 0);
  const notional = input.fills.reduce((a, f) => a + f.notional, 0);
  const meanEquity = eq.length > 0 ? eq.reduce((a, s) => a + s.value, 0) / eq.length : 0;
  let slipNum = 0;
  let slipDen = 0;
  for (const f of input.fills) {
    if (f.arrivalMid === undefined || !(f.arrivalMid > 0)) continue;
    const s = f.side === "buy" ? 1 : -1;
    slipNum += f.notional * s * (f.price - f.arrivalMid) / f.arrivalMid * 10_000;
    slipDen += f.notional;
  }
  return {
    start_equity: start,
    end_equity: end,
    total_return: total,
    annualized_return: finiteOrNull(cagr),
    sharpe: sharpe(daily, Math.sqrt(365)),
    sortino: sortino(daily, Math.sqrt(365)),
    daily_returns: daily.length,
    intraday_sharpe: sharpe(intraday, Math.sqrt(MINUTES_PER_YEAR * 60_000 / interval)),
    intraday_sortino: sortino(intraday, Math.sqrt(MINUTES_PER_YEAR * 60_000 / interval)),
    intraday_interval_ms: interval,
    max_drawdown: dd.max,
    max_drawdown_abs: dd.abs,
    max_drawdown_duration_ms: dd.duration,
    calmar: cagr !== null && dd.max > 0 ? finiteOrNull(cagr / dd.max) : null,
    trades: nets.length,
    fills: input.fills.length,
    win_rate: nets.length > 0 ? wins.length / nets.length : null,
    profit_factor: sumLosses < 0 ? sumWins / -sumLosses : null,
    expectancy: nets.length > 0 ? nets.reduce((a, b) => a + b, 0) / nets.length : null,
    avg_win: wins.length > 0 ? sumWins / wins.length : null,
    avg_loss: losses.length > 0 ? sumLosses / losses.length : null,
    turnover: meanEquity > 0 ? notional / meanEquity : 0,
    fees: input.fills.reduce((a, f) => a + f.fee, 0),
    slippage_bps: slipDen > 0 ? slipNum / slipDen : null,
    elapsed_ms: elapsed,
  };
}

/** Returns between UTC-day closing equities (the first against the start equity). */
export function dailyReturns(eq: readonly EquitySample[]): number[] {
  if (eq.length < 2) return [];
  const closes = new Map<number, number>();
  for (const s of eq) closes.set(Math.floor(s.time / DAY), s.value);
  const first = Math.floor((eq[0] as EquitySample).time / DAY);
  const last = Math.floor((eq[eq.length - 1] as EquitySample).time / DAY);
  const out: number[] = [];
  let prev = (eq[0] as EquitySample).value;
  for (let d = first; d <= last; d++) {
    const v = closes.get(d) ?? prev;
    out.push(prev > 0 ? v / prev - 1 : 0);
    prev = v;
  }
  return out;
}

function stepReturns(eq: readonly EquitySample[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < eq.length; i++) {
    const a = (eq[i - 1] as EquitySample).value;
    out.push(a > 0 ? (eq[i] as EquitySample).value / a - 1 : 0);
  }
  return out;
}

function sharpe(r: readonly number[], annualize: number): number | null {
  if (r.length < 2) return null;
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
  return sd > 0 ? (mean / sd) * annualize : null;
}

function sortino(r: readonly number[], annualize: number): number | null {
  if (r.length < 2) return null;
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const dd = Math.sqrt(r.reduce((a, x) => a + Math.min(x, 0) ** 2, 0) / r.length);
  return dd > 0 ? (mean / dd) * annualize : null;
}

/** Max drawdown (fraction and absolute) and its longest duration. */
export function drawdown(
  eq: readonly EquitySample[],
): { max: number; abs: number; duration: number } {
  let peak = -Infinity;
  let peakTime = 0;
  let max = 0;
  let abs = 0;
  let duration = 0;
  let underwater = false;
  for (const s of eq) {
    if (s.value >= peak) {
      if (underwater) duration = Math.max(duration, s.time - peakTime);
      underwater = false;
      peak = s.value;
      peakTime = s.time;
      continue;
    }
    underwater = true;
    const d = peak > 0 ? (peak - s.value) / peak : 0;
    if (d > max) max = d;
    if (peak - s.value > abs) abs = peak - s.value;
  }
  const last = eq[eq.length - 1];
  if (last && underwater) duration = Math.max(duration, last.time - peakTime);
  return { max, abs, duration };
}

function finiteOrNull(x: number | null): number | null {
  return x !== null && Number.isFinite(x) ? x : null;
}
