/**
 * Capturing and restoring the engine's persistent state (ledger, risk, counters,
 * open orders) for restarts. Books, strategy memory and rolling windows are not
 * part of it: a restarted trader waits for fresh snapshots (the book guards require
 * them) and the strategy warms up again.
 *
 * @module
 */

import type { DecisionLog } from "./decision_log.ts";
import type { EngineClock } from "./engine_clock.ts";
import type { Journal, Outbox, RunTally } from "./engine_ports.ts";
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

/** What a state is restored into: the parts of a fresh engine (see `TradingEngine.restore`). */
export interface RestorePorts {
  /** Balances and positions. */
  readonly ledger: Pick<Ledger, "importState">;
  /** The risk manager. */
  readonly risk: Pick<RiskManager, "restore" | "noteDowntime">;
  /** Order and fill counters and fees. */
  readonly run: RunTally;
  /** The decision counter. */
  readonly decisionLog: Pick<DecisionLog, "count">;
  /** The engine's clock (marked started at the restart time). */
  readonly clock: Pick<EngineClock, "restore">;
  /** Every order by id (restored orders keep their id). */
  readonly ordersById: Map<string, Order>;
  /** The sink (each restored order). */
  readonly out: Pick<Outbox, "order">;
  /** The risk journal. */
  readonly journal: Journal;
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
  ports.run.orders = state.counters.orders;
  ports.run.fills = state.counters.fills;
  ports.decisionLog.count = state.counters.decisions;
  ports.run.fees = state.fees;
  ports.clock.restore(options.now);
  const cancelled: Order[] = [];
  for (const o of state.openOrders) {
    const c: Order = {
      ...o,
      status: "cancelled",
      reason: "open at shutdown: cancelled after downtime (policy cancel)",
    };
    ports.ordersById.set(c.id, c);
    ports.out.order(c);
    cancelled.push(c);
  }
  if (options.now > state.time) ports.risk.noteDowntime(state.time, options.now);
  ports.journal.flushRisk();
  return cancelled;
}
