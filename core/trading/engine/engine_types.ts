/**
 * Records and hooks of the {@linkcode TradingEngine}: decisions (experience
 * records), equity samples and the persistence sink.
 *
 * @module
 */

import type { Alert } from "../risk/alerts.ts";
import type { BookHaltChange } from "../books/book_guard.ts";
import type { TradingEngine } from "./engine.ts";
import type { VenueId } from "../../market/instrument.ts";
import type { Amount } from "../orders/money.ts";
import type { Fill, Order } from "../orders/order.ts";
import type { RiskEvent } from "../risk/risk.ts";
import type { Decision } from "../strategy/strategy.ts";

/** One strategy decision (an experience record for training). */
export interface DecisionRecord {
  /** Sequence in the run. */
  readonly seq: number;
  /** Decision time. */
  readonly time: number;
  /** Venue. */
  readonly venue: VenueId;
  /** Symbol. */
  readonly symbol: string;
  /** The decision. */
  readonly decision: Decision;
  /** Mid at decision time, ticks. */
  readonly mid: number | undefined;
  /** Position value / equity of this instrument at decision time, before any order (undefined when equity is not positive). */
  readonly positionFraction: number | undefined;
  /** Horizon of {@linkcode DecisionRecord.outcomeBps}, ms. */
  readonly horizonMs: number;
  /** The sizing cap (max position as a fraction of equity) the decision was sized under. */
  readonly positionCap: number;
  /** Order it produced, if any. */
  orderId: string | undefined;
  /** Why no order was sent (rejection reason), if any. */
  rejected: string | undefined;
  /** Mid change over the outcome horizon, bps (set later). */
  outcomeBps: number | undefined;
}

/** Equity sample (each minute). */
export interface EquityPoint {
  /** Minute boundary, ms. */
  readonly time: number;
  /** Marked-to-market equity, net of fees. */
  readonly equity: Amount;
  /** Fees paid so far (gross equity = equity + fees). */
  readonly fees: Amount;
}

/** One entry of the engine's risk log: a risk event, a book halt change or an alert. */
export type RiskLogEntry = RiskEvent | BookHaltChange | Alert;

/** Receives every state change before the engine acts on it (persistence). */
export interface EngineSink {
  /** An order was created or changed status. */
  onOrder?(order: Order): void;
  /** A fill was booked (after the ledger applied it). */
  onFill?(fill: Fill, engine: TradingEngine): void;
  /** A decision was made. */
  onDecision?(record: DecisionRecord): void;
  /** An equity sample was taken. */
  onEquity?(point: EquityPoint, engine: TradingEngine): void;
  /** Risk state, book halt or alert change. */
  onRisk?(change: RiskLogEntry, engine: TradingEngine): void;
}
