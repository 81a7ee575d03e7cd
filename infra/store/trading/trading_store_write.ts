/**
 * One engine step as rows: the pending changes (orders, fills, ledger entries, round trips,
 * risk events, decisions, equity) plus the run's cursor, counters, fees, risk state,
 * balances and positions. Runs inside the caller's transaction.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { TradingEngine } from "../../../core/trading/engine/engine.ts";
import type { PendingChanges } from "./pending_changes.ts";

/** Row counts already written per run (so each step appends only what is new). */
export interface WriteMemo {
  /** Last ledger entry written. */
  readonly ledgerSeq: Map<string, number>;
  /** Round trips written. */
  readonly trips: Map<string, number>;
  /** Risk events written. */
  readonly riskN: Map<string, number>;
}

/** A fresh {@linkcode WriteMemo} (counts are read from the tables on first use). */
export function newWriteMemo(): WriteMemo {
  return { ledgerSeq: new Map(), trips: new Map(), riskN: new Map() };
}

/**
 * Writes one engine step (call inside a transaction). Returns what to do once the transaction
 * has committed: advance the memo and drop the persisted ledger entries from memory. Until then
 * both stay as they were, so a rolled-back step (a full disk) is written whole when retried and
 * the row numbers it would have used are used again (no gap, no collision after a restart).
 */
export function writeStep(
  db: DatabaseSync,
  memo: WriteMemo,
  step: {
    runId: string;
    changes: PendingChanges;
    cursor: number;
    engine: TradingEngine;
    finished: boolean;
  },
): () => void {
  const { runId, changes, cursor, engine, finished } = step;
  const order = db.prepare(
    `INSERT OR REPLACE INTO paper_orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const o of changes.orders.values()) {
    const r = o.request;
    order.run(
      runId,
      o.id,
      r.venue,
      r.symbol,
      r.side,
      r.type,
      r.tif ?? null,
      r.size,
      r.price ?? null,
      r.reduceOnly ? 1 : 0,
      r.tag ?? null,
      o.status,
      o.filled,
      o.submitTime,
      o.arrivalTime,
      o.decisionMid ?? null,
      o.queueAhead,
      o.reason ?? null,
      o.cancelAt ?? null,
    );
  }
  const fill = db.prepare(
    `INSERT INTO paper_fills VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const f of changes.fills) {
    fill.run(
      runId,
      f.seq,
      f.orderId,
      f.venue,
      f.symbol,
      f.side,
      f.price,
      f.size,
      String(f.notional),
      String(f.fee),
      f.liquidity,
      f.time,
      f.decisionMid ?? null,
      f.tag,
    );
  }
  const ledger = engine.ledger;
  const from = memo.ledgerSeq.get(runId) ??
    maxOf(db, "SELECT MAX(seq) AS n FROM paper_ledger WHERE run_id = ?", runId);
  const entry = db.prepare(`INSERT INTO paper_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  for (const e of ledger.entries()) {
    if (e.seq <= from) continue;
    entry.run(
      runId,
      e.seq,
      e.time,
      e.venue,
      e.asset,
      String(e.delta),
      String(e.balance),
      e.kind,
      e.ref,
    );
  }
  const state = ledger.exportState();
  const bal = db.prepare(`INSERT OR REPLACE INTO paper_balances VALUES (?, ?, ?, ?)`);
  for (const [venue, asset, amount] of state.balances) {
    bal.run(runId, venue, asset, String(amount));
  }
  const pos = db.prepare(
    `INSERT OR REPLACE INTO paper_positions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of state.positions) {
    const x = p.position;
    pos.run(
      runId,
      x.venue,
      x.symbol,
      x.qty,
      String(x.cost),
      String(x.realizedGross),
      String(x.fees),
      x.openedAt ?? null,
      String(p.tripFees),
      String(p.tripPeakCost),
      String(p.tripGross),
    );
  }
  const tripsDone = memo.trips.get(runId) ??
    maxOf(db, "SELECT COUNT(*) AS n FROM paper_round_trips WHERE run_id = ?", runId);
  const trip = db.prepare(`INSERT INTO paper_round_trips VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  state.trips.slice(tripsDone).forEach((t, i) =>
    trip.run(
      runId,
      tripsDone + i + 1,
      t.venue,
      t.symbol,
      t.openTime,
      t.closeTime,
      String(t.gross),
      String(t.fees),
      String(t.cost),
    )
  );
  let n = memo.riskN.get(runId) ??
    maxOf(db, "SELECT MAX(n) AS n FROM paper_risk_events WHERE run_id = ?", runId);
  const risk = db.prepare(`INSERT INTO paper_risk_events VALUES (?, ?, ?, ?, ?)`);
  for (const c of changes.risk) {
    risk.run(
      runId,
      ++n,
      c.time,
      "kind" in c ? `alert:${c.kind}` : "halted" in c ? `book:${c.reason}` : "state",
      JSON.stringify(c),
    );
  }
  const dec = db.prepare(
    `INSERT OR REPLACE INTO paper_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const d of changes.decisions.values()) {
    dec.run(
      runId,
      d.seq,
      d.time,
      d.venue,
      d.symbol,
      d.decision.action,
      num(d.decision.size),
      num(d.decision.confidence),
      d.decision.outputs ? JSON.stringify(d.decision.outputs) : null,
      num(d.mid),
      d.orderId ?? null,
      d.rejected ?? null,
      num(d.outcomeBps),
      num(d.positionFraction),
      d.horizonMs,
      d.positionCap,
    );
  }
  const eq = db.prepare(
    `INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown, positions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const p of changes.equity) {
    eq.run(
      p.time,
      runId,
      p.cash,
      p.equity,
      p.realized,
      p.unrealized,
      p.fees,
      p.drawdown,
      p.positions,
    );
  }
  const c = engine.counters;
  db.prepare(
    `UPDATE paper_runs SET cursor = ?, last_time = ?, order_seq = ?, fill_seq = ?, decision_seq = ?, fees = ?, ledger_seq = ?, risk = ?, finished = ? WHERE run_id = ?`,
  ).run(
    cursor,
    Number.isFinite(engine.time) ? engine.time : 0,
    c.orders,
    c.fills,
    c.decisions,
    String(engine.feesPaid),
    ledger.entryCount,
    JSON.stringify(engine.risk.snapshot()),
    finished ? 1 : 0,
    runId,
  );
  const ledgerSeq = ledger.entryCount;
  const trips = state.trips.length;
  return () => {
    memo.ledgerSeq.set(runId, ledgerSeq);
    memo.trips.set(runId, trips);
    memo.riskN.set(runId, n);
    ledger.clearEntries(); // persisted: the trader's memory stays flat over long runs
  };
}

function maxOf(db: DatabaseSync, sql: string, runId: string): number {
  const r = db.prepare(sql).get(runId) as { n: number | null };
  return Number(r.n ?? 0);
}

function num(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}
