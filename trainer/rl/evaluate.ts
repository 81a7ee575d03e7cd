/**
 * Backtest of a trading rule through the same execution port and fill timing
 * as the environment (order at decision k, filled on the way to k+1),
 * fold by fold over the held-out split, against buy-and-hold, flat and a
 * simple heuristic, gross (no costs) and net. The verdict says plainly when
 * the policy does not beat the baselines.
 *
 * @module
 */

import type { ExecutionPort } from "./execution.ts";

/** A decision: side and order size in [0, 1] (see execution.ts). */
export interface Decision {
  /** What to do. */
  readonly side: "hold" | "buy" | "sell";
  /** Order size (ignored for hold). */
  readonly size: number;
}

/** A trading rule: decision index, position fraction -> decision. */
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

/** Runs `rule` over decisions [from, to) of a fresh account on `port`. */
export async function backtest(
  port: ExecutionPort,
  from: number,
  to: number,
  rule: Rule,
): Promise<BacktestResult> {
  port.reset(from);
  const start = port.account().equity;
  let peak = start;
  let maxDd = 0;
  for (let k = from; k < to - 1; k++) {
    const d = await rule(k, port.account().positionFraction);
    if (d.side !== "hold") port.order(d.side, d.size);
    port.advance(k + 1);
    const eq = port.account().equity;
    peak = Math.max(peak, eq);
    maxDd = Math.max(maxDd, (peak - eq) / peak);
  }
  const end = port.account();
  return {
    return_pct: (end.equity / start - 1) * 100,
    max_drawdown_pct: maxDd * 100,
    trades: end.trades,
    fees: end.fees,
  };
}

/** Baseline rules. `signal` is a per-decision heuristic input (e.g. L1 order imbalance in [-1, 1]). */
export function baselines(signal: readonly number[], threshold: number): Record<string, Rule> {
  return {
    buy_and_hold: (_k, pos) => (pos < 0.2 ? { side: "buy", size: 1 } : { side: "hold", size: 0 }),
    flat: () => ({ side: "hold", size: 0 }),
    heuristic: (k) => {
      const s = signal[k] ?? 0;
      if (s > threshold) return { side: "buy", size: 1 };
      if (s < -threshold) return { side: "sell", size: 1 };
      return { side: "hold", size: 0 };
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
 * Evaluates a policy and the baselines over `folds` consecutive folds of the
 * decision points. `policyFor(fold, from, to)` gives the policy of a fold: the
 * same rule for every fold, or one retrained on data before the fold
 * (walk-forward). `port(withCosts)` makes an execution port with or without
 * fees (gross vs net); `barMs` converts decisions to days for the trade rate.
 */
export async function evaluatePolicy(
  port: (withCosts: boolean) => ExecutionPort,
  policyFor: (fold: number, from: number, to: number) => Rule | Promise<Rule>,
  signal: readonly number[],
  opts: {
    folds: number;
    barMs: number;
    heuristicThreshold: number;
    /** Folds finished earlier (resume): reused as they are, their policy is not rebuilt. */
    done?: readonly EvalReport["folds"][number][];
    /** Called after each fold (e.g. to save it for a resume). */
    onFold?(fold: number, result: EvalReport["folds"][number]): void | Promise<void>;
  },
): Promise<EvalReport> {
  const net0 = port(true);
  const gross0 = port(false);
  const n = net0.length;
  const size = Math.floor(n / opts.folds);
  if (size < 2) throw new RangeError(`Cannot evaluate: ${n} bars for ${opts.folds} folds`);
  const base = baselines(signal, opts.heuristicThreshold);
  const names = ["policy", ...Object.keys(base)];
  const folds: EvalReport["folds"] = [];
  for (let f = 0; f < opts.folds; f++) {
    const from = f * size;
    const to = f === opts.folds - 1 ? n : from + size;
    const prior = opts.done?.[f];
    if (prior !== undefined && prior.from === from && prior.to === to) {
      folds.push(prior);
      continue;
    }
    const rules: Record<string, Rule> = { policy: await policyFor(f, from, to), ...base };
    const net: Record<string, BacktestResult> = {};
    const gross: Record<string, BacktestResult> = {};
    for (const [name, rule] of Object.entries(rules)) {
      net[name] = await backtest(net0, from, to, rule);
      gross[name] = await backtest(gross0, from, to, rule);
    }
    folds.push({ from, to, net, gross });
    await opts.onFold?.(f, { from, to, net, gross });
  }
  const mean = (pick: "net" | "gross") =>
    Object.fromEntries(
      names.map((r) => [
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
