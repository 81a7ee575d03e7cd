/**
 * The paper portfolio as the feature engine sees it ({@linkcode PortfolioState}):
 * floats in the instrument's quote currency, for portfolio-aware features.
 *
 * @module
 */

import type { PortfolioState } from "../features/portfolio.ts";
import type { BookRunner } from "./book_runner.ts";
import type { TradingEngine } from "./engine.ts";
import { midValue } from "./ledger.ts";
import { amountToNumber } from "./money.ts";

/**
 * Equity, free cash of the quote asset on the venue, marked position value and
 * unrealized P&L of `r`'s instrument, and when the position was opened.
 */
export function portfolioStateOf(engine: TradingEngine, r: BookRunner): PortfolioState {
  const p = r.position(engine.ledger);
  const bid = r.book.bestBidPrice();
  const ask = r.book.bestAskPrice();
  const marked = p.qty > 0 && bid !== undefined && ask !== undefined;
  const value = marked ? midValue(r.inst, p.qty, { bid, ask }) : p.cost;
  return {
    equity: amountToNumber(engine.equityNow()),
    cash: amountToNumber(engine.ledger.available(r.inst.venue, r.inst.quote)),
    positionValue: amountToNumber(value),
    unrealizedPnl: amountToNumber(value - p.cost),
    positionOpenedAt: p.openedAt,
  };
}
