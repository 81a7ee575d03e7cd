/**
 * One SQLite transaction done right: when the work fails, roll back only if SQLite still has
 * a transaction open. On "database or disk is full" (and some I/O errors) SQLite has already
 * rolled back by itself, and a blind `ROLLBACK` would throw "cannot rollback - no transaction is
 * active", hiding the real error. The error the caller sees is always the first one.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/**
 * Runs `fn` inside `BEGIN IMMEDIATE` (or `begin`) ... `COMMIT`, rolling back on failure without
 * ever replacing the original error.
 *
 * @param db The database.
 * @param fn The work (synchronous statements).
 * @param begin The statement that opens the transaction. Default `BEGIN IMMEDIATE`.
 * @returns What `fn` returned.
 * @throws The error of `fn` (or of `COMMIT`), never one of the rollback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { DatabaseSync } from "node:sqlite";
 * import { sqliteTransaction } from "./sqlite_transaction.ts";
 * const db = new DatabaseSync(":memory:");
 * db.exec("CREATE TABLE t (x INTEGER)");
 * assert.throws(() => sqliteTransaction(db, () => {
 *   db.exec("INSERT INTO t VALUES (1)");
 *   throw new Error("boom");
 * }), /boom/);
 * assert.equal((db.prepare("SELECT COUNT(*) AS n FROM t").get() as { n: number }).n, 0);
 * ```
 */
export function sqliteTransaction<T>(
  db: DatabaseSync,
  fn: () => T,
  begin = "BEGIN IMMEDIATE",
): T {
  db.exec(begin);
  try {
    const out = fn();
    db.exec("COMMIT");
    return out;
  } catch (e) {
    if (db.isTransaction) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // The original error is the one worth reporting; SQLite has already given up the transaction.
      }
    }
    throw e;
  }
}

/**
 * Whether an error means the disk (or the database's size limit) is full: SQLITE_FULL.
 *
 * @param e Any thrown value.
 */
export function isDiskFullError(e: unknown): boolean {
  return e instanceof Error && /database or disk is full|SQLITE_FULL|ENOSPC|No space left/i
    .test(e.message);
}

/**
 * Whether an error means the store cannot be written at all (read-only file or filesystem).
 *
 * @param e Any thrown value.
 */
export function isReadOnlyError(e: unknown): boolean {
  return e instanceof Error &&
    /readonly database|read-only file system|SQLITE_READONLY|EROFS/i.test(e.message);
}
