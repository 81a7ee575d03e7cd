/**
 * Turns a strategy decision into a sized, risk-checked order on one book, and records it.
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { BookRunner } from "../books/book_runner.ts";
import type { PerformanceMonitor } from "../risk/alerts.ts";
import type { DecisionLog } from "./decision_log.ts";
import { type EngineConfig, feesFor, rulesFor } from "./engine_config.ts";
import type { Books, Journal, OrderSender, Outbox } from "./engine_ports.ts";
import type { DecisionRecord } from "./engine_types.ts";
import { exposureAround } from "../portfolio/exposure.ts";
import type { OrderRequest } from "../orders/order.ts";
import { type AccountView, portfolioStateOf } from "../portfolio/portfolio_view.ts";
import type { RiskManager } from "../risk/risk.ts";
import { sizeEntry, sizeExit } from "../orders/sizing.ts";
import type { Decision, Strategy } from "../strategy/strategy.ts";

/** What a decision needs: settings, the strategy, the books, the account, the risk state and order entry. */
export interface DecidePorts {
  /** Settings (rules, fees, sizing, protection band). */
  readonly cfg: EngineConfig;
  /** The strategy that decides. */
  readonly strategy: Strategy;
  /** The books. */
  readonly books: Books;
  /** Balances, positions and equity. */
  readonly account: AccountView;
  /** The risk manager (its state goes to the strategy). */
  readonly risk: Pick<RiskManager, "state">;
  /** Order entry. */
  readonly orders: OrderSender;
}

/** What recording a decision needs besides {@linkcode DecidePorts}. */
export interface RecordPorts extends DecidePorts {
  /** Decisions, their count and pending outcomes. */
  readonly decisionLog: DecisionLog;
  /** The confidence monitor. */
  readonly monitor: PerformanceMonitor;
  /** The sink. */
  readonly out: Outbox;
  /** The risk journal. */
  readonly journal: Journal;
}

/** A decision and what became of it. */
export interface DecisionOutcome {
  /** The strategy's decision. */
  readonly decision: Decision;
  /** The order sent, if any. */
  readonly orderId: string | undefined;
  /** Why nothing was sent, if the decision wanted to trade. */
  readonly rejected: string | undefined;
  /** Position value / equity of the instrument before the decision (undefined when equity ≤ 0). */
  readonly positionFraction: number | undefined;
}

/**
 * Makes one decision on `r` ({@linkcode decideFor}) and records it: the decision log,
 * the confidence monitor, the sink, then the risk log.
 */
export function recordDecision(ports: RecordPorts, r: BookRunner, t: number): void {
  const out = decideFor(ports, r, t);
  const rec: DecisionRecord = {
    seq: ports.decisionLog.count + 1,
    time: t,
    venue: r.inst.venue,
    symbol: r.inst.symbol,
    decision: out.decision,
    mid: r.book.mid(),
    positionFraction: out.positionFraction,
    horizonMs: ports.cfg.outcomeHorizonMs,
    positionCap: ports.cfg.sizing.maxEquityFraction,
    orderId: out.orderId,
    rejected: out.rejected,
    outcomeBps: undefined,
  };
  ports.decisionLog.add(rec);
  if (out.decision.confidence !== undefined) {
    ports.monitor.onConfidence(out.decision.confidence, t);
  }
  ports.out.decision(rec);
  ports.journal.flushRisk();
}

/**
 * Asks the strategy for a decision on `r` and sends the resulting order.
 *
 * Buys are sized by {@linkcode sizeEntry} (equity cap, symbol and venue caps, the
 * portfolio caps over every stream of the account, cash after fee and band headroom); sells by {@linkcode sizeExit} and marked reduce-only.
 * Invalid decisions (unknown action, NaN or out-of-range size) are rejected with a reason.
 */
export function decideFor(ports: DecidePorts, r: BookRunner, t: number): DecisionOutcome {
  const { cfg, account } = ports;
  const ledger = account.ledger;
  const pos = r.position(ledger);
  const portfolio = portfolioStateOf(account, r);
  const decision = ports.strategy.decide({
    time: t,
    inst: r.inst,
    book: r.book,
    position: pos,
    riskState: ports.risk.state,
    portfolio: () => portfolio,
  });
  const positionFraction = portfolio.equity > 0
    ? portfolio.positionValue / portfolio.equity
    : undefined;
  const done = (orderId: string | undefined, rejected: string | undefined): DecisionOutcome => ({
    decision,
    orderId,
    rejected,
    positionFraction,
  });
  const action = decision?.action;
  if (action !== "buy" && action !== "sell" && action !== "hold") {
    return done(
      undefined,
      `invalid decision: action must be buy, sell or hold, got ${String(action)}`,
    );
  }
  if (action === "hold") return done(undefined, undefined);
  if (!Number.isFinite(decision.size) || decision.size < 0 || decision.size > 1) {
    return done(undefined, `invalid decision: size must be in 0..1, got ${decision.size}`);
  }
  if (r.hasOpenOrder()) return done(undefined, "an order is already open on this book");
  const inst = r.inst;
  const rules = rulesFor(cfg, inst);
  let req: OrderRequest;
  if (action === "buy") {
    const ask = r.book.bestAskPrice() as Ticks;
    const bid = r.book.bestBidPrice() as Ticks;
    const held = exposureAround(inst, ports.books.runners(), ledger);
    const taker = BigInt(Math.max(0, feesFor(cfg, inst.venue).takerPpm));
    const band = BigInt(Math.ceil(cfg.maxSlippageBps));
    const avail = ledger.available(inst.venue, inst.quote);
    const cash = avail * 1_000_000n / (1_000_000n + taker) * 10_000n / (10_000n + band);
    const sized = sizeEntry({
      inst,
      rules,
      fraction: decision.size,
      equity: account.equityNow(),
      price: ask,
      symbolExposure: held.instrument,
      venueExposure: held.venue,
      portfolio: held,
      cash: cash > 0n ? cash : 0n,
      limits: cfg.sizing,
    });
    if (!sized.ok) return done(undefined, sized.reason);
    req = decision.orderType === "limit"
      ? {
        venue: inst.venue,
        symbol: inst.symbol,
        side: "buy",
        type: "limit",
        tif: "POST_ONLY",
        price: bid,
        size: sized.size,
        tag: "strategy",
      }
      : {
        venue: inst.venue,
        symbol: inst.symbol,
        side: "buy",
        type: "market",
        size: sized.size,
        tag: "strategy",
      };
  } else {
    const bid = r.book.bestBidPrice() as Ticks;
    const sized = sizeExit({
      inst,
      rules,
      fraction: decision.size,
      held: pos.qty as Lots,
      price: bid,
    });
    if (!sized.ok) return done(undefined, sized.reason);
    const ask = r.book.bestAskPrice() as Ticks;
    req = decision.orderType === "limit"
      ? {
        venue: inst.venue,
        symbol: inst.symbol,
        side: "sell",
        type: "limit",
        tif: "POST_ONLY",
        price: ask,
        size: sized.size,
        reduceOnly: true,
        tag: "strategy",
      }
      : {
        venue: inst.venue,
        symbol: inst.symbol,
        side: "sell",
        type: "market",
        size: sized.size,
        reduceOnly: true,
        tag: "strategy",
      };
  }
  const res = ports.orders.submit(req, t);
  return "ok" in res ? done(undefined, res.reason) : done(res.id, undefined);
}
