/**
 * Versioned schema migrations, as both store backends (and the trading store) apply
 * them: each backend runs the SQL of its own dialect, in its own transactions, but
 * picks and names the pending migrations the same way.
 *
 * @module
 */

/** One versioned schema change. */
export interface Migration {
  /** Strictly increasing version, starting at 1. */
  readonly version: number;
  /** Short name, recorded in `schema_migrations`. */
  readonly name: string;
  /** SQL statements to run in one transaction. */
  readonly sql: string;
}

/**
 * The migrations still to apply to a schema at version `from`, in list order.
 *
 * @param migrations The backend's migrations, in version order.
 * @param from The schema's current version (0 for an empty schema).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pendingMigrations } from "./migration.ts";
 * const list = [1, 2, 3].map((version) => ({ version, name: `v${version}`, sql: "" }));
 * assert.deepEqual(pendingMigrations(list, 1).map((m) => m.version), [2, 3]);
 * ```
 */
export function pendingMigrations(
  migrations: readonly Migration[],
  from: number,
): Migration[] {
  return migrations.filter((m) => m.version > from);
}

/**
 * How an applied migration is listed in a migration report: `"<version> <name>"`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { migrationLabel } from "./migration.ts";
 * assert.equal(migrationLabel({ version: 2, name: "news", sql: "" }), "2 news");
 * ```
 */
export function migrationLabel(migration: Migration): string {
  return `${migration.version} ${migration.name}`;
}
