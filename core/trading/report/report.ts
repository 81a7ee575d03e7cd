/**
 * Turns a finished engine into report figures: net and gross (before fees) metrics
 * from the minute equity curve, round trips and fills, plus order and decision counts.
 *
 * @module
 */

import { computeMetrics, type Metrics } from "../../metrics.ts";
import type { TradingEngine } from "../engine/engine.ts";
import { amountToNumber } from "../orders/money.ts";
import {
  type AccountReport,
  reportAccount,
  reportStreams,
  type StreamReport,
} from "./stream_report.ts";

/** Report of one strategy run (JSON-ready). */
export interface RunReport {
  /** Strategy name. */
  strategy: string;
  /** Metrics net of fees. */
  net: Metrics;
  /** Metrics before fees (equity + fees paid so far; trips' gross P&L). */
  gross: Metrics;
  /** Orders sent. */
  orders: number;
  /** Orders filled completely. */
  orders_filled: number;
  /** Decisions asked of the strategy. */
  decisions: number;
  /** Decisions that wanted to trade but were refused (risk, sizing, halts). */
  decisions_rejected: number;
  /** Maker share of fill notional. */
  maker_share: number | null;
  /** Risk state at the end. */
  risk_state: string;
  /** Risk events, book halts and alerts. */
  risk_events: number;
  /** Malformed events the engine refused. */
  bad_events: number;
  /** Figures per traded stream. */
  streams: StreamReport[];
  /** The account at the end: exposure (total, per venue) and balances. */
  account: AccountReport;
  /** Equity curve (time ms, net equity, gross equity), one point a minute. */
  equity: [number, number, number][];
}

/** Builds the {@linkcode RunReport} of an engine. */
export function reportRun(engine: TradingEngine): RunReport {
  const pd = new Map(engine.cfg.instruments.map((i) => [`${i.venue}:${i.symbol}`, i]));
  const equity = engine.equity.map((p) =>
    [p.time, amountToNumber(p.equity), amountToNumber(p.equity + p.fees)] as [
      number,
      number,
      number,
    ]
  );
  const fills = engine.fills.map((f) => {
    const inst = pd.get(`${f.venue}:${f.symbol}`);
    const scale = 10 ** (inst?.priceDecimals ?? 0);
    return {
      side: f.side,
      price: f.price / scale,
      notional: amountToNumber(f.notional),
      fee: amountToNumber(f.fee),
      arrivalMid: f.decisionMid === undefined ? undefined : f.decisionMid / scale,
    };
  });
  const trips = engine.ledger.roundTrips().map((t) => ({
    gross: amountToNumber(t.gross),
    fees: amountToNumber(t.fees),
  }));
  const net = computeMetrics({
    equity: equity.map(([time, value]) => ({ time, value })),
    trips,
    fills,
  });
  const gross = computeMetrics({
    equity: equity.map(([time, , value]) => ({ time, value })),
    trips: trips.map((t) => ({ gross: t.gross, fees: 0 })),
    fills: fills.map((f) => ({ ...f, fee: 0 })),
  });
  let maker = 0;
  let total = 0;
  for (const f of engine.fills) {
    const n = amountToNumber(f.notional);
    total += n;
    if (f.liquidity === "maker") maker += n;
  }
  const orders = [...engine.orders.values()];
  return {
    strategy: engine.strategy.name,
    net,
    gross,
    orders: orders.length,
    orders_filled: orders.filter((o) => o.status === "filled").length,
    decisions: engine.decisionLog.count,
    decisions_rejected: engine.decisionLog.rejected,
    maker_share: total > 0 ? maker / total : null,
    risk_state: engine.risk.state,
    risk_events: engine.riskLog.length,
    bad_events: engine.badEvents.count,
    streams: reportStreams(engine),
    account: reportAccount(engine),
    equity,
  };
}
