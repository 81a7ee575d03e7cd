/**
 * The stored book rows the dashboard rebuilds its live books from: venue snapshots and deltas
 * in ingest order, periodic pictures, and the seeding picture per book.
 *
 * @module
 */

import type { DashboardReader } from "./store_reader.ts";

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

/**
 * Whether the store has the book tables yet, with the ingest counters the live books follow
 * (`order_books.id`, `book_deltas.seq`: SQLite's; PostgreSQL's natural-key tables have none, so
 * its books are not followed live).
 */
export async function hasBookTables(reader: DashboardReader): Promise<boolean> {
  return (await reader.hasColumn("order_books", "id")) &&
    (await reader.hasColumn("book_deltas", "seq"));
}

/** Periodic pictures with an id above `afterId`, by id. */
export async function periodicPicturesAfter(
  reader: DashboardReader,
  afterId: number,
): Promise<SnapshotRow[]> {
  return (await reader.all<SnapshotRow>(
    ["order_books"],
    `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id > ? AND source = 'periodic' ORDER BY id`,
    afterId,
  ));
}

/** Venue snapshots and deltas after ingest sequence `afterSeq`, in ingest order, at most `limit`. */
export async function bookEventsAfter(
  reader: DashboardReader,
  afterSeq: number,
  limit: number,
): Promise<EventRow[]> {
  return (await reader.all<EventRow>(
    ["order_books", "book_deltas"],
    EVENTS_SQL,
    afterSeq,
    afterSeq,
    limit,
  ));
}

/** The latest picture (snapshot or periodic) of each book, by id. */
export async function latestPictures(reader: DashboardReader): Promise<SnapshotRow[]> {
  return (await reader.all<SnapshotRow>(
    ["order_books"],
    `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id IN
         (SELECT MAX(id) FROM order_books GROUP BY venue, symbol) ORDER BY id`,
  ));
}

/** The first delta's ingest sequence of a book at or after `fromTime`, or null. */
export async function firstDeltaSince(
  reader: DashboardReader,
  venue: string,
  symbol: string,
  fromTime: number,
): Promise<number | null> {
  const first = await reader.get<{ seq: number | null }>(
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
export async function lastPictureId(reader: DashboardReader): Promise<number> {
  return (await reader.get<{ id: number | null }>(
    ["order_books"],
    "SELECT MAX(id) AS id FROM order_books",
  ))
    ?.id ?? 0;
}
