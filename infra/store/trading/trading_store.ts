/**
 * Persistence of the paper trader in SQLite (the same file as the market store).
 * {@linkcode TradingStore.commit} writes every state change of one engine step in one
 * transaction (orders, fills, ledger entries, balances, positions, round trips, equity,
 * risk events, decisions and the replay cursor); {@linkcode TradingStore.commitControl}
 * does the same for an operator command together with the command's new status;
 * {@linkcode TradingStore.load} reads it back for a restart.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { TradingEngine } from "../../../core/trading/engine/engine.ts";
import type { ControlCommand, ControlOutcome } from "../../../core/trading/engine/controls.ts";
import type { RiskSnapshot } from "../../../core/trading/risk/risk.ts";
import { SqliteStore } from "../sqlite_store.ts";
import { pendingMigrations } from "../migration.ts";
import type { PendingChanges } from "./pending_changes.ts";
import {
  type HandledControl,
  handledControls,
  hasControlTable,
  pendingControls,
  stillPending,
  writeHandled,
} from "./control_rows.ts";
import { TRADING_MIGRATIONS } from "./trading_migrations.ts";
import { loadRun, type PersistedRun } from "./trading_store_load.ts";
import { newWriteMemo, type WriteMemo, writeStep } from "./trading_store_write.ts";
import { sqliteTransaction } from "../sqlite_transaction.ts";
export type { PersistedRun } from "./trading_store_load.ts";

/** SQLite persistence of paper-trading runs. */
export class TradingStore {
  readonly #market: SqliteStore;
  readonly #db: DatabaseSync;
  readonly #memo: WriteMemo = newWriteMemo();
  #controlTable = false;

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
    for (const m of pendingMigrations(TRADING_MIGRATIONS, row.v ?? 0)) {
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
    let committed: (() => void) | undefined;
    this.#tx(() => {
      committed = writeStep(this.#db, this.#memo, { runId, changes, cursor, engine, finished });
    });
    committed?.();
  }

  /** Pending operator commands, oldest first ([] while the store has no `control_commands`). */
  pendingControls(limit = 100): ControlCommand[] {
    if (!this.#controlTable && !(this.#controlTable = hasControlTable(this.#db))) return [];
    return pendingControls(this.#db, limit);
  }

  /**
   * Handles one operator command atomically. In one transaction: checks the command is still
   * pending, calls `apply` (which changes the engine and returns the outcome and the engine's
   * pending changes), writes those changes with the run's state and `cursor`, marks the
   * command applied or rejected and records it in `paper_controls`. A crash leaves either
   * all of it or none. Returns undefined (nothing applied) when another process handled the
   * command first.
   */
  commitControl(
    runId: string,
    id: number,
    cursor: number,
    engine: TradingEngine,
    apply: (cmd: ControlCommand) => { outcome: ControlOutcome; changes: PendingChanges },
    handledAt: number,
  ): HandledControl | undefined {
    let handled: HandledControl | undefined;
    let committed: (() => void) | undefined;
    this.#tx(() => {
      const cmd = stillPending(this.#db, id);
      if (!cmd) return;
      const time = engine.time;
      const { outcome, changes } = apply(cmd);
      committed = writeStep(this.#db, this.#memo, {
        runId,
        changes,
        cursor,
        engine,
        finished: false,
      });
      handled = { command: cmd, cursor, time, outcome, handledAt };
      writeHandled(this.#db, runId, handled);
    });
    committed?.();
    return handled;
  }

  /** The operator commands a run handled, in order (for the restart replay). */
  controls(runId: string): HandledControl[] {
    return handledControls(this.#db, runId);
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
        "paper_controls",
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

  #tx(fn: () => void): void {
    sqliteTransaction(this.#db, fn);
  }
}
