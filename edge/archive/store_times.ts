/**
 * What retention asks the store: its size in use, the oldest and newest receive times (the
 * data's clock), with statements prepared once per connection, and a read-only second
 * connection for the archive's reads.
 *
 * @module
 */

import type { DatabaseSync, StatementSync } from "node:sqlite";
import { SqliteStore } from "../store/sqlite_store.ts";

const statements = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * A prepared statement, prepared once per connection: retention runs every few seconds when the
 * store is over its cap, and a statement prepared per call keeps its native memory until V8
 * collects it (a small heap rarely does), which shows as RSS growth.
 */
export function stmt(db: DatabaseSync, sql: string): StatementSync {
  let m = statements.get(db);
  if (!m) statements.set(db, m = new Map());
  let s = m.get(sql);
  if (!s) m.set(sql, s = db.prepare(sql));
  return s;
}

/** Bytes the SQLite store uses (pages in use; freed pages are reused before the file grows). */
export function storeUsedBytes(store: SqliteStore): number {
  const n = (sql: string) => Number(Object.values(stmt(store.db, sql).get() as object)[0]);
  return (n("PRAGMA page_count") - n("PRAGMA freelist_count")) * n("PRAGMA page_size");
}

/** The oldest receive time stored for a book (events or pictures), or undefined. */
export function oldestTime(store: SqliteStore, venue: string, symbol: string): number | undefined {
  const row = stmt(
    store.db,
    `SELECT MIN(t) AS t FROM (
      SELECT MIN(receive_time) AS t FROM book_deltas WHERE venue = ?1 AND symbol = ?2
      UNION ALL SELECT MIN(receive_time) FROM trades WHERE venue = ?1 AND symbol = ?2
      UNION ALL SELECT MIN(receive_time) FROM order_books WHERE venue = ?1 AND symbol = ?2)`,
  ).get(venue, symbol) as { t: number | null };
  return row.t ?? undefined;
}

/** The newest receive time stored (events or pictures), or undefined for an empty store. */
export function newestTime(store: SqliteStore): number | undefined {
  const row = stmt(
    store.db,
    `SELECT MAX(t) AS t FROM (SELECT MAX(receive_time) AS t FROM book_deltas
      UNION ALL SELECT MAX(receive_time) FROM trades UNION ALL SELECT MAX(receive_time) FROM order_books)`,
  ).get() as { t: number | null };
  return row.t ?? undefined;
}

/**
 * A second, read-only connection to the store's file for the archive's reads (no writer lock):
 * a read left open across awaits on the writer's own connection would pin its snapshot, and
 * the writer's next batch would fail "database is locked" (SQLITE_BUSY_SNAPSHOT) once another
 * connection (the paper trader's) committed. An in-memory store reads itself.
 */
export async function readerOf(store: SqliteStore): Promise<SqliteStore> {
  const main = (store.db.prepare("PRAGMA database_list").all() as Array<
    { name: string; file: string }
  >).find((d) => d.name === "main")?.file;
  if (!main) return store;
  return await SqliteStore.open(main, { migrate: false, lock: false });
}
