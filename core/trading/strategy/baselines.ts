/**
 * Baseline strategies every backtest report shows next to the strategy under
 * test: `flat` (never trades), `buy-and-hold` (buys the cap once), `momentum`
 * (mid return over a lookback) and `imbalance` (top-of-book size imbalance).
 *
 * @module
 */

import { imbalance } from "../../features/book_features.ts";
import { type Decision, HOLD, type Strategy, type StrategyContext } from "./strategy.ts";

/** Names of the built-in strategies. */
export const BASELINE_NAMES = ["flat", "buy-and-hold", "momentum", "imbalance"] as const;
/** A built-in strategy name. */
export type BaselineName = typeof BASELINE_NAMES[number];

/** Never trades. */
export function flatStrategy(intervalMs = 1_000): Strategy {
  return { name: "flat", intervalMs, decide: () => HOLD };
}

/** Buys the full equity cap once per instrument, then holds. */
export function buyAndHoldStrategy(intervalMs = 1_000): Strategy {
  const bought = new Set<string>();
  return {
    name: "buy-and-hold",
    intervalMs,
    decide(ctx: StrategyContext): Decision {
      const key = `${ctx.inst.venue}:${ctx.inst.symbol}`;
      if (ctx.position.qty > 0) bought.add(key);
      if (bought.has(key)) return HOLD;
      return { action: "buy", size: 1, confidence: 1 };
    },
  };
}

/** Options of {@linkcode momentumStrategy}. */
export interface MomentumOptions {
  /** Lookback of the mid return, ms. Default 60,000. */
  lookbackMs?: number;
  /** Enter above / exit below this return, bps. Default 5. */
  thresholdBps?: number;
  /** Decision interval, ms. Default 1,000. */
  intervalMs?: number;
}

/** Long when the mid rose more than the threshold over the lookback; flat when it fell more. */
export function momentumStrategy(options: MomentumOptions = {}): Strategy {
  const lookback = options.lookbackMs ?? 60_000;
  const threshold = (options.thresholdBps ?? 5) / 10_000;
  const history = new Map<string, { t: number[]; mid: number[] }>();
  return {
    name: "momentum",
    intervalMs: options.intervalMs ?? 1_000,
    decide(ctx: StrategyContext): Decision {
      const mid = ctx.book.mid();
      if (mid === undefined) return HOLD;
      const key = `${ctx.inst.venue}:${ctx.inst.symbol}`;
      let h = history.get(key);
      if (!h) {
        h = { t: [], mid: [] };
        history.set(key, h);
      }
      h.t.push(ctx.time);
      h.mid.push(mid);
      while (h.t.length > 1 && (h.t[1] as number) <= ctx.time - lookback) {
        h.t.shift();
        h.mid.shift();
      }
      if ((h.t[0] as number) > ctx.time - lookback) return HOLD; // not enough history yet
      const r = mid / (h.mid[0] as number) - 1;
      const confidence = Math.min(1, Math.abs(r) / (threshold * 4));
      if (r > threshold && ctx.position.qty === 0) return { action: "buy", size: 1, confidence };
      if (r < -threshold && ctx.position.qty > 0) return { action: "sell", size: 1, confidence };
      return { action: "hold", size: 0, confidence };
    },
  };
}

/** Options of {@linkcode imbalanceStrategy}. */
export interface ImbalanceOptions {
  /** Levels per side summed. Default 5. */
  levels?: number;
  /** Enter above / exit below this imbalance in -1..1. Default 0.5. */
  threshold?: number;
  /** Decision interval, ms. Default 1,000. */
  intervalMs?: number;
}

/** Long when bid size dominates the top levels ((B - A) / (B + A) > threshold); flat when asks dominate. */
export function imbalanceStrategy(options: ImbalanceOptions = {}): Strategy {
  const levels = options.levels ?? 5;
  const threshold = options.threshold ?? 0.5;
  return {
    name: "imbalance",
    intervalMs: options.intervalMs ?? 1_000,
    decide(ctx: StrategyContext): Decision {
      const imb = imbalance(ctx.book, levels);
      if (!Number.isFinite(imb)) return HOLD;
      const outputs = { imbalance: imb };
      const confidence = Math.abs(imb);
      if (imb > threshold && ctx.position.qty === 0) {
        return { action: "buy", size: 1, confidence, outputs };
      }
      if (imb < -threshold && ctx.position.qty > 0) {
        return { action: "sell", size: 1, confidence, outputs };
      }
      return { action: "hold", size: 0, confidence, outputs };
    },
  };
}

/**
 * Builds a built-in strategy by name.
 *
 * @throws {RangeError} When the name is unknown (the message lists the known names).
 */
export function baselineStrategy(name: string, options: { intervalMs?: number } = {}): Strategy {
  const intervalMs = options.intervalMs ?? 1_000;
  switch (name) {
    case "flat":
      return flatStrategy(intervalMs);
    case "buy-and-hold":
      return buyAndHoldStrategy(intervalMs);
    case "momentum":
      return momentumStrategy({ intervalMs });
    case "imbalance":
      return imbalanceStrategy({ intervalMs });
  }
  throw new RangeError(
    `Cannot find strategy "${name}": known strategies are ${BASELINE_NAMES.join(", ")}`,
  );
}

/**
 * Wraps a strategy so its buy and sell decisions become post-only limit orders at
 * the same-side touch (maker) instead of market orders.
 */
export function withLimitOrders(strategy: Strategy): Strategy {
  return {
    name: `${strategy.name}+limit`,
    intervalMs: strategy.intervalMs,
    decide: (ctx) => {
      const d = strategy.decide(ctx);
      return d.action === "hold" ? d : { ...d, orderType: "limit" };
    },
  };
}
