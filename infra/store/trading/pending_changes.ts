/**
 * What the paper trader hands the trading store per commit: the engine's state changes since
 * the last commit (gathered by the edge's change collector).
 *
 * @module
 */

import type { Alert } from "../../../core/trading/risk/alerts.ts";
import type { BookHaltChange } from "../../../core/trading/books/book_guard.ts";
import type { DecisionRecord } from "../../../core/trading/engine/engine.ts";
import type { Fill, Order } from "../../../core/trading/orders/order.ts";
import type { RiskEvent } from "../../../core/trading/risk/risk.ts";

/** One `portfolio_state` row. */
export interface EquityRow {
  /** Minute boundary, ms. */
  time: number;
  /** Quote balances (float). */
  cash: number;
  /** Marked equity. */
  equity: number;
  /** Realized P&L net of fees. */
  realized: number;
  /** Unrealized P&L at mid. */
  unrealized: number;
  /** Fees paid so far. */
  fees: number;
  /** Fall from the equity peak, fraction. */
  drawdown: number;
  /** Held sizes by instrument, JSON. */
  positions: string;
}

/** Changes waiting for the next commit. */
export interface PendingChanges {
  /** Orders created or changed (latest state). */
  orders: Map<string, Order>;
  /** New fills. */
  fills: Fill[];
  /** New or updated decisions. */
  decisions: Map<number, DecisionRecord>;
  /** Equity samples with their P&L breakdown. */
  equity: EquityRow[];
  /** Risk events, book halts and alerts. */
  risk: (RiskEvent | BookHaltChange | Alert)[];
}
