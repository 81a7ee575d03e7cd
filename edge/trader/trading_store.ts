/**
 * Persistence of the paper trader in SQLite (the same file as the market store).
 * {@linkcode TradingStore.commit} writes every state change of one engine step in one
 * transaction (orders, fills, ledger entries, balances, positions, round trips, equity,
 * risk events, decisions and the replay cursor); {@linkcode TradingStore.load} reads
 * it back for a restart.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { TradingEngine } from "../../core/trading/engine.ts";
import type { RiskSnapshot } from "../../core/trading/risk.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import type { PendingChanges } from "./change_collector.ts";
import { TRADING_MIGRATIONS } from "./trading_migrations.ts";
import { loadRun, type PersistedRun } from "./trading_store_load.ts";
export type { PersistedRun } from "./trading_store_load.ts";

/** SQLite persistence of paper-trading runs. */
export class TradingStore {
  readonly #market: SqliteStore;
  readonly #db: DatabaseSync;
  #ledgerSeq = new Map<string, number>();
  #trips = new Map<string, number>();
  #riskN = new Map<string, number>();

  private constructor(market: SqliteStore) {
    this.#market = market;
    this.#db = market.db;
  }

  /** Opens (creating and migrating) the store at `path` (":memory:" for tests). */
  static async open(path: string): Promise<TradingStore> {
    const market = await SqliteStore.open(path);
    const store = new TradingStore(market);
    store.#migrate();
    return store;
  }

  #migrate(): void {
    const db = this.#db;
    db.exec(
      "CREATE TABLE IF NOT EXISTS trading_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    );
    const row = db.prepare("SELECT MAX(version) AS v FROM trading_schema_migrations").get() as {
      v: number | null;
    };
    for (const m of TRADING_MIGRATIONS) {
      if (m.version <= (row.v ?? 0)) continue;
      this.#tx(() => {
        db.exec(m.sql);
        db.prepare("INSERT INTO trading_schema_migrations VALUES (?, ?, ?)").run(
          m.version,
          m.name,
          Date.now(),
        );
      });
    }
  }

  /** Creates a run row (cursor 0) unless it exists. */
  beginRun(
    runId: string,
    meta: { strategy: string; sources: readonly string[]; risk: RiskSnapshot },
  ): void {
    this.#db.prepare(
      `INSERT OR IGNORE INTO paper_runs (run_id, strategy, created_at, sources, cursor, last_time, order_seq, fill_seq, decision_seq, fees, ledger_seq, risk)
       VALUES (?, ?, ?, ?, 0, 0, 0, 0, 0, '0', 0, ?)`,
    ).run(
      runId,
      meta.strategy,
      Date.now(),
      JSON.stringify(meta.sources),
      JSON.stringify(meta.risk),
    );
  }

  /**
   * Writes one engine step atomically: the pending changes plus the run's cursor,
   * counters, fees, risk state, balances and positions.
   */
  commit(
    runId: string,
    changes: PendingChanges,
    cursor: number,
    engine: TradingEngine,
    finished = false,
  ): void {
    const db = this.#db;
    this.#tx(() => {
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
      const from = this.#ledgerSeq.get(runId) ?? this.#maxLedgerSeq(runId);
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
      this.#ledgerSeq.set(runId, ledger.entryCount);
      ledger.clearEntries(); // persisted: the trader's memory stays flat over long runs
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
      const tripsDone = this.#trips.get(runId) ?? this.#count("paper_round_trips", runId);
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
      this.#trips.set(runId, state.trips.length);
      let n = this.#riskN.get(runId) ?? this.#count("paper_risk_events", runId);
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
      this.#riskN.set(runId, n);
      const dec = db.prepare(
        `INSERT OR REPLACE INTO paper_decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    });
  }

  /** Reads a run back, or undefined when the store has none of that id. */
  load(runId: string): PersistedRun | undefined {
    return loadRun(this.#db, runId);
  }

  /** Row counts of the trading tables of a run. */
  counts(runId: string): Record<string, number> {
    const out: Record<string, number> = {};
    for (
      const t of [
        "paper_orders",
        "paper_fills",
        "paper_ledger",
        "paper_decisions",
        "paper_risk_events",
        "portfolio_state",
      ]
    ) {
      out[t] = this.#count(t, runId);
    }
    return out;
  }

  /** Closes the database. */
  close(): Promise<void> {
    return this.#market.close();
  }

  #count(table: string, runId: string): number {
    const r = this.#db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(
      runId,
    ) as { n: number };
    return Number(r.n);
  }

  #maxLedgerSeq(runId: string): number {
    const r = this.#db.prepare("SELECT MAX(seq) AS s FROM paper_ledger WHERE run_id = ?").get(
      runId,
    ) as { s: number | null };
    return Number(r.s ?? 0);
  }

  #tx(fn: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      fn();
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }
}

function num(v: number | undefined): number | null {
  return v === undefined || !Number.isFinite(v) ? null : v;
}
