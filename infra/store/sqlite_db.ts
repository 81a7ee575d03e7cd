/**
 * The SQLite handle type, for runtime code that passes an open store's handle to infra/store's
 * functions without importing the driver itself.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";

export type { DatabaseSync as SqliteDatabase };

/** Opens the SQLite store at `path` read-only (checks and reports). */
export function openSqliteReadOnly(path: string): DatabaseSync {
  return new DatabaseSync(path, { readOnly: true });
}
