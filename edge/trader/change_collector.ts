/**
 * Collects the engine's state changes between two commits (the engine sink of the
 * paper trader).
 *
 * @module
 */

import type { Alert } from "../../core/trading/risk/alerts.ts";
import type { BookHaltChange } from "../../core/trading/books/book_guard.ts";
import type {
  DecisionRecord,
  EngineSink,
  EquityPoint,
  TradingEngine,
} from "../../core/trading/engine/engine.ts";
import { amountToNumber } from "../../core/trading/orders/money.ts";
import type { Fill, Order } from "../../core/trading/orders/order.ts";
import type { RiskEvent } from "../../core/trading/risk/risk.ts";

import type { EquityRow, PendingChanges } from "../../infra/store/trading/pending_changes.ts";
export type { EquityRow, PendingChanges };

/** An {@linkcode EngineSink} that gathers changes until {@linkcode ChangeCollector.take}. */
export class ChangeCollector implements EngineSink {
  #p: PendingChanges = empty();
  /** Alerts seen, for the caller's log/webhook after the commit. */
  readonly alerts: Alert[] = [];

  /** True when something changed since the last take. */
  get dirty(): boolean {
    const p = this.#p;
    return p.orders.size + p.fills.length + p.decisions.size + p.equity.length + p.risk.length > 0;
  }

  /** Returns the pending changes and starts a new set. */
  take(): PendingChanges {
    const p = this.#p;
    this.#p = empty();
    return p;
  }

  /** Keeps the latest state of an order. */
  onOrder(order: Order): void {
    this.#p.orders.set(order.id, { ...order });
  }

  /** Keeps a fill. */
  onFill(fill: Fill): void {
    this.#p.fills.push(fill);
  }

  /** Keeps the latest state of a decision. */
  onDecision(record: DecisionRecord): void {
    this.#p.decisions.set(record.seq, { ...record });
  }

  /** Keeps an equity sample with its P&L breakdown. */
  onEquity(point: EquityPoint, engine: TradingEngine): void {
    const equity = amountToNumber(point.equity);
    // Peak over the engine's whole curve, so a restarted trader (which re-runs the curve) agrees.
    let peak = equity;
    for (const p of engine.equity) peak = Math.max(peak, amountToNumber(p.equity));
    let realized = 0;
    let unrealized = 0;
    const positions: Record<string, string> = {};
    for (const r of engine.runners()) {
      const p = r.position(engine.ledger);
      realized += amountToNumber(p.realizedGross - p.fees);
      const bid = r.book.bestBidPrice();
      const ask = r.book.bestAskPrice();
      if (p.qty > 0 && bid !== undefined && ask !== undefined) {
        unrealized += amountToNumber(engine.ledger.unrealized(p, r.inst, { bid, ask }));
      }
      if (p.qty > 0) positions[r.key] = String(p.qty);
    }
    const cash = engine.ledger.balances().filter(([, asset]) =>
      engine.cfg.instruments.some((i) => i.quote === asset)
    )
      .reduce((a, [, , v]) => a + amountToNumber(v), 0);
    this.#p.equity.push({
      time: point.time,
      cash,
      equity,
      realized,
      unrealized,
      fees: amountToNumber(point.fees),
      drawdown: peak > 0 ? 1 - equity / peak : 0,
      positions: JSON.stringify(positions),
    });
  }

  /** Keeps a risk event, book halt or alert. */
  onRisk(change: RiskEvent | BookHaltChange | Alert): void {
    this.#p.risk.push(change);
    if ("kind" in change) this.alerts.push(change);
  }
}

function empty(): PendingChanges {
  return { orders: new Map(), fills: [], decisions: new Map(), equity: [], risk: [] };
}
