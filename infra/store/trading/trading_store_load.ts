/**
 * Reading a paper-trading run back from SQLite rows (restart).
 *
 * @module
 */

import type { DatabaseSync, SQLInputValue } from "node:sqlite";
import type { Lots, Ticks } from "../../../core/market/fixed_point.ts";
import type { VenueId } from "../../../core/market/instrument.ts";
import type { EngineState } from "../../../core/trading/engine/engine_state.ts";
import type { PositionState, RoundTrip } from "../../../core/trading/ledger/ledger.ts";
import type { Fill, Order, OrderRequest } from "../../../core/trading/orders/order.ts";
import { INITIAL_RISK_SNAPSHOT, type RiskSnapshot } from "../../../core/trading/risk/risk.ts";

/** A run read back from the store. */
export interface PersistedRun {
  /** Strategy name. */
  readonly strategy: string;
  /** Input events consumed (replay cursor). */
  readonly cursor: number;
  /** True when the run reached its end. */
  readonly finished: boolean;
  /** Engine state to restore. */
  readonly state: EngineState;
  /** Every fill, in order. */
  readonly fills: Fill[];
}

/** Reads a run back from the trading tables, or undefined when the store has none of that id. */
export function loadRun(db: DatabaseSync, runId: string): PersistedRun | undefined {
  const run = db.prepare("SELECT * FROM paper_runs WHERE run_id = ?").get(runId) as
    | Record<string, SQLInputValue>
    | undefined;
  if (!run) return undefined;
  const all = (sql: string) => db.prepare(sql).all(runId) as Record<string, SQLInputValue>[];
  const balances = all("SELECT * FROM paper_balances WHERE run_id = ? ORDER BY venue, asset").map(
    (r) => [r.venue as VenueId, String(r.asset), BigInt(String(r.amount))] as const,
  );
  const positions: PositionState[] = all("SELECT * FROM paper_positions WHERE run_id = ?").map((
    r,
  ) => ({
    position: {
      venue: r.venue as VenueId,
      symbol: String(r.symbol),
      qty: Number(r.qty) as Lots,
      cost: BigInt(String(r.cost)),
      realizedGross: BigInt(String(r.realized_gross)),
      fees: BigInt(String(r.fees)),
      openedAt: r.opened_at === null ? undefined : Number(r.opened_at),
    },
    tripFees: BigInt(String(r.trip_fees)),
    tripPeakCost: BigInt(String(r.trip_peak_cost)),
    tripGross: BigInt(String(r.trip_gross)),
  }));
  const trips: RoundTrip[] = all("SELECT * FROM paper_round_trips WHERE run_id = ? ORDER BY n")
    .map((r) => ({
      venue: r.venue as VenueId,
      symbol: String(r.symbol),
      openTime: Number(r.open_time),
      closeTime: Number(r.close_time),
      gross: BigInt(String(r.gross)),
      fees: BigInt(String(r.fees)),
      cost: BigInt(String(r.cost)),
    }));
  const fills: Fill[] = all("SELECT * FROM paper_fills WHERE run_id = ? ORDER BY seq").map((
    r,
  ) => ({
    seq: Number(r.seq),
    orderId: String(r.order_id),
    venue: r.venue as VenueId,
    symbol: String(r.symbol),
    side: r.side as Fill["side"],
    price: Number(r.price) as Ticks,
    size: Number(r.size) as Lots,
    notional: BigInt(String(r.notional)),
    fee: BigInt(String(r.fee)),
    liquidity: r.liquidity as Fill["liquidity"],
    time: Number(r.time),
    decisionMid: r.decision_mid === null ? undefined : Number(r.decision_mid),
    tag: String(r.tag),
  }));
  const openOrders = all(
    "SELECT * FROM paper_orders WHERE run_id = ? AND status IN ('open', 'in_flight')",
  ).map(rowToOrder);
  return {
    strategy: String(run.strategy),
    cursor: Number(run.cursor),
    finished: Number(run.finished) === 1,
    fills,
    state: {
      time: Number(run.last_time),
      counters: {
        orders: Number(run.order_seq),
        fills: Number(run.fill_seq),
        decisions: Number(run.decision_seq),
      },
      fees: BigInt(String(run.fees)),
      ledger: { entrySeq: Number(run.ledger_seq), balances, positions, trips },
      // Spread over the initial state: runs stored before a risk key existed get its default.
      risk: { ...INITIAL_RISK_SNAPSHOT, ...JSON.parse(String(run.risk)) as RiskSnapshot },
      openOrders,
    },
  };
}

function rowToOrder(r: Record<string, SQLInputValue>): Order {
  const request: OrderRequest = {
    venue: r.venue as VenueId,
    symbol: String(r.symbol),
    side: r.side as OrderRequest["side"],
    type: r.type as OrderRequest["type"],
    size: Number(r.size) as Lots,
    ...(r.price === null ? {} : { price: Number(r.price) as Ticks }),
    ...(r.tif === null ? {} : { tif: r.tif as NonNullable<OrderRequest["tif"]> }),
    ...(Number(r.reduce_only) === 1 ? { reduceOnly: true } : {}),
    ...(r.tag === null ? {} : { tag: String(r.tag) }),
  };
  return {
    id: String(r.id),
    request,
    status: r.status as Order["status"],
    filled: Number(r.filled) as Lots,
    submitTime: Number(r.submit_time),
    arrivalTime: Number(r.arrival_time),
    decisionMid: r.decision_mid === null ? undefined : Number(r.decision_mid),
    queueAhead: Number(r.queue_ahead),
    ...(r.reason === null ? {} : { reason: String(r.reason) }),
    ...(r.cancel_at === null ? {} : { cancelAt: Number(r.cancel_at) }),
  };
}
