/**
 * The portfolio part of a run report: figures per traded stream (decisions, fills, fees,
 * realized and unrealized P&L gross and net, round trips, the position and its share of the
 * account) and the account's exposure at the end. Stream P&L adds up to the account's P&L
 * when every balance starts in quote assets (USD and USDT at par).
 *
 * @module
 */

import type { TradingEngine } from "../engine/engine.ts";
import { positionValue } from "../portfolio/exposure.ts";
import { amountToNumber } from "../orders/money.ts";

/** One stream's figures (quote units; fractions of the account's final equity). */
export interface StreamReport {
  /** Venue. */
  venue: string;
  /** Normalized symbol. */
  symbol: string;
  /** Decisions asked of the strategy on this stream. */
  decisions: number;
  /** Decisions refused (risk, caps, halts). */
  decisions_rejected: number;
  /** Fills, buys and sells. */
  fills: number;
  /** Buy fills. */
  buys: number;
  /** Sell fills. */
  sells: number;
  /** Notional traded. */
  traded_notional: number;
  /** Fees paid. */
  fees: number;
  /** Realized P&L before fees. */
  realized_gross: number;
  /** Unrealized P&L of the open position, marked at mid. */
  unrealized: number;
  /** Realized + unrealized, before fees. */
  pnl_gross: number;
  /** Realized + unrealized − fees. */
  pnl_net: number;
  /** Closed round trips and the share that made money net of fees. */
  round_trips: number;
  /** Winning share of the round trips (null without any). */
  win_rate: number | null;
  /** Position value at the end, marked at mid. */
  exposure: number;
  /** `exposure` / final equity. */
  exposure_fraction: number;
}

/** The account at the end. */
export interface AccountReport {
  /** Final equity. */
  equity: number;
  /** Sum of the position values. */
  exposure: number;
  /** `exposure` / equity. */
  exposure_fraction: number;
  /** Position value per venue. */
  exposure_by_venue: Record<string, number>;
  /** Balances per "venue:asset" (free + reserved). */
  balances: Record<string, number>;
}

/** Figures per traded stream, in configuration order. */
export function reportStreams(engine: TradingEngine): StreamReport[] {
  const equity = amountToNumber(engine.equityNow());
  const trips = engine.ledger.roundTrips();
  return engine.runners().map((r) => {
    const { venue, symbol } = r.inst;
    const p = r.position(engine.ledger);
    const fills = engine.fills.filter((f) => f.venue === venue && f.symbol === symbol);
    const mine = trips.filter((t) => t.venue === venue && t.symbol === symbol);
    const value = positionValue(r, engine.ledger);
    const unrealized = p.qty > 0 ? amountToNumber(value - p.cost) : 0;
    const realized = amountToNumber(p.realizedGross);
    const fees = amountToNumber(p.fees);
    const d = engine.decisionLog.byStream.get(r.key);
    return {
      venue,
      symbol,
      decisions: d?.decisions ?? 0,
      decisions_rejected: d?.rejected ?? 0,
      fills: fills.length,
      buys: fills.filter((f) => f.side === "buy").length,
      sells: fills.filter((f) => f.side === "sell").length,
      traded_notional: fills.reduce((a, f) => a + amountToNumber(f.notional), 0),
      fees,
      realized_gross: realized,
      unrealized,
      pnl_gross: realized + unrealized,
      pnl_net: realized + unrealized - fees,
      round_trips: mine.length,
      win_rate: mine.length > 0
        ? mine.filter((t) => t.gross - t.fees > 0n).length / mine.length
        : null,
      exposure: amountToNumber(value),
      exposure_fraction: equity > 0 ? amountToNumber(value) / equity : 0,
    };
  });
}

/** The account's equity, exposure and balances at the end. */
export function reportAccount(engine: TradingEngine): AccountReport {
  const equity = amountToNumber(engine.equityNow());
  const byVenue: Record<string, number> = {};
  let exposure = 0;
  for (const r of engine.runners()) {
    const v = amountToNumber(positionValue(r, engine.ledger));
    exposure += v;
    byVenue[r.inst.venue] = (byVenue[r.inst.venue] ?? 0) + v;
  }
  const balances: Record<string, number> = {};
  for (const [venue, asset, amount] of engine.ledger.exportState().balances) {
    balances[`${venue}:${asset}`] = amountToNumber(amount);
  }
  return {
    equity,
    exposure,
    exposure_fraction: equity > 0 ? exposure / equity : 0,
    exposure_by_venue: byVenue,
    balances,
  };
}
