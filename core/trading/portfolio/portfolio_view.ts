/**
 * The paper portfolio as the feature engine sees it ({@linkcode PortfolioState}):
 * floats in the instrument's quote currency, for portfolio-aware features.
 *
 * @module
 */

import type { PortfolioState } from "../../features/portfolio.ts";
import type { BookRunner } from "../books/book_runner.ts";
import { type Ledger, midValue } from "../ledger/ledger.ts";
import { type Amount, amountToNumber } from "../orders/money.ts";

/** The account as the portfolio view reads it (the trading engine is one). */
export interface AccountView {
  /** Balances and positions. */
  readonly ledger: Ledger;
  /** Marked-to-market equity now. */
  equityNow(): Amount;
}

/**
 * Equity, free cash of the quote asset on the venue, marked position value and
 * unrealized P&L of `r`'s instrument, and when the position was opened.
 */
export function portfolioStateOf(account: AccountView, r: BookRunner): PortfolioState {
  const p = r.position(account.ledger);
  const bid = r.book.bestBidPrice();
  const ask = r.book.bestAskPrice();
  const marked = p.qty > 0 && bid !== undefined && ask !== undefined;
  const value = marked ? midValue(r.inst, p.qty, { bid, ask }) : p.cost;
  return {
    equity: amountToNumber(account.equityNow()),
    cash: amountToNumber(account.ledger.available(r.inst.venue, r.inst.quote)),
    positionValue: amountToNumber(value),
    unrealizedPnl: amountToNumber(value - p.cost),
    positionOpenedAt: p.openedAt,
  };
}
