/**
 * Read-only facts about an SQLite store for `status`: row counts per table, data freshness per
 * book, market-data problems (deltas without a snapshot, books out of sync at the end), latest
 * predictions, the latest paper run's risk snapshot and sentiment freshness.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { sqliteHasTable } from "./sqlite_repositories.ts";

/** A row as stored. */
export type Row = Record<string, unknown>;

/** A read-only inspection handle on an SQLite store. */
export class StoreInspector {
  /** The handle (for the footprint functions in sqlite_maintenance.ts). */
  readonly db: DatabaseSync;

  private constructor(db: DatabaseSync) {
    this.db = db;
  }

  /**
   * Opens `path` read-only and checks it is an SQLite database.
   *
   * @throws {Error} When it cannot be opened or read.
   */
  static open(path: string): StoreInspector {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
    } catch (e) {
      db.close();
      throw e;
    }
    return new StoreInspector(db);
  }

  /** Whether the store has `table`. */
  has(table: string): boolean {
    return sqliteHasTable(this.db, table);
  }

  #all(sql: string): Row[] {
    return this.db.prepare(sql).all() as Row[];
  }

  /** Row count of every table, by name. */
  tableCounts(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (
      const r of this.#all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ) {
      const t = String(r.name);
      if (t.startsWith("sqlite_")) continue;
      counts[t] = Number((this.db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as Row).n);
    }
    return counts;
  }

  /** The last trade or delta receive time per venue/symbol. */
  lastMarketTimes(): { venue: unknown; symbol: unknown; last: number }[] {
    if (!this.has("trades")) return [];
    return this.#all(
      "SELECT venue, symbol, MAX(t) AS last FROM (SELECT venue, symbol, receive_time AS t FROM trades UNION ALL SELECT venue, symbol, receive_time FROM book_deltas) GROUP BY venue, symbol ORDER BY venue, symbol",
    ).map((r) => ({ venue: r.venue, symbol: r.symbol, last: Number(r.last) }));
  }

  /** Whether the market tables (book_deltas, order_books) exist. */
  hasMarketTables(): boolean {
    return this.has("book_deltas") && this.has("order_books");
  }

  /** Books with deltas but no stored snapshot (venue, symbol, n deltas). */
  booksWithoutSnapshot(): Row[] {
    return this.#all(
      "SELECT d.venue, d.symbol, COUNT(*) AS n FROM book_deltas d WHERE NOT EXISTS " +
        "(SELECT 1 FROM order_books o WHERE o.venue = d.venue AND o.symbol = d.symbol) " +
        "GROUP BY d.venue, d.symbol ORDER BY d.venue, d.symbol",
    );
  }

  /** Books whose latest feed-health row is unsynced with no later snapshot (empty without health). */
  unsyncedAtEnd(): Row[] {
    if (!this.has("feed_health")) return [];
    return this.#all(
      "SELECT h.venue, h.symbol, h.time, h.gaps, h.resyncs, h.checksum_failures, h.crossed " +
        "FROM feed_health h WHERE h.synced = 0 AND h.id = (SELECT MAX(id) FROM feed_health l " +
        "WHERE l.venue = h.venue AND l.symbol = h.symbol) AND NOT EXISTS (SELECT 1 FROM " +
        "order_books o WHERE o.venue = h.venue AND o.symbol = h.symbol AND o.receive_time > h.time) " +
        "AND EXISTS (SELECT 1 FROM order_books o WHERE o.venue = h.venue AND o.symbol = h.symbol) " +
        "ORDER BY h.venue, h.symbol",
    );
  }

  /** The newest `limit` predictions (time, symbol, model version, action, latency). */
  latestPredictions(limit: number): Row[] {
    if (!this.has("predictions")) return [];
    return this.db.prepare(
      "SELECT timestamp, symbol, model_version, action, latency_ms FROM predictions ORDER BY id DESC LIMIT ?",
    ).all(limit) as Row[];
  }

  /** The latest paper run's id and stored risk snapshot (parsed), or null. */
  latestRunRisk(): { run_id: unknown; risk: Row } | null {
    if (!this.has("paper_runs")) return null;
    const r = this.#all("SELECT run_id, risk FROM paper_runs ORDER BY rowid DESC LIMIT 1")[0];
    return r ? { run_id: r.run_id, risk: JSON.parse(String(r.risk ?? "{}")) as Row } : null;
  }

  /** The last hourly sentiment aggregate's start per symbol. */
  lastSentimentHours(): { symbol: unknown; last: number }[] {
    if (!this.has("news_sentiment_hourly")) return [];
    return this.#all(
      "SELECT symbol, MAX(hour_start) AS last FROM news_sentiment_hourly GROUP BY symbol ORDER BY symbol",
    ).map((r) => ({ symbol: r.symbol, last: Number(r.last) }));
  }

  /** Closes the handle. */
  close(): void {
    this.db.close();
  }
}
