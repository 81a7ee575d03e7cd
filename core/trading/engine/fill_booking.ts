/**
 * Booking a fill on the account (the local side of a fill): the ledger applies it, an
 * operator flatten that is complete ends, the fill joins the run's list, and a round
 * trip it closes goes to the risk manager's breakers and the performance monitor.
 *
 * @module
 */

import type { Instrument } from "../../market/instrument.ts";
import type { Ledger, RoundTrip } from "../ledger/ledger.ts";
import { amountToNumber } from "../orders/money.ts";
import type { Fill } from "../orders/order.ts";
import type { PerformanceMonitor } from "../risk/alerts.ts";
import type { RiskManager } from "../risk/risk.ts";
import type { Books, Journal } from "./engine_ports.ts";

/** What booking a fill touches. */
export interface BookingPorts {
  /** Balances and positions. */
  readonly ledger: Ledger;
  /** The books (an operator flatten under way on the fill's book). */
  readonly books: Books;
  /** Every fill of the run, in order. */
  readonly fills: Fill[];
  /** The risk manager (round-trip breakers). */
  readonly risk: Pick<RiskManager, "onRoundTrip">;
  /** The performance monitor (round-trip returns). */
  readonly monitor: Pick<PerformanceMonitor, "onRoundTrip">;
  /** The risk journal. */
  readonly journal: Journal;
}

/** Books `f` on the account of `inst`; a round trip it closes is passed to risk and alerts. */
export function bookFill(ports: BookingPorts, f: Fill, inst: Instrument): void {
  const { ledger } = ports;
  const before = ledger.roundTrips().length;
  ledger.applyFill(f, inst);
  const r = ports.books.runner(inst.venue, inst.symbol);
  if (r?.flatten && (f.side === "buy" || r.position(ledger).qty <= 0)) r.flatten = undefined;
  ports.fills.push(f);
  const trips = ledger.roundTrips();
  if (trips.length > before) tripClosed(ports, trips[trips.length - 1] as RoundTrip);
}

function tripClosed(ports: BookingPorts, trip: RoundTrip): void {
  const net = amountToNumber(trip.gross - trip.fees);
  ports.risk.onRoundTrip(trip.closeTime, net);
  const cost = amountToNumber(trip.cost);
  if (cost > 0) ports.monitor.onRoundTrip(net / cost, trip.closeTime);
  ports.journal.flushRisk();
}
