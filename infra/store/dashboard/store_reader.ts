import { StoreUnavailableError } from "../../../core/errors.ts";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";

/** A row as node:sqlite returns it. */
export type Row = Record<string, unknown>;

/**
 * A read-only connection to the SQLite store the edge writes (WAL lets it read while the edge
 * writes). Opens lazily and retries on the next call when the file does not exist yet; a table
 * the store does not have (yet) reads as empty, so the dashboard runs against any schema version.
 */
export class StoreReader {
  /** Path of the store file. */
  readonly path: string;
  #db: DatabaseSync | undefined;
  #tables = new Set<string>();
  #stmts = new Map<string, StatementSync>();
  #lastError: string | null = null;

  /** @param path The SQLite file the edge writes. */
  constructor(path: string) {
    this.path = path;
  }

  /** Whether the file is open; tries to open it when not. */
  available(): boolean {
    return this.#open() !== undefined;
  }

  /** Why the store is not readable, or null. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** Whether `table` exists (re-checked until it does: the edge may migrate later). */
  hasTable(table: string): boolean {
    if (this.#tables.has(table)) return true;
    if (!this.#open()) return false;
    const row = this.#stmt("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    if (row) this.#tables.add(table);
    return row !== undefined;
  }

  /** Whether `table` has `column` (for optional columns added by later migrations). */
  hasColumn(table: string, column: string): boolean {
    if (!this.hasTable(table)) return false;
    const key = `${table}.${column}`;
    if (this.#tables.has(key)) return true;
    const cols = this.#open()!.prepare(`PRAGMA table_info(${table})`).all() as Row[];
    const found = cols.some((c) => c.name === column);
    if (found) this.#tables.add(key);
    return found;
  }

  /**
   * Runs a query over `tables`; returns [] when any of them is missing or the store is unreadable.
   *
   * @param tables Tables the query reads.
   * @param sql The statement (prepared once and cached).
   * @param params Bound parameters.
   */
  all<T = Row>(tables: readonly string[], sql: string, ...params: SQLInputValue[]): T[] {
    if (!tables.every((t) => this.hasTable(t))) return [];
    try {
      return this.#stmt(sql).all(...params) as T[];
    } catch (e) {
      throw new StoreUnavailableError(
        `Cannot read the store ${this.path}: query failed: ${(e as Error).message}`,
        { store: this.path },
        { cause: e },
      );
    }
  }

  /** Like {@linkcode all} for one row; undefined when absent. */
  get<T = Row>(tables: readonly string[], sql: string, ...params: SQLInputValue[]): T | undefined {
    return this.all<T>(tables, sql, ...params)[0];
  }

  /**
   * Rows of an append-only table after the cursor `afterId` (oldest first), or, when `afterId`
   * is negative, the latest `limit` rows (newest first, by `latestBy` or the key).
   *
   * @param q Table, selected columns, cursor column, cursor, row limit.
   */
  rowsAfter(
    q: {
      table: string;
      columns: string;
      key: string;
      afterId: number;
      limit: number;
      latestBy?: string;
    },
  ): Row[] {
    const base = `SELECT ${q.columns} FROM ${q.table}`;
    return q.afterId < 0
      ? this.all([q.table], `${base} ORDER BY ${q.latestBy ?? q.key} DESC LIMIT ?`, q.limit)
      : this.all(
        [q.table],
        `${base} WHERE ${q.key} > ? ORDER BY ${q.key} LIMIT ?`,
        q.afterId,
        q.limit,
      );
  }

  /** Closes the connection. */
  close(): void {
    this.#db?.close();
    this.#db = undefined;
    this.#stmts.clear();
  }

  #stmt(sql: string): StatementSync {
    let st = this.#stmts.get(sql);
    if (!st) {
      st = this.#open()!.prepare(sql);
      this.#stmts.set(sql, st);
    }
    return st;
  }

  #open(): DatabaseSync | undefined {
    if (this.#db) return this.#db;
    try {
      Deno.statSync(this.path);
    } catch {
      this.#lastError = `the file does not exist yet (start the edge or run a replay with --store)`;
      return undefined;
    }
    try {
      const db = new DatabaseSync(this.path, { readOnly: true });
      db.exec("PRAGMA busy_timeout = 2000;");
      this.#db = db;
      this.#lastError = null;
      return db;
    } catch (e) {
      this.#lastError = `cannot open read-only: ${(e as Error).message}`;
      return undefined;
    }
  }
}
