import type postgres from "postgres";
import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import type { OhlcvBar } from "../../core/market/ohlcv.ts";
import type {
  EventQuery,
  MarketStore,
  MigrationReport,
  PeriodicBookSnapshot,
  StoreBatch,
} from "../../core/storage.ts";
import { STORE_TABLES } from "./store_tables.ts";
import { type BatchParams, batchParams, INSERT_BATCH_SQL } from "./pg_batch.ts";
import { eventsQuery, filter, INSTRUMENTS_UPSERT_SQL } from "./pg_queries.ts";
import { connectPg, isTransientPgError, SCHEMA_NAME } from "./pg_client.ts";
import { PG_MIGRATIONS } from "./pg_migrations.ts";
import {
  describeMode,
  type StorageMode,
  type TimescaleOptions,
  timescaleSetUp,
} from "./pg_timescale.ts";
import type { Migration } from "./migration.ts";
import { applyPgMigrations, createPgSchema, pgSchemaVersion } from "./pg_migrate.ts";
import {
  type BookRow,
  type InstrumentRow,
  instrumentValues,
  rowToBook,
  rowToEvent,
  rowToInstrument,
} from "./store_rows.ts";
import { WriteQueue, type WriteQueueStats } from "./write_queue.ts";

export type { StorageMode } from "./pg_timescale.ts";
export { dropPgSchema, isTransientPgError } from "./pg_client.ts";

/** Options of {@linkcode PgStore.open}. */
export interface PgStoreOptions extends TimescaleOptions {
  /** Schema holding the tables (created if missing). Default "public". */
  readonly schema?: string;
  /** Apply pending migrations (and the TimescaleDB set-up) on open. Default true. */
  readonly migrate?: boolean;
  /** Migrations to apply (defaults to the project's). */
  readonly migrations?: readonly Migration[];
  /** Rows buffered in memory while the server is unreachable. Default 200,000. */
  readonly maxBufferedRows?: number;
  /** Where batches spill when the buffer is full (none: a full buffer refuses batches). */
  readonly spillDir?: string;
  /** Spill file name prefix (one per process sharing a spill directory). Default "pg". */
  readonly spillPrefix?: string;
  /** Longest delay between reconnection attempts, ms. Default 5,000. */
  readonly maxBackoffMs?: number;
  /** How long {@linkcode PgStore.close} waits for buffered rows, ms. Default 30,000. */
  readonly closeTimeoutMs?: number;
  /** How long {@linkcode PgStore.open} keeps retrying an unreachable server, ms. Default 0. */
  readonly waitForServerMs?: number;
  /** Connections in the pool. Default 4. */
  readonly maxConnections?: number;
  /** Log lines: storage mode, outages, spills. */
  readonly onLog?: (line: string) => void;
}

/** Migration report with the storage mode detected at start. */
export interface PgMigrationReport extends MigrationReport {
  /** TimescaleDB hypertables or plain tables, and why. */
  readonly mode: StorageMode;
}

/** Counters of a {@linkcode PgStore}. */
export interface PgStoreStats extends WriteQueueStats {
  /** Rows actually inserted per table (offered rows minus natural-key duplicates). */
  inserted: Record<"book_deltas" | "trades" | "order_books" | "ohlcv", number>;
}

/**
 * The PostgreSQL implementation of the {@linkcode MarketStore} port (npm `postgres`), for one or
 * many edges writing one database. Writes are idempotent (natural keys, see
 * {@linkcode PG_MIGRATIONS}), one statement per batch, through a bounded {@linkcode WriteQueue}
 * that rides out server restarts. Time-series tables are TimescaleDB hypertables when the
 * extension is available, plain tables with time indexes otherwise ({@linkcode PgStore.mode}).
 */
export class PgStore implements MarketStore {
  /** Backend name. */
  readonly backend = "postgres";
  /** The client (for other edge modules' own queries). */
  readonly sql: postgres.Sql;
  /** Storage mode, known after {@linkcode PgStore.migrate}. */
  mode: StorageMode = { timescale: false, detail: "not migrated yet", hypertables: [] };
  readonly #o: PgStoreOptions;
  readonly #queue: WriteQueue<BatchParams>;
  readonly #inserted: PgStoreStats["inserted"] = {
    book_deltas: 0,
    trades: 0,
    order_books: 0,
    ohlcv: 0,
  };

  private constructor(sql: postgres.Sql, options: PgStoreOptions) {
    this.sql = sql;
    this.#o = options;
    this.#queue = new WriteQueue((p) => this.#insert(p), {
      maxRows: options.maxBufferedRows ?? 200_000,
      spillPrefix: options.spillPrefix ?? "pg",
      isTransient: isTransientPgError,
      ...(options.spillDir ? { spillDir: options.spillDir } : {}),
      ...(options.maxBackoffMs ? { maxBackoffMs: options.maxBackoffMs } : {}),
      ...(options.onLog ? { onLog: options.onLog } : {}),
    });
  }

  /**
   * Connects to `url`, creates the schema if needed, migrates, detects TimescaleDB, and starts
   * draining spill files a previous process left.
   *
   * @throws {TypeError} On a malformed schema name.
   * @throws {Error} When the server cannot be reached or a migration fails.
   */
  static async open(url: string, options: PgStoreOptions = {}): Promise<PgStore> {
    const schema = options.schema ?? "public";
    if (!SCHEMA_NAME.test(schema)) {
      throw new TypeError(`PostgreSQL schema must be a lower-case identifier, got "${schema}"`);
    }
    const sql = connectPg(url, schema, options.maxConnections ?? 4);
    const store = new PgStore(sql, options);
    try {
      await store.#prepare(schema);
      await store.#queue.resume();
    } catch (e) {
      await sql.end({ timeout: 1 });
      throw e;
    }
    return store;
  }

  /** Creates the schema and migrates, waiting up to `waitForServerMs` for the server. */
  async #prepare(schema: string): Promise<void> {
    const deadline = Date.now() + (this.#o.waitForServerMs ?? 0);
    for (let delay = 200;; delay = Math.min(delay * 2, 5_000)) {
      try {
        if (schema !== "public") await createPgSchema(this.sql, schema);
        if (this.#o.migrate !== false) await this.migrate();
        return;
      } catch (e) {
        if (!isTransientPgError(e) || Date.now() + delay > deadline) throw e;
        this.#o.onLog?.(`waiting for PostgreSQL (${(e as Error).message})`);
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /** Counters: write queue plus rows inserted per table. */
  get stats(): PgStoreStats {
    return { ...this.#queue.stats, inserted: { ...this.#inserted } };
  }

  /** Rows buffered in memory, not yet committed. */
  get bufferedRows(): number {
    return this.#queue.bufferedRows;
  }

  /** Current schema version (0 for an empty schema). */
  schemaVersion(): Promise<number> {
    return pgSchemaVersion(this.sql);
  }

  /**
   * Applies pending migrations in one transaction under an advisory lock (several edges may
   * start at once), then sets up TimescaleDB hypertables and policies when available.
   */
  async migrate(): Promise<PgMigrationReport> {
    const migrations = this.#o.migrations ?? PG_MIGRATIONS;
    const { from, applied } = await applyPgMigrations(this.sql, migrations);
    this.mode = await timescaleSetUp(this.sql, this.#o);
    this.#o.onLog?.(
      `postgres storage: ${
        this.mode.timescale ? "TimescaleDB hypertables" : "plain tables"
      } (${this.mode.detail})`,
    );
    return { from, to: await this.schemaVersion(), applied, mode: this.mode };
  }

  /** The storage mode as it is now (read-only; {@linkcode PgStore.migrate} sets it up). */
  describeMode(): Promise<StorageMode> {
    return describeMode(this.sql);
  }

  /** Upserts instruments. */
  async putInstruments(instruments: readonly Instrument[]): Promise<void> {
    const cols: unknown[][] = Array.from({ length: 11 }, () => []);
    for (const i of instruments) instrumentValues(i).forEach((v, k) => cols[k]!.push(v));
    await this.sql.unsafe(
      INSTRUMENTS_UPSERT_SQL,
      cols as never,
    );
  }

  /** Reads the recorded instruments. */
  async instruments(): Promise<Instrument[]> {
    const rows = await this.sql.unsafe("SELECT * FROM instruments ORDER BY venue, symbol");
    return rows.map((r) => rowToInstrument(r as unknown as InstrumentRow));
  }

  /**
   * Writes a batch as one statement. Resolves when committed, or, while the server is
   * unreachable, once the rows are held in the buffer (or spill file); see {@linkcode WriteQueue}.
   */
  async writeBatch(batch: StoreBatch): Promise<void> {
    const { params, rows } = batchParams(batch);
    if (rows > 0) await this.#queue.enqueue(params, rows);
  }

  /**
   * Waits until every buffered and spilled row is committed.
   *
   * @returns False when `timeoutMs` passed first (rows are still held and retried).
   */
  flush(timeoutMs = 60_000): Promise<boolean> {
    return this.#queue.drain(timeoutMs);
  }

  /**
   * Streams stored events ordered by receive time; ties (same receive time) by kind (venue
   * snapshot, delta, trade), venue, symbol, sequence or trade id, then content digest, so the
   * order is total and the same on every read, whichever edges wrote the rows.
   */
  async *readEvents(query: EventQuery = {}): AsyncIterable<MarketEvent> {
    const { sql, params } = eventsQuery(query);
    for await (const rows of this.sql.unsafe(sql, params).cursor(2_000)) {
      for (const row of rows) yield rowToEvent(row);
    }
  }

  /** Reads OHLCV bars ordered by start. */
  async readBars(query: EventQuery = {}): Promise<OhlcvBar[]> {
    const { where, params } = filter(query, "start");
    const rows = await this.sql.unsafe(
      `SELECT venue, symbol, start, open, high, low, close, volume, trades FROM ohlcv
       WHERE TRUE ${where} ORDER BY start, venue, symbol`,
      params,
    );
    return rows.map((r) => ({ ...r }) as unknown as OhlcvBar);
  }

  /** Reads periodic book pictures ordered by time. */
  async readBooks(query: EventQuery = {}): Promise<PeriodicBookSnapshot[]> {
    const { where, params } = filter(query, "receive_time");
    const rows = await this.sql.unsafe(
      `SELECT venue, symbol, receive_time, sequence, bids, asks FROM order_books
       WHERE source = 'periodic' ${where} ORDER BY receive_time, venue, symbol, digest`,
      params,
    );
    return rows.map((r) => rowToBook(r as unknown as BookRow));
  }

  /** Row count per table. */
  async tableCounts(): Promise<Record<string, number>> {
    const [row] = await this.sql.unsafe(
      `SELECT ${STORE_TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}`,
    );
    return Object.fromEntries(STORE_TABLES.map((t) => [t, Number(row?.[t] ?? 0)]));
  }

  /**
   * Writes what is buffered (waiting up to `closeTimeoutMs`), spills the rest when a spill
   * directory is set, and closes the pool.
   *
   * @throws {StoreUnavailableError} When buffered rows could be neither written nor spilled.
   */
  async close(): Promise<void> {
    try {
      await this.#queue.close(this.#o.closeTimeoutMs ?? 30_000);
    } finally {
      await this.sql.end({ timeout: 5 });
    }
  }

  async #insert(params: BatchParams): Promise<void> {
    const [row] = await this.sql.unsafe(INSERT_BATCH_SQL, params as never);
    for (const k of Object.keys(this.#inserted) as (keyof PgStoreStats["inserted"])[]) {
      this.#inserted[k] += Number(row?.[k] ?? 0);
    }
  }
}
