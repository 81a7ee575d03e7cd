import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
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
import { type Migration, migrationLabel, pendingMigrations } from "./migration.ts";
import { SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";
import { acquireStoreLock, type StoreLock } from "./store_lock.ts";
import {
  barValues,
  type BookRow,
  eventValues,
  type InstrumentRow,
  instrumentValues,
  periodicBookValues,
  rowToBook,
  rowToEvent,
  rowToInstrument,
} from "./store_rows.ts";
import { sqliteTransaction } from "./sqlite_transaction.ts";

/** Options of {@linkcode SqliteStore.open}. */
export interface SqliteStoreOptions {
  /** Migrations to apply (defaults to the project's). */
  migrations?: readonly Migration[];
  /** Apply pending migrations on open. Default true. */
  migrate?: boolean;
  /**
   * Take the store's exclusive writer lock (`<path>.lock`, see store_lock.ts). Default: true
   * when migrating (a writer), false with `migrate: false` (a reader).
   */
  lock?: boolean;
}

/**
 * The SQLite implementation of the {@linkcode MarketStore} port (node:sqlite):
 * WAL journal, prepared statements, one transaction per batch, versioned migrations.
 */
export class SqliteStore implements MarketStore {
  /** Backend name. */
  readonly backend = "sqlite";
  /** The underlying database (for other edge modules' own tables). */
  readonly db: DatabaseSync;
  readonly #migrations: readonly Migration[];
  #nextSeq = 1;
  #stmts: Record<string, StatementSync> | undefined;
  #lock: StoreLock | undefined;

  private constructor(db: DatabaseSync, migrations: readonly Migration[]) {
    this.db = db;
    this.#migrations = migrations;
  }

  /**
   * Opens (creating if needed) a store at `path` (":memory:" for tests).
   *
   * The busy timeout (5 s) is set by the open itself, before `journal_mode` or any other
   * statement, so simultaneous opens wait for each other instead of failing "database is locked".
   *
   * @throws {StoreLockedError} When another process holds the writer lock (names its pid).
   * @throws {Error} When the file cannot be opened or a migration fails (nothing half-applied).
   */
  static async open(path: string, options: SqliteStoreOptions = {}): Promise<SqliteStore> {
    let lock: StoreLock | undefined;
    if (path !== ":memory:") {
      const dir = path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : ".";
      if (dir) await Deno.mkdir(dir, { recursive: true });
      if (options.lock ?? options.migrate !== false) lock = acquireStoreLock(path);
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path, { timeout: BUSY_TIMEOUT_MS });
      db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
    } catch (e) {
      lock?.release();
      throw e;
    }
    const store = new SqliteStore(db, options.migrations ?? SQLITE_MIGRATIONS);
    store.#lock = lock;
    if (options.migrate !== false) {
      try {
        await store.migrate();
      } catch (e) {
        await store.close();
        throw e;
      }
    }
    return store;
  }

  /** Current schema version (0 for an empty database). */
  schemaVersion(): number {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
    );
    const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as
      | { v: number | null }
      | undefined;
    return row?.v ?? 0;
  }

  /** Applies each pending migration in its own transaction. */
  migrate(): Promise<MigrationReport> {
    return settle(() => this.#migrate());
  }

  #migrate(): MigrationReport {
    const from = this.schemaVersion();
    const applied: string[] = [];
    for (const m of pendingMigrations(this.#migrations, from)) {
      this.#transaction(() => {
        this.db.exec(m.sql);
        this.db.prepare(
          "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        )
          .run(m.version, m.name, Date.now());
      });
      applied.push(migrationLabel(m));
    }
    this.#stmts = undefined;
    this.#nextSeq = this.#maxSeq() + 1;
    return { from, to: this.schemaVersion(), applied };
  }

  /** Upserts instruments. */
  putInstruments(instruments: readonly Instrument[]): Promise<void> {
    return settle(() => this.#putInstruments(instruments));
  }

  #putInstruments(instruments: readonly Instrument[]): void {
    const st = this.#stmt("instruments");
    this.#transaction(() => {
      for (const i of instruments) {
        st.run(...instrumentValues(i));
      }
    });
  }

  /** Reads the recorded instruments. */
  instruments(): Promise<Instrument[]> {
    const rows = this.db.prepare("SELECT * FROM instruments ORDER BY venue, symbol")
      .all() as unknown as InstrumentRow[];
    return Promise.resolve(rows.map(rowToInstrument));
  }

  /** Writes events, periodic books and bars in one transaction. */
  writeBatch(batch: StoreBatch): Promise<void> {
    return settle(() => this.#writeBatch(batch));
  }

  #writeBatch(batch: StoreBatch): void {
    const s = this.#statements();
    this.#transaction(() => {
      // Numbered inside the write transaction: another handle on this file (or a writer that
      // ignored the lock) may have written since, so never reuse its numbers.
      if (batch.events?.length) this.#nextSeq = Math.max(this.#nextSeq, this.#maxSeq() + 1);
      for (const e of batch.events ?? []) {
        const { table, values } = eventValues(e);
        s[table]!.run(this.#nextSeq++, ...values);
      }
      for (const b of batch.books ?? []) s.order_books!.run(null, ...periodicBookValues(b));
      for (const b of batch.bars ?? []) s.ohlcv!.run(...barValues(b));
    });
  }

  /** Streams stored events in ingest order. */
  async *readEvents(query: EventQuery = {}): AsyncIterable<MarketEvent> {
    const { where, params } = filter(query, "receive_time");
    const sql = `
SELECT seq, 0 AS k, venue, symbol, exchange_time, receive_time, first_sequence AS a, last_sequence AS b,
  bids, asks, checksum AS c, NULL AS trade_id, NULL AS price, NULL AS size, NULL AS taker_side
  FROM book_deltas ${where}
UNION ALL
SELECT seq, 1, venue, symbol, exchange_time, receive_time, sequence, NULL, bids, asks, NULL, NULL, NULL, NULL, NULL
  FROM order_books ${where ? `${where} AND` : "WHERE"} source = 'venue'
UNION ALL
SELECT seq, 2, venue, symbol, exchange_time, receive_time, NULL, NULL, NULL, NULL, NULL, trade_id, price, size, taker_side
  FROM trades ${where}
ORDER BY seq`;
    const all = [...params, ...params, ...params];
    for (const row of this.db.prepare(sql).iterate(...all) as Iterable<unknown>) {
      yield rowToEvent(row);
    }
    await Promise.resolve();
  }

  /** Reads OHLCV bars. */
  readBars(query: EventQuery = {}): Promise<OhlcvBar[]> {
    const { where, params } = filter(query, "start");
    const rows = this.db.prepare(`SELECT * FROM ohlcv ${where} ORDER BY start, venue, symbol`).all(
      ...params,
    ) as unknown as OhlcvBar[];
    return Promise.resolve(rows.map((r) => ({ ...r })));
  }

  /** Reads periodic book pictures. */
  readBooks(query: EventQuery = {}): Promise<PeriodicBookSnapshot[]> {
    const { where, params } = filter(query, "receive_time");
    const rows = this.db.prepare(
      `SELECT venue, symbol, receive_time, sequence, bids, asks FROM order_books ${
        where ? `${where} AND` : "WHERE"
      } source = 'periodic' ORDER BY receive_time, id`,
    ).all(...params) as unknown as BookRow[];
    return Promise.resolve(rows.map(rowToBook));
  }

  /** Row count per table. */
  tableCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of STORE_TABLES) {
      const row = this.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number };
      out[t] = row.n;
    }
    return Promise.resolve(out);
  }

  /** Closes the database. */
  close(): Promise<void> {
    if (this.db.isOpen) this.db.close();
    this.#lock?.release();
    this.#lock = undefined;
    return Promise.resolve();
  }

  #transaction(fn: () => void): void {
    sqliteTransaction(this.db, fn);
  }

  #maxSeq(): number {
    const row = this.db.prepare(
      "SELECT MAX(m) AS m FROM (SELECT MAX(seq) AS m FROM book_deltas UNION ALL SELECT MAX(seq) FROM trades UNION ALL SELECT MAX(seq) FROM order_books)",
    ).get() as { m: number | null };
    return row.m ?? 0;
  }

  #stmt(name: string): StatementSync {
    return this.#statements()[name] as StatementSync;
  }

  #statements(): Record<string, StatementSync> {
    if (this.#stmts) return this.#stmts;
    const p = (sql: string) => this.db.prepare(sql);
    this.#stmts = {
      instruments: p(
        "INSERT OR REPLACE INTO instruments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      book_deltas: p(
        "INSERT INTO book_deltas (seq, venue, symbol, exchange_time, receive_time, first_sequence, last_sequence, bids, asks, checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      trades: p(
        "INSERT INTO trades (seq, venue, symbol, trade_id, price, size, taker_side, exchange_time, receive_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (venue, symbol, trade_id) DO NOTHING",
      ),
      order_books: p(
        "INSERT INTO order_books (seq, venue, symbol, source, exchange_time, receive_time, sequence, best_bid, best_ask, bid_levels, ask_levels, bids, asks) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
      ohlcv: p(
        "INSERT OR REPLACE INTO ohlcv (venue, symbol, start, open, high, low, close, volume, trades) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      ),
    };
    return this.#stmts;
  }
}

/** How long a statement waits for another connection's write lock, ms. */
const BUSY_TIMEOUT_MS = 5_000;

/** Runs synchronous database work, turning a throw into a rejected promise. */
function settle<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (e) {
    return Promise.reject(e);
  }
}

function filter(query: EventQuery, timeCol: string): { where: string; params: SQLInputValue[] } {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.venue) (parts.push("venue = ?"), params.push(query.venue));
  if (query.symbol) (parts.push("symbol = ?"), params.push(query.symbol));
  if (query.fromTime !== undefined) (parts.push(`${timeCol} >= ?`), params.push(query.fromTime));
  if (query.toTime !== undefined) (parts.push(`${timeCol} < ?`), params.push(query.toTime));
  return { where: parts.length ? `WHERE ${parts.join(" AND ")}` : "", params };
}
