/**
 * The PostgreSQL client set-up shared by the store, tests and benchmarks (npm `postgres`).
 *
 * @module
 */
import postgres from "postgres";

/** Schema names the store accepts (a plain lower-case identifier, no quoting needed). */
export const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * A client pool on `schema` (search path `schema, public` so TimescaleDB's functions resolve),
 * with `bigint` columns read as numbers (fixed-point values and epoch ms are safe integers).
 */
export function connectPg(url: string, schema: string, max: number): postgres.Sql {
  return postgres(url, {
    max,
    connect_timeout: 10,
    onnotice: () => {},
    connection: {
      application_name: "tickerml",
      search_path: schema === "public" ? "public" : `${schema}, public`,
    },
    types: {
      int8: { to: 20, from: [20], serialize: (x: number) => String(x), parse: Number },
    } as never,
  });
}

/** SQLSTATE classes and client codes worth retrying: connection, resources, shutdown, deadlock. */
const TRANSIENT_SQLSTATE = /^(08|53|57P|40001|40P01|55P03)/;
const TRANSIENT_CLIENT = new Set([
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
]);

/** Whether a database error is worth retrying (the server went away, restarts, or a deadlock). */
export function isTransientPgError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== "string") return e instanceof Deno.errors.ConnectionRefused;
  return TRANSIENT_CLIENT.has(code) || TRANSIENT_SQLSTATE.test(code);
}

/**
 * Drops a schema and everything in it (test and benchmark scratch schemas).
 *
 * @param url Server URL.
 * @param schema Schema name (a lower-case identifier).
 */
export async function dropPgSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new TypeError(`bad schema name "${schema}"`);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await sql.unsafe(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}
