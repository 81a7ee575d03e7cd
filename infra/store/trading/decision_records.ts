/**
 * Read access to the paper trader's decision records (`paper_decisions`) in an edge SQLite
 * store, for the trainer's experience replay. Rows come back raw (the reader validates them)
 * and stream: a store may hold months of decisions.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";

/** One `paper_decisions` row as stored (validate before use). */
export type DecisionRecordRow = Record<string, unknown>;

/** A read-only handle on a store's decision records. */
export class DecisionRecordReader {
  readonly #db: DatabaseSync;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Opens the SQLite store at `path` read-only.
   *
   * @throws {Error} When the file cannot be opened (the driver's message).
   */
  static open(path: string): DecisionRecordReader {
    return new DecisionRecordReader(new DatabaseSync(path, { readOnly: true }));
  }

  /**
   * The trading schema's version (0 when the store has no paper-trading tables).
   *
   * @throws {Error} When the file is not an SQLite database.
   */
  tradingSchemaVersion(): number {
    const t = this.#db.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'trading_schema_migrations'",
    ).get();
    if (t === undefined) return 0;
    const r = this.#db.prepare("SELECT MAX(version) AS v FROM trading_schema_migrations").get() as {
      v: number | null;
    };
    return r.v ?? 0;
  }

  /**
   * Every decision record (run id, seq, time, stream, action, size, order, rejection, outcome,
   * position fraction, horizon, position cap), ordered by time, run and sequence.
   */
  rows(): Iterable<DecisionRecordRow> {
    return this.#db.prepare(
      `SELECT run_id, seq, time, venue, symbol, action, size, order_id, rejected, outcome_bps,
              position_fraction, horizon_ms, position_cap FROM paper_decisions ORDER BY time, run_id, seq`,
    ).iterate() as Iterable<DecisionRecordRow>;
  }

  /** Closes the handle. */
  close(): void {
    this.#db.close();
  }
}
