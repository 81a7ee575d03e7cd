/**
 * Schema set-up of the PostgreSQL store: creating its schema and applying versioned migrations,
 * both safe when several edges start at once (advisory locks).
 *
 * @module
 */
import type postgres from "postgres";
import { type Migration, migrationLabel, pendingMigrations } from "./migration.ts";

/**
 * Creates `schema` if missing, under an advisory lock: concurrent `IF NOT EXISTS` can still
 * collide on the catalog's unique key.
 *
 * @param sql The client.
 * @param schema A checked schema name (see `SCHEMA_NAME`).
 */
export async function createPgSchema(sql: postgres.Sql, schema: string): Promise<void> {
  await sql.begin(async (tx) => {
    await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext($1))", [`tickerml:${schema}`]);
    await tx.unsafe(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  });
}

/** Current schema version of the client's schema (0 for an empty schema). */
export async function pgSchemaVersion(sql: postgres.Sql): Promise<number> {
  const [row] = await sql.unsafe(
    "SELECT to_regclass(quote_ident(current_schema()) || '.schema_migrations') IS NOT NULL AS ok",
  );
  if (!row?.ok) return 0;
  const [v] = await sql.unsafe(
    "SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations",
  );
  return Number(v?.v ?? 0);
}

/**
 * Applies pending migrations in one transaction under an advisory lock on the schema.
 *
 * @param sql The client.
 * @param migrations The migrations, in version order.
 * @returns The version before and the labels of the migrations applied now.
 */
export function applyPgMigrations(
  sql: postgres.Sql,
  migrations: readonly Migration[],
): Promise<{ from: number; applied: string[] }> {
  return sql.begin(async (tx) => {
    await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext('tickerml:' || current_schema()))");
    await tx.unsafe(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)",
    );
    const [row] = await tx.unsafe("SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations");
    const from = Number(row?.v ?? 0);
    const applied: string[] = [];
    for (const m of pendingMigrations(migrations, from)) {
      await tx.unsafe(m.sql);
      await tx.unsafe(
        "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        [m.version, m.name, Date.now()],
      );
      applied.push(migrationLabel(m));
    }
    return { from, applied };
  });
}
