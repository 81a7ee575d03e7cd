/**
 * The shape every venue's book-sync state machine shares, so connection and
 * replay code can drive any venue the same way.
 *
 * @module
 */

import type { BookDelta, BookSnapshot } from "./events.ts";
import type { OrderBook } from "./order_book.ts";

/** What happened to one snapshot or delta given to a {@linkcode BookSync}. */
export type SyncOutcome =
  /** Held until a snapshot arrives (venues with a REST snapshot). */
  | "buffered"
  /** Dropped: no snapshot yet on a venue whose stream starts with its own snapshot. */
  | "unsynced"
  /** Already covered by the book, dropped. */
  | "stale"
  /** Applied to the book (and its checksum matched, when it had one). */
  | "applied"
  /** Applied, but the book is now crossed: the caller should resync the symbol. */
  | "crossed"
  /** Sequence gap: the book was cleared; the caller must resync the symbol. */
  | "gap"
  /** The venue's checksum did not match after applying: the book was cleared; resync. */
  | "checksum_failed";

/** Counters every sync keeps. */
export interface BookSyncCounters {
  /** Deltas applied (snapshots are not counted). */
  applied: number;
  /** Deltas dropped as already covered. */
  stale: number;
  /** Sequence gaps detected. */
  gaps: number;
  /** Applications after which the book was crossed. */
  crossed: number;
}

/** Counters of venues with a book checksum. */
export interface ChecksumCounters {
  /** Checksums verified and matching. */
  checksumOk: number;
  /** Checksums that did not match. */
  checksumFailed: number;
}

/** A venue's book-sync state machine over one {@linkcode OrderBook}. */
export interface BookSync {
  /** The book maintained. */
  readonly book: OrderBook;
  /** True once the book reflects a snapshot and nothing broke since. */
  readonly synced: boolean;
  /** Counters since construction. */
  readonly counters: BookSyncCounters;
  /**
   * Applies a snapshot; returns the outcomes of the buffered deltas it released
   * (REST-snapshot venues), plus "crossed" / "checksum_failed" when the snapshot itself is bad.
   */
  onSnapshot(snapshot: BookSnapshot): readonly SyncOutcome[];
  /** Feeds one delta. */
  onDelta(delta: BookDelta): SyncOutcome;
  /** Drops the book and waits for a new snapshot. */
  reset(): void;
}

/** True for the outcomes after which the caller must fetch a new snapshot for the symbol. */
export function needsResync(
  outcome: SyncOutcome,
): outcome is "gap" | "checksum_failed" | "crossed" {
  return outcome === "gap" || outcome === "checksum_failed" || outcome === "crossed";
}

/**
 * Removes the worst levels of each side beyond `depth` (Kraken: "truncate your book
 * to the subscribed depth"; levels falling out of scope get no delete message).
 *
 * @returns Number of levels removed.
 */
export function truncateBook(book: OrderBook, depth: number): number {
  let removed = 0;
  for (const side of ["bid", "ask"] as const) {
    while (book.levelCount(side) > depth) {
      const worst = book.levelAt(side, book.levelCount(side) - 1);
      if (!worst) break;
      book.set(side, worst.price, 0 as typeof worst.size);
      removed++;
    }
  }
  return removed;
}
