/**
 * The small ports the engine's satellites take instead of the whole engine. The
 * engine is split the way a backtester separates its local side (account, order
 * entry, risk journal) from its exchange side (the books and their matching
 * simulators): each satellite names the few of these it needs, and the engine hands
 * them its private parts, so none of its internals has to be public.
 *
 * @module
 */

import type { VenueId } from "../../market/instrument.ts";
import type { BookRunner } from "../books/book_runner.ts";
import type { DecisionRecord, EquityPoint, RiskLogEntry } from "./engine_types.ts";
import type { Amount } from "../orders/money.ts";
import type { Order, OrderRequest, Rejection } from "../orders/order.ts";

/** The exchange side: the runner (book, guard, matching) of each traded instrument. */
export interface Books {
  /** The runner of an instrument, if it is traded. */
  runner(venue: VenueId, symbol: string): BookRunner | undefined;
  /** Every runner, in configuration order. */
  runners(): readonly BookRunner[];
}

/** Order entry: validates, risk-checks, reserves and sends an order. */
export interface OrderSender {
  /**
   * Sends `req` at `now`; `force` skips the risk manager (kill-switch flattening only).
   *
   * @returns The order, or a rejection with its reason.
   */
  submit(req: OrderRequest, now: number, force?: boolean): Order | Rejection;
}

/** The risk journal: moves pending risk events, book halts and alerts into the log. */
export interface Journal {
  /** Passes pending risk events and alerts to the log and the sink. */
  flushRisk(): void;
  /** Passes the book guard's pending halt changes of `r` to the log; matching follows the guard. */
  guardChanged(r: BookRunner): void;
}

/** The run's order and fill sequence numbers and the fees paid (persisted on restart). */
export interface RunTally {
  /** Orders sent so far. */
  orders: number;
  /** Fills booked so far. */
  fills: number;
  /** Fees paid so far. */
  fees: Amount;
}

/** What the engine tells its persistence sink, with the engine already bound. */
export interface Outbox {
  /** An order was created, restored or changed status. */
  order(order: Order): void;
  /** A decision was made or its outcome settled. */
  decision(record: DecisionRecord): void;
  /** An equity sample was taken. */
  equity(point: EquityPoint): void;
  /** A risk event, book halt or alert was logged. */
  risk(change: RiskLogEntry): void;
}
