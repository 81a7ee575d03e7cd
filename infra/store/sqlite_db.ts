/**
 * The SQLite handle type, for runtime code that passes an open store's handle to infra/store's
 * functions without importing the driver itself.
 *
 * @module
 */

export type { DatabaseSync as SqliteDatabase } from "node:sqlite";
