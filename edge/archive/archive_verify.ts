/**
 * Verification of an archive file against the store rows it replaces: every event field by
 * field, the book after replaying them, and the periodic pictures.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import type { PeriodicBookSnapshot } from "../../core/storage.ts";
import { booksPathOf, readArchiveBooks, streamArchiveEvents } from "./archive_files.ts";

/** The archive does not reproduce the store: the rows were kept. */
export class ArchiveVerifyError extends Error {
  /**
   * @param file The archive file.
   * @param message What differs.
   */
  constructor(file: string, message: string) {
    super(`archive ${file} does not match the store, rows kept: ${message}`);
    this.name = "ArchiveVerifyError";
  }
}

/** What {@linkcode verify} counted (the rows the archive replaces). */
export interface VerifiedCounts {
  /** Deltas. */
  deltas: number;
  /** Trades. */
  trades: number;
  /** Venue snapshots. */
  snapshots: number;
  /** First and last receive time (ms), NaN when empty. */
  first: number;
  /** Last receive time. */
  last: number;
}

/**
 * Reads the archive back and checks it reproduces the store's rows: every event field by
 * field (streamed side by side, so memory stays small), the book after replaying all events,
 * and the pictures.
 *
 * @param path The archive events file.
 * @param inst Its book's instrument.
 * @param events The stored events, in ingest order.
 * @param books The stored periodic pictures.
 * @returns The counts of what was verified.
 * @throws {ArchiveVerifyError} On the first difference.
 */
export async function verify(
  path: string,
  inst: Instrument,
  events: AsyncIterable<MarketEvent> | Iterable<MarketEvent>,
  books: readonly PeriodicBookSnapshot[],
): Promise<VerifiedCounts> {
  const counts: VerifiedCounts = { deltas: 0, trades: 0, snapshots: 0, first: NaN, last: NaN };
  const back = streamArchiveEvents(path, inst);
  const stored = new OrderBook(inst);
  const archived = new OrderBook(inst);
  let i = 0;
  try {
    for await (const e of events) {
      const r = await back.next();
      if (r.done) throw new ArchiveVerifyError(path, `${i} events read back, more stored`);
      const a = eventKey(e);
      const b = eventKey(r.value);
      if (a !== b) throw new ArchiveVerifyError(path, `event ${i + 1}: stored ${a}, archived ${b}`);
      apply(stored, e);
      apply(archived, r.value);
      if (e.kind === "delta") counts.deltas++;
      else if (e.kind === "trade") counts.trades++;
      else counts.snapshots++;
      if (i === 0) counts.first = e.receiveTime;
      counts.last = e.receiveTime;
      i++;
    }
    if (!(await back.next()).done) {
      throw new ArchiveVerifyError(path, `more events read back than the ${i} stored`);
    }
  } finally {
    await back.return(undefined);
  }
  if (bookText(stored) !== bookText(archived)) {
    throw new ArchiveVerifyError(path, "the replayed books differ");
  }
  const bp = booksPathOf(path);
  const backBooks = books.length ? await readArchiveBooks(bp) : [];
  if (JSON.stringify(backBooks) !== JSON.stringify(books)) {
    throw new ArchiveVerifyError(bp, "periodic pictures differ");
  }
  return counts;
}

function apply(book: OrderBook, e: MarketEvent): void {
  if (e.kind === "snapshot") book.applySnapshot(e);
  else if (e.kind === "delta") {
    book.applyLevels("bid", e.bids);
    book.applyLevels("ask", e.asks);
  }
}

function bookText(book: OrderBook): string {
  return JSON.stringify([book.top("bid"), book.top("ask")]);
}

/** A canonical text of every field of an event (order-independent of object keys). */
export function eventKey(e: MarketEvent): string {
  const head = [e.kind, e.venue, e.symbol, e.exchangeTime, e.receiveTime];
  if (e.kind === "trade") return JSON.stringify([...head, e.tradeId, e.price, e.size, e.takerSide]);
  if (e.kind === "snapshot") return JSON.stringify([...head, e.sequence, e.bids, e.asks]);
  return JSON.stringify([
    ...head,
    e.firstSequence,
    e.lastSequence,
    e.bids,
    e.asks,
    e.checksum ?? null,
  ]);
}

/** The book after applying the events in order (snapshots replace, deltas update), as text. */
export function bookAfter(inst: Instrument, events: Iterable<MarketEvent>): string {
  const book = new OrderBook(inst);
  for (const e of events) apply(book, e);
  return bookText(book);
}
