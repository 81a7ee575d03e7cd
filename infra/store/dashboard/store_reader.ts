import { StoreUnavailableError } from "../../../core/errors.ts";
import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import { settled } from "../settled.ts";

/** A row as the store returns it. */
export type Row = Record<string, unknown>;

/** A bound query parameter. */
export type Param = string | number | null;

/**
 * What the dashboard reads the store through, on either backend: the SQLite file the edge
 * writes ({@linkcode StoreReader}) or PostgreSQL (`PgDashboardReader`, pg_reader.ts). Queries
 * are written with `?` placeholders; a table the store does not have (yet) reads as empty, so
 * the dashboard runs against any schema version.
 */
export interface DashboardReader {
  /** Where the store is (file path, or the PostgreSQL URL without its password). */
  readonly path: string;
  /** Why the store is not readable, or null. */
  readonly lastError: string | null;
  /** Whether the store is open; tries to open it when not. */
  available(): Promise<boolean>;
  /** Whether `table` exists (re-checked until it does: the edge may migrate later). */
  hasTable(table: string): Promise<boolean>;
  /** Whether `table` has `column` (for optional columns added by later migrations). */
  hasColumn(table: string, column: string): Promise<boolean>;
  /**
   * Runs a query over `tables`; returns [] when any of them is missing or the store is
   * unreadable.
   *
   * @throws {StoreUnavailableError} When the query fails.
   */
  all<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T[]>;
  /** Like {@linkcode DashboardReader.all} for one row; undefined when absent. */
  get<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T | undefined>;
  /**
   * Rows of an append-only table after the cursor `afterId` (oldest first), or, when `afterId`
   * is negative, the latest `limit` rows (newest first, by `latestBy` or the key).
   */
  rowsAfter(q: RowsAfterQuery): Promise<Row[]>;
  /** Ends the connection. */
  close(): Promise<void>;
}

/** A {@linkcode DashboardReader.rowsAfter} query: table, columns, cursor column, cursor, limit. */
export interface RowsAfterQuery {
  /** Table. */
  readonly table: string;
  /** Selected columns. */
  readonly columns: string;
  /** Cursor column. */
  readonly key: string;
  /** Cursor (negative: the latest rows). */
  readonly afterId: number;
  /** Most rows. */
  readonly limit: number;
  /** Order of the latest rows. Default the key. */
  readonly latestBy?: string;
}

/** The statement and parameters of a {@linkcode RowsAfterQuery} (`?` placeholders). */
export function rowsAfterSql(q: RowsAfterQuery): [string, Param[]] {
  const base = `SELECT ${q.columns} FROM ${q.table}`;
  return q.afterId < 0
    ? [`${base} ORDER BY ${q.latestBy ?? q.key} DESC LIMIT ?`, [q.limit]]
    : [`${base} WHERE ${q.key} > ? ORDER BY ${q.key} LIMIT ?`, [q.afterId, q.limit]];
}

/**
 * The part of a {@linkcode DashboardReader} that is the same on every backend: one row, and
 * the rows after a cursor, both through `all`.
 */
export abstract class QueryReader implements DashboardReader {
  /** {@inheritDoc DashboardReader.path} */
  abstract readonly path: string;
  /** {@inheritDoc DashboardReader.lastError} */
  abstract readonly lastError: string | null;
  /** {@inheritDoc DashboardReader.available} */
  abstract available(): Promise<boolean>;
  /** {@inheritDoc DashboardReader.hasTable} */
  abstract hasTable(table: string): Promise<boolean>;
  /** {@inheritDoc DashboardReader.hasColumn} */
  abstract hasColumn(table: string, column: string): Promise<boolean>;
  /** {@inheritDoc DashboardReader.all} */
  abstract all<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T[]>;
  /** {@inheritDoc DashboardReader.close} */
  abstract close(): Promise<void>;

  /** {@inheritDoc DashboardReader.get} */
  async get<T = Row>(
    tables: readonly string[],
    sql: string,
    ...params: Param[]
  ): Promise<T | undefined> {
    return (await this.all<T>(tables, sql, ...params))[0];
  }

  /** {@inheritDoc DashboardReader.rowsAfter} */
  rowsAfter(q: RowsAfterQuery): Promise<Row[]> {
    const [sql, params] = rowsAfterSql(q);
    return this.all([q.table], sql, ...params);
  }
}

/**
 * A read-only connection to the SQLite store the edge writes (WAL lets it read while the edge
 * writes). Opens lazily and retries on the next call when the file does not exist yet; a table
 * the store does not have (yet) reads as empty, so the dashboard runs against any schema version.
 */
export class StoreReader extends QueryReader {
  /** Path of the store file. */
  readonly path: string;
  #db: DatabaseSync | undefined;
  #tables = new Set<string>();
  #stmts = new Map<string, StatementSync>();
  #lastError: string | null = null;

  /** @param path The SQLite file the edge writes. */
  constructor(path: string) {
    super();
    this.path = path;
  }

  /** Whether the file is open; tries to open it when not. */
  available(): Promise<boolean> {
    return Promise.resolve(this.#open() !== undefined);
  }

  /** Why the store is not readable, or null. */
  get lastError(): string | null {
    return this.#lastError;
  }

  /** Whether `table` exists (re-checked until it does: the edge may migrate later). */
  hasTable(table: string): Promise<boolean> {
    return Promise.resolve(this.#hasTable(table));
  }

  #hasTable(table: string): boolean {
    if (this.#tables.has(table)) return true;
    if (!this.#open()) return false;
    const row = this.#stmt("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?")
      .get(table);
    if (row) this.#tables.add(table);
    return row !== undefined;
  }

  /** Whether `table` has `column` (for optional columns added by later migrations). */
  hasColumn(table: string, column: string): Promise<boolean> {
    return settled(() => this.#hasColumn(table, column));
  }

  #hasColumn(table: string, column: string): boolean {
    if (!this.#hasTable(table)) return false;
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
  all<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T[]> {
    return settled(() => this.#all<T>(tables, sql, params));
  }

  #all<T>(tables: readonly string[], sql: string, params: SQLInputValue[]): T[] {
    if (!tables.every((t) => this.#hasTable(t))) return [];
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

  /** Closes the connection. */
  close(): Promise<void> {
    this.#db?.close();
    this.#db = undefined;
    this.#stmts.clear();
    return Promise.resolve();
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
