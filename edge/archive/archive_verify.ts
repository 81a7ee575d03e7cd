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
import { booksPathOf, readArchiveBooks, readArchiveEvents } from "./archive_files.ts";

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

/**
 * Reads the archive back and checks it reproduces the store's rows: every event field by
 * field, the pictures, and the book after replaying all events.
 *
 * @throws {ArchiveVerifyError} On the first difference.
 */
export async function verify(
  path: string,
  inst: Instrument,
  events: readonly MarketEvent[],
  books: readonly PeriodicBookSnapshot[],
): Promise<void> {
  const back = await readArchiveEvents(path, inst);
  if (back.length !== events.length) {
    throw new ArchiveVerifyError(path, `${back.length} events read back, ${events.length} stored`);
  }
  for (let i = 0; i < events.length; i++) {
    const a = eventKey(events[i] as MarketEvent);
    const b = eventKey(back[i] as MarketEvent);
    if (a !== b) throw new ArchiveVerifyError(path, `event ${i + 1}: stored ${a}, archived ${b}`);
  }
  if (bookAfter(inst, events) !== bookAfter(inst, back)) {
    throw new ArchiveVerifyError(path, "the replayed books differ");
  }
  const bp = booksPathOf(path);
  const backBooks = books.length ? await readArchiveBooks(bp) : [];
  if (JSON.stringify(backBooks) !== JSON.stringify(books)) {
    throw new ArchiveVerifyError(bp, "periodic pictures differ");
  }
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
export function bookAfter(inst: Instrument, events: readonly MarketEvent[]): string {
  const book = new OrderBook(inst);
  for (const e of events) {
    if (e.kind === "snapshot") book.applySnapshot(e);
    else if (e.kind === "delta") {
      book.applyLevels("bid", e.bids);
      book.applyLevels("ask", e.asks);
    }
  }
  return JSON.stringify([book.top("bid"), book.top("ask")]);
}
