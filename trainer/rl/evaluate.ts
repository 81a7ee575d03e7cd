/**
 * Backtest of a trading rule over a market tape through the same execution
 * port and fill timing as the environment (decide on bar k, fill at k+1),
 * fold by fold over the held-out split, against buy-and-hold, flat and a
 * simple heuristic, gross (no costs) and net. The verdict says plainly when
 * the policy does not beat the baselines.
 *
 * @module
 */

import { type CostModel, type Quote, TopOfBookExecution } from "./execution.ts";
import type { MarketTape } from "./trading_env.ts";

/** A decision: side and fraction of equity. */
export interface Decision {
  /** What to do. */
  readonly side: "hold" | "buy" | "sell";
  /** Fraction of equity (ignored for hold). */
  readonly fraction: number;
}

/** A trading rule: bar index within the fold, position fraction -> decision. */
export type Rule = (k: number, posFrac: number) => Decision | Promise<Decision>;

/** Result of one backtest. */
export interface BacktestResult {
  /** Return in percent. */
  return_pct: number;
  /** Maximum drawdown in percent. */
  max_drawdown_pct: number;
  /** Fills. */
  trades: number;
  /** Fees paid (quote currency). */
  fees: number;
}

/** Runs `rule` over bars [from, to) of the tape. */
export async function backtest(
  tape: MarketTape,
  from: number,
  to: number,
  rule: Rule,
  cost: CostModel,
  cash = 10_000,
): Promise<BacktestResult> {
  const exec = new TopOfBookExecution(cost);
  exec.reset(cash);
  let peak = cash;
  let maxDd = 0;
  for (let k = from; k < to - 1; k++) {
    const q = tape.quotes[k] as Quote;
    const a = exec.account(q);
    const d = await rule(k, a.position * q.bid / a.equity);
    if (d.side !== "hold") exec.trade(d.side, d.fraction, tape.quotes[k + 1] as Quote);
    const eq = exec.account(tape.quotes[k + 1] as Quote).equity;
    peak = Math.max(peak, eq);
    maxDd = Math.max(maxDd, (peak - eq) / peak);
  }
  const end = exec.account(tape.quotes[to - 1] as Quote);
  return {
    return_pct: (end.equity / cash - 1) * 100,
    max_drawdown_pct: maxDd * 100,
    trades: end.trades,
    fees: end.fees,
  };
}

/** Baseline rules. `signal` is a per-bar heuristic input (e.g. L1 order imbalance). */
export function baselines(signal: readonly number[], threshold: number): Record<string, Rule> {
  return {
    buy_and_hold: (
      _k,
      pos,
    ) => (pos < 0.5 ? { side: "buy", fraction: 1 } : { side: "hold", fraction: 0 }),
    flat: () => ({ side: "hold", fraction: 0 }),
    heuristic: (k) => {
      const s = signal[k] ?? 0;
      if (s > threshold) return { side: "buy", fraction: 0.25 };
      if (s < -threshold) return { side: "sell", fraction: 1 };
      return { side: "hold", fraction: 0 };
    },
  };
}

/** Evaluation report (snake_case JSON). */
export interface EvalReport {
  /** Folds evaluated. */
  folds: {
    from: number;
    to: number;
    net: Record<string, BacktestResult>;
    gross: Record<string, BacktestResult>;
  }[];
  /** Mean net return per rule over folds (percent). */
  mean_net_return_pct: Record<string, number>;
  /** Mean gross return per rule over folds (percent). */
  mean_gross_return_pct: Record<string, number>;
  /** Policy fills per day (net run). */
  policy_trades_per_day: number;
  /** Plain statement of the outcome. */
  verdict: string;
}

/**
 * Evaluates `policy` and the baselines over `folds` consecutive folds of the
 * tape. `barMs` converts bars to days for the trade rate.
 */
export async function evaluatePolicy(
  tape: MarketTape,
  policy: Rule,
  signal: readonly number[],
  cost: CostModel,
  opts: { folds: number; barMs: number; heuristicThreshold: number },
): Promise<EvalReport> {
  const n = tape.quotes.length;
  const size = Math.floor(n / opts.folds);
  if (size < 2) throw new RangeError(`Cannot evaluate: ${n} bars for ${opts.folds} folds`);
  const rules: Record<string, Rule> = { policy, ...baselines(signal, opts.heuristicThreshold) };
  const folds: EvalReport["folds"] = [];
  for (let f = 0; f < opts.folds; f++) {
    const from = f * size;
    const to = f === opts.folds - 1 ? n : from + size;
    const net: Record<string, BacktestResult> = {};
    const gross: Record<string, BacktestResult> = {};
    for (const [name, rule] of Object.entries(rules)) {
      net[name] = await backtest(tape, from, to, rule, cost);
      gross[name] = await backtest(tape, from, to, rule, { feeBps: 0, slippageBps: 0 });
    }
    folds.push({ from, to, net, gross });
  }
  const mean = (pick: "net" | "gross") =>
    Object.fromEntries(
      Object.keys(rules).map((r) => [
        r,
        folds.reduce((s, f) => s + (f[pick][r] as BacktestResult).return_pct, 0) / folds.length,
      ]),
    );
  const meanNet = mean("net");
  const meanGross = mean("gross");
  const days = n * opts.barMs / 86_400_000;
  const trades = folds.reduce((s, f) => s + (f.net.policy as BacktestResult).trades, 0);
  const others = ["buy_and_hold", "flat", "heuristic"];
  const beaten = others.filter((o) => (meanNet.policy as number) > (meanNet[o] as number));
  const fmt = (v: number | undefined) => `${(v ?? 0).toFixed(4)}%`;
  const verdict = beaten.length === others.length
    ? `The policy beat all baselines net of costs (policy ${fmt(meanNet.policy)}, buy-and-hold ${
      fmt(meanNet.buy_and_hold)
    }, heuristic ${
      fmt(meanNet.heuristic)
    }); on ${opts.folds} short folds this is not evidence of skill.`
    : `The policy does NOT beat ${
      others.filter((o) => !beaten.includes(o)).join(", ")
    } net of costs (policy ${fmt(meanNet.policy)}, buy-and-hold ${
      fmt(meanNet.buy_and_hold)
    }, flat ${fmt(meanNet.flat)}, heuristic ${fmt(meanNet.heuristic)}).`;
  return {
    folds,
    mean_net_return_pct: meanNet,
    mean_gross_return_pct: meanGross,
    policy_trades_per_day: days > 0 ? trades / days : 0,
    verdict,
  };
}
