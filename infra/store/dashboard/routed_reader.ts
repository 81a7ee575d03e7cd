/**
 * The dashboard's reader for the live edge on the postgres backend: the market data tables the
 * edge writes to PostgreSQL are read there, everything else (the paper account, controls, live
 * runs, feed health, arbitrage, predictions and the live edge's news) from the local SQLite
 * file it commits each trading step to.
 *
 * @module
 */

import type { DashboardReader, Param, Row, RowsAfterQuery } from "./store_reader.ts";

/** The tables the live edge writes to PostgreSQL on the postgres backend (market data). */
export const PG_MARKET_TABLES: readonly string[] = [
  "instruments",
  "order_books",
  "book_deltas",
  "trades",
  "ohlcv",
];

/** Sends each query to the reader that holds its tables. */
export class RoutedReader implements DashboardReader {
  readonly #local: DashboardReader;
  readonly #remote: DashboardReader;
  readonly #remoteTables: ReadonlySet<string>;

  /**
   * @param local The local SQLite file's reader (every table not in `remoteTables`).
   * @param remote The PostgreSQL reader.
   * @param remoteTables Tables read from `remote`. Default {@linkcode PG_MARKET_TABLES}.
   */
  constructor(
    local: DashboardReader,
    remote: DashboardReader,
    remoteTables: readonly string[] = PG_MARKET_TABLES,
  ) {
    this.#local = local;
    this.#remote = remote;
    this.#remoteTables = new Set(remoteTables);
  }

  /** Both stores, local first. */
  get path(): string {
    return `${this.#local.path} + ${this.#remote.path}`;
  }

  /** Why a store is not readable (local first), or null. */
  get lastError(): string | null {
    return this.#local.lastError ?? this.#remote.lastError;
  }

  /** Whether both stores are readable. */
  async available(): Promise<boolean> {
    const [local, remote] = await Promise.all([
      this.#local.available(),
      this.#remote.available(),
    ]);
    return local && remote;
  }

  /** {@inheritDoc DashboardReader.hasTable} */
  async hasTable(table: string): Promise<boolean> {
    return await this.#for([table]).hasTable(table);
  }

  /** {@inheritDoc DashboardReader.hasColumn} */
  async hasColumn(table: string, column: string): Promise<boolean> {
    return await this.#for([table]).hasColumn(table, column);
  }

  /** {@inheritDoc DashboardReader.all} */
  async all<T = Row>(tables: readonly string[], sql: string, ...params: Param[]): Promise<T[]> {
    return await this.#for(tables).all<T>(tables, sql, ...params);
  }

  /** {@inheritDoc DashboardReader.get} */
  async get<T = Row>(
    tables: readonly string[],
    sql: string,
    ...params: Param[]
  ): Promise<T | undefined> {
    return await this.#for(tables).get<T>(tables, sql, ...params);
  }

  /** {@inheritDoc DashboardReader.rowsAfter} */
  async rowsAfter(q: RowsAfterQuery): Promise<Row[]> {
    return await this.#for([q.table]).rowsAfter(q);
  }

  /** Closes both. */
  async close(): Promise<void> {
    await Promise.all([this.#local.close(), this.#remote.close()]);
  }

  /**
   * The reader holding `tables`.
   *
   * @throws {RangeError} When a query reads tables of both stores.
   */
  #for(tables: readonly string[]): DashboardReader {
    const remote = tables.filter((t) => this.#remoteTables.has(t)).length;
    if (remote === 0) return this.#local;
    if (remote === tables.length) return this.#remote;
    throw new RangeError(`a dashboard query reads tables of both stores: ${tables.join(", ")}`);
  }
}
