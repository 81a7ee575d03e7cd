/**
 * What retention asks the store: its size in use, the oldest and newest receive times (the
 * data's clock), and a read-only second connection for the archive's reads. The queries are the
 * store's (infra/store/sqlite_maintenance.ts, statements prepared once per connection).
 *
 * @module
 */

import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import {
  newestStoredTime,
  oldestBookTime,
  sqliteMainFile,
  sqliteUsedBytes,
} from "../../infra/store/sqlite_maintenance.ts";

/** Bytes the SQLite store uses (pages in use; freed pages are reused before the file grows). */
export function storeUsedBytes(store: SqliteStore): number {
  return sqliteUsedBytes(store.db);
}

/** The oldest receive time stored for a book (events or pictures), or undefined. */
export function oldestTime(store: SqliteStore, venue: string, symbol: string): number | undefined {
  return oldestBookTime(store.db, venue, symbol);
}

/** The newest receive time stored (events or pictures), or undefined for an empty store. */
export function newestTime(store: SqliteStore): number | undefined {
  return newestStoredTime(store.db);
}

/**
 * A second, read-only connection to the store's file for the archive's reads (no writer lock):
 * a read left open across awaits on the writer's own connection would pin its snapshot, and
 * the writer's next batch would fail "database is locked" (SQLITE_BUSY_SNAPSHOT) once another
 * connection (the paper trader's) committed. An in-memory store reads itself.
 */
export async function readerOf(store: SqliteStore): Promise<SqliteStore> {
  const main = sqliteMainFile(store.db);
  if (!main) return store;
  return await SqliteStore.open(main, { migrate: false, lock: false });
}
