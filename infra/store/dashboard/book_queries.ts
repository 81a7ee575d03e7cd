/**
 * The stored book rows the dashboard rebuilds its live books from: venue snapshots and deltas
 * in ingest order, periodic pictures, and the seeding picture per book.
 *
 * @module
 */

import type { StoreReader } from "./store_reader.ts";

/** An `order_books` row (levels as JSON text). */
export interface SnapshotRow {
  id: number;
  venue: string;
  symbol: string;
  source: string;
  receive_time: number;
  sequence: number;
  bids: string;
  asks: string;
}

/** A venue snapshot or delta in ingest order. */
export interface EventRow {
  seq: number;
  /** 0 delta, 1 venue snapshot. */
  k: number;
  venue: string;
  symbol: string;
  receive_time: number;
  first_sequence: number;
  last_sequence: number;
  bids: string;
  asks: string;
  checksum: number | null;
}

const SNAPSHOT_COLUMNS = "id, venue, symbol, source, receive_time, sequence, bids, asks";
const EVENTS_SQL = `
SELECT seq, 0 AS k, venue, symbol, receive_time, first_sequence, last_sequence, bids, asks, checksum
  FROM book_deltas WHERE seq > ?
UNION ALL
SELECT seq, 1, venue, symbol, receive_time, sequence, sequence, bids, asks, NULL
  FROM order_books WHERE source = 'venue' AND seq > ?
ORDER BY seq LIMIT ?`;

/** Whether the store has the book tables yet. */
export function hasBookTables(reader: StoreReader): boolean {
  return reader.hasTable("order_books") && reader.hasTable("book_deltas");
}

/** Periodic pictures with an id above `afterId`, by id. */
export function periodicPicturesAfter(reader: StoreReader, afterId: number): SnapshotRow[] {
  return reader.all<SnapshotRow>(
    ["order_books"],
    `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id > ? AND source = 'periodic' ORDER BY id`,
    afterId,
  );
}

/** Venue snapshots and deltas after ingest sequence `afterSeq`, in ingest order, at most `limit`. */
export function bookEventsAfter(reader: StoreReader, afterSeq: number, limit: number): EventRow[] {
  return reader.all<EventRow>(
    ["order_books", "book_deltas"],
    EVENTS_SQL,
    afterSeq,
    afterSeq,
    limit,
  );
}

/** The latest picture (snapshot or periodic) of each book, by id. */
export function latestPictures(reader: StoreReader): SnapshotRow[] {
  return reader.all<SnapshotRow>(
    ["order_books"],
    `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id IN
         (SELECT MAX(id) FROM order_books GROUP BY venue, symbol) ORDER BY id`,
  );
}

/** The first delta's ingest sequence of a book at or after `fromTime`, or null. */
export function firstDeltaSince(
  reader: StoreReader,
  venue: string,
  symbol: string,
  fromTime: number,
): number | null {
  const first = reader.get<{ seq: number | null }>(
    ["book_deltas"],
    `SELECT MIN(seq) AS seq FROM book_deltas
          WHERE venue = ? AND symbol = ? AND receive_time >= ?`,
    venue,
    symbol,
    fromTime,
  );
  return typeof first?.seq === "number" ? first.seq : null;
}

/** The last `order_books` id (0 when none). */
export function lastPictureId(reader: StoreReader): number {
  return reader.get<{ id: number | null }>(["order_books"], "SELECT MAX(id) AS id FROM order_books")
    ?.id ?? 0;
}
