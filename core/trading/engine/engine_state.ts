/**
 * Capturing and restoring the engine's persistent state (ledger, risk, counters,
 * open orders) for restarts. Books, strategy memory and rolling windows are not
 * part of it: a restarted trader waits for fresh snapshots (the book guards require
 * them) and the strategy warms up again.
 *
 * @module
 */

import type { Journal } from "./engine_ports.ts";
import type { Ledger, LedgerState } from "../ledger/ledger.ts";
import type { Amount } from "../orders/money.ts";
import type { Order } from "../orders/order.ts";
import type { RiskManager, RiskSnapshot } from "../risk/risk.ts";

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

/** What a state is captured from (the trading engine is one). */
export interface StateSource {
  /** Engine time, ms. */
  readonly time: number;
  /** Order, fill and decision sequence counters. */
  readonly counters: EngineState["counters"];
  /** Fees paid so far. */
  readonly feesPaid: Amount;
  /** Balances and positions. */
  readonly ledger: Pick<Ledger, "exportState">;
  /** The risk manager. */
  readonly risk: Pick<RiskManager, "snapshot">;
  /** Every order by id. */
  readonly orders: ReadonlyMap<string, Order>;
}

/** What a state is restored into: the engine's private parts (see `TradingEngine.restore`). */
export interface RestorePorts {
  /** Balances and positions. */
  readonly ledger: Pick<Ledger, "importState">;
  /** The risk manager. */
  readonly risk: Pick<RiskManager, "restore" | "noteDowntime">;
  /** The risk journal. */
  readonly journal: Journal;
  /** Sets the counters, the fees and the clock and marks the engine started. */
  restoreRun(counters: EngineState["counters"], fees: Amount, time: number): void;
  /** Records an order restored from the store (it keeps its id) and tells the sink. */
  adoptOrder(order: Order): void;
}

/** Captures the persistent state of `engine`. */
export function captureState(engine: StateSource): EngineState {
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
 * Restores a captured state into a fresh engine's parts. Orders that were open follow the
 * policy (only "cancel": they might have filled while the trader was down, so they are
 * cancelled with that reason) and the downtime gap is recorded in the risk log.
 *
 * @param ports The parts of a fresh engine (no events processed).
 * @param state The persisted state.
 * @param options Restart time and resting-order policy.
 * @returns The orders cancelled by the policy.
 */
export function restoreInto(
  ports: RestorePorts,
  state: EngineState,
  options: { now: number; policy?: RestingOrderPolicy },
): Order[] {
  ports.ledger.importState(state.ledger);
  ports.risk.restore(state.risk);
  ports.restoreRun(state.counters, state.fees, options.now);
  const cancelled: Order[] = [];
  for (const o of state.openOrders) {
    const c: Order = {
      ...o,
      status: "cancelled",
      reason: "open at shutdown: cancelled after downtime (policy cancel)",
    };
    ports.adoptOrder(c);
    cancelled.push(c);
  }
  if (options.now > state.time) ports.risk.noteDowntime(state.time, options.now);
  ports.journal.flushRisk();
  return cancelled;
}
