/**
 * Capturing and restoring the engine's persistent state (ledger, risk, counters,
 * open orders) for restarts. Books, strategy memory and rolling windows are not
 * part of it: a restarted trader waits for fresh snapshots (the book guards require
 * them) and the strategy warms up again.
 *
 * @module
 */

import type { TradingEngine } from "./engine.ts";
import type { LedgerState } from "./ledger.ts";
import type { Amount } from "./money.ts";
import type { Order } from "./order.ts";
import type { RiskSnapshot } from "./risk.ts";

/** The persistent state of an engine. */
export interface EngineState {
  /** Engine time at capture, ms. */
  readonly time: number;
  /** Order, fill and decision sequence counters. */
  readonly counters: {
    readonly orders: number;
    readonly fills: number;
    readonly decisions: number;
  };
  /** Fees paid so far. */
  readonly fees: Amount;
  /** Balances, positions and round trips. */
  readonly ledger: LedgerState;
  /** Risk manager state (kill switch, breakers, cooldown). */
  readonly risk: RiskSnapshot;
  /** Orders resting or in flight at capture. */
  readonly openOrders: readonly Order[];
}

/** What to do with orders that were open when the trader stopped. */
export type RestingOrderPolicy = "cancel";

/** Captures the persistent state of `engine`. */
export function captureState(engine: TradingEngine): EngineState {
  return {
    time: engine.time,
    counters: engine.counters,
    fees: engine.feesPaid,
    ledger: engine.ledger.exportState(),
    risk: engine.risk.snapshot(),
    openOrders: [...engine.orders.values()].filter((o) =>
      o.status === "open" || o.status === "in_flight"
    )
      .map((o) => ({ ...o })),
  };
}

/**
 * Restores a captured state into a fresh engine. Orders that were open follow the
 * policy (only "cancel": they might have filled while the trader was down, so they are
 * cancelled with that reason) and the downtime gap is recorded in the risk log.
 *
 * @param engine A fresh engine (no events processed).
 * @param state The persisted state.
 * @param options Restart time and resting-order policy.
 * @returns The orders cancelled by the policy.
 */
export function restoreState(
  engine: TradingEngine,
  state: EngineState,
  options: { now: number; policy?: RestingOrderPolicy },
): Order[] {
  engine.ledger.importState(state.ledger);
  engine.risk.restore(state.risk);
  engine.restoreRun({ counters: state.counters, fees: state.fees, time: options.now });
  const cancelled: Order[] = [];
  for (const o of state.openOrders) {
    const c: Order = {
      ...o,
      status: "cancelled",
      reason: "open at shutdown: cancelled after downtime (policy cancel)",
    };
    engine.adoptOrder(c);
    cancelled.push(c);
  }
  if (options.now > state.time) engine.risk.noteDowntime(state.time, options.now);
  engine.flushRisk();
  return cancelled;
}
