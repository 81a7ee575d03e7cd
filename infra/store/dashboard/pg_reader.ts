/**
 * The dashboard's {@linkcode DashboardReader} on a PostgreSQL store: the same `?` queries as
 * SQLite, numbered for PostgreSQL, on a small pool of its own. Tables and columns are looked up
 * in the store's schema (information_schema) and remembered once present, as the SQLite reader
 * does; an unreachable server makes the store unavailable until it answers again.
 *
 * @module
 */

import type postgres from "postgres";
import { StoreUnavailableError } from "../../../core/errors.ts";
import { redactSecrets } from "../../../core/redact.ts";
import { connectPg } from "../pg_client.ts";
import { type Param, QueryReader, type Row } from "./store_reader.ts";

/** `?` placeholders as PostgreSQL's `$1`, `$2`, … (the dashboard's SQL has no `?` in strings). */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** A read connection to the PostgreSQL store for the dashboard. */
export class PgDashboardReader extends QueryReader {
  /** The URL without its password. */
  readonly path: string;
  readonly #url: string;
  readonly #schema: string;
  readonly #sql: postgres.Sql;
  #known = new Set<string>();
  #lastError: string | null = null;

  /**
   * @param url `postgres://` URL of the store.
   * @param schema The store's schema. Default "public".
   */
  constructor(url: string, schema = "public") {
    super();
    this.#url = url;
    this.#schema = schema;
    this.path = redactSecrets(url);
    this.#sql = connectPg(url, schema, 2);
  }

  /** Why the store is not readable, or null. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** {@inheritDoc DashboardReader.available} */
  async available(): Promise<boolean> {
    try {
      await this.#sql.unsafe("SELECT 1");
      this.#lastError = null;
      return true;
    } catch (e) {
      this.#lastError = `cannot reach PostgreSQL: ${this.#safe(e)}`;
      return false;
    }
  }

  /** {@inheritDoc DashboardReader.hasTable} */
  hasTable(table: string): Promise<boolean> {
    return this.#has(
      table,
      "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
      [this.#schema, table],
    );
  }

  /** {@inheritDoc DashboardReader.hasColumn} */
  hasColumn(table: string, column: string): Promise<boolean> {
    return this.#has(
      `${table}.${column}`,
      `SELECT 1 FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = $2 AND column_name = $3`,
      [this.#schema, table, column],
    );
  }

  /** {@inheritDoc DashboardReader.all} */
  async all<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T[]> {
    for (const t of tables) if (!(await this.hasTable(t))) return [];
    try {
      const rows = await this.#sql.unsafe(numberPlaceholders(sql), params as never);
      return rows.map((r) => ({ ...r })) as unknown as T[];
    } catch (e) {
      throw new StoreUnavailableError(
        `Cannot read the store ${this.path}: query failed: ${this.#safe(e)}`,
        { store: this.path },
        { cause: e },
      );
    }
  }

  /** {@inheritDoc DashboardReader.close} */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 1 });
  }

  async #has(key: string, query: string, params: string[]): Promise<boolean> {
    if (this.#known.has(key)) return true;
    try {
      const found = (await this.#sql.unsafe(query, params)).length > 0;
      if (found) this.#known.add(key);
      this.#lastError = null;
      return found;
    } catch (e) {
      this.#lastError = `cannot reach PostgreSQL: ${this.#safe(e)}`;
      return false;
    }
  }

  #safe(e: unknown): string {
    return redactSecrets(e instanceof Error ? e.message : String(e), [this.#url]);
  }
}
