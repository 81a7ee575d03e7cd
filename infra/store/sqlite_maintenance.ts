/**
 * Maintenance of an SQLite store's market tables: its footprint (bytes in use, oldest stored
 * time), per-hour row counts, and deleting an archived hour. Used by the edge's retention and
 * storage report, and by `archive --measure` (a vacuumed copy).
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { sqliteTransaction } from "./sqlite_transaction.ts";
import { sqliteHasTable } from "./sqlite_repositories.ts";

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * A prepared statement, prepared once per connection: retention runs every few seconds when the
 * store is over its cap, and a statement prepared per call keeps its native memory until V8
 * collects it (a small heap rarely does), which shows as RSS growth.
 */
function stmt(db: DatabaseSync, sql: string): StatementSync {
  let m = statements.get(db);
  if (!m) statements.set(db, m = new Map());
  let s = m.get(sql);
  if (!s) m.set(sql, s = db.prepare(sql));
  return s;
}

const one = (db: DatabaseSync, sql: string) =>
  Number(Object.values(stmt(db, sql).get() as object)[0] ?? 0);

/** Bytes the SQLite store uses (pages in use; freed pages are reused before the file grows). */
export function sqliteUsedBytes(db: DatabaseSync): number {
  return (one(db, "PRAGMA page_count") - one(db, "PRAGMA freelist_count")) *
    one(db, "PRAGMA page_size");
}

/** Bytes of the database file's pages, free ones included (after a VACUUM: its size). */
export function sqliteFileBytes(db: DatabaseSync): number {
  return one(db, "PRAGMA page_count") * one(db, "PRAGMA page_size");
}

const OLDEST_SQL = `SELECT MIN(t) AS t FROM (
      SELECT MIN(receive_time) AS t FROM book_deltas WHERE venue = ?1 AND symbol = ?2
      UNION ALL SELECT MIN(receive_time) FROM trades WHERE venue = ?1 AND symbol = ?2
      UNION ALL SELECT MIN(receive_time) FROM order_books WHERE venue = ?1 AND symbol = ?2)`;

/** The oldest receive time stored for a book (events or pictures), or undefined. */
export function oldestBookTime(
  db: DatabaseSync,
  venue: string,
  symbol: string,
): number | undefined {
  const row = stmt(db, OLDEST_SQL).get(venue, symbol) as { t: number | null };
  return row.t ?? undefined;
}

/** The oldest receive time stored for any recorded instrument, or undefined. */
export function oldestStoredTime(db: DatabaseSync): number | undefined {
  if (!sqliteHasTable(db, "instruments") || !sqliteHasTable(db, "book_deltas")) return undefined;
  const stmt = db.prepare(OLDEST_SQL);
  let oldest: number | undefined;
  for (const r of db.prepare("SELECT venue, symbol FROM instruments").all()) {
    const t = (stmt.get(r.venue as string, r.symbol as string) as { t: number | null }).t;
    if (t !== null && (oldest === undefined || t < oldest)) oldest = t;
  }
  return oldest;
}

/** The newest receive time stored (events or pictures), or undefined for an empty store. */
export function newestStoredTime(db: DatabaseSync): number | undefined {
  const row = stmt(
    db,
    `SELECT MAX(t) AS t FROM (SELECT MAX(receive_time) AS t FROM book_deltas
      UNION ALL SELECT MAX(receive_time) FROM trades UNION ALL SELECT MAX(receive_time) FROM order_books)`,
  ).get() as { t: number | null };
  return row.t ?? undefined;
}

/** The file of the connection's main database, or undefined for an in-memory one. */
export function sqliteMainFile(db: DatabaseSync): string | undefined {
  const rows = stmt(db, "PRAGMA database_list").all() as Array<{ name: string; file: string }>;
  return rows.find((d) => d.name === "main")?.file || undefined;
}

/** One book's window: venue, symbol, receive time from (inclusive) to (exclusive). */
export interface BookWindow {
  readonly venue: string;
  readonly symbol: string;
  readonly fromTime: number;
  readonly toTime: number;
}

const WHERE = "venue = ? AND symbol = ? AND receive_time >= ? AND receive_time < ?";
const args = (w: BookWindow) => [w.venue, w.symbol, w.fromTime, w.toTime] as const;

/** Rows of a window as "deltas,trades,venue snapshots,periodic pictures". */
export function windowRowCounts(db: DatabaseSync, w: BookWindow): string {
  const count = (sql: string) => (stmt(db, sql).get(...args(w)) as { n: number }).n;
  return [
    count(`SELECT COUNT(*) AS n FROM book_deltas WHERE ${WHERE}`),
    count(`SELECT COUNT(*) AS n FROM trades WHERE ${WHERE}`),
    count(`SELECT COUNT(*) AS n FROM order_books WHERE ${WHERE} AND source = 'venue'`),
    count(`SELECT COUNT(*) AS n FROM order_books WHERE ${WHERE} AND source = 'periodic'`),
  ].join();
}

/**
 * Deletes a window's deltas, trades and book rows in one transaction, after `check` (given the
 * window's row counts inside the transaction) accepts them; `check` throws to keep them.
 */
export function deleteWindow(
  db: DatabaseSync,
  w: BookWindow,
  check: (counts: string) => void,
): void {
  sqliteTransaction(db, () => {
    check(windowRowCounts(db, w));
    for (const t of ["book_deltas", "trades", "order_books"]) {
      stmt(db, `DELETE FROM ${t} WHERE ${WHERE}`).run(...args(w));
    }
  });
}

/** Writes a compacted copy of the SQLite store at `path` to `target` (VACUUM INTO). */
export function vacuumInto(path: string, target: string): void {
  const src = new DatabaseSync(path, { readOnly: true });
  try {
    src.exec(`VACUUM INTO '${target.replaceAll("'", "''")}'`);
  } finally {
    src.close();
  }
}

/** Compacts the database (VACUUM). */
export function vacuum(db: DatabaseSync): void {
  db.exec("VACUUM");
}
