/**
 * Telling a delta frame the venue sent twice from a new one, and the sequence a book reflects.
 *
 * @module
 */

import type { BookSync } from "../../core/market/book_sync.ts";
import type { LevelUpdate, MarketEvent } from "../../core/market/events.ts";

/**
 * True when `e` repeats `prev` exactly (same update ids, exchange time and levels): a frame the
 * venue sent twice. Venues without sequences (Kraken) are compared by their levels.
 */
export function isRepeat(
  prev: (MarketEvent & { kind: "delta" }) | undefined,
  e: MarketEvent & { kind: "delta" },
): boolean {
  if (
    !prev || prev.firstSequence !== e.firstSequence || prev.lastSequence !== e.lastSequence ||
    prev.exchangeTime !== e.exchangeTime
  ) return false;
  if (e.lastSequence > 0) return true;
  const same = (a: readonly LevelUpdate[], b: readonly LevelUpdate[]) =>
    a.length === b.length && a.every((x, i) => x[0] === b[i]![0] && x[1] === b[i]![1]);
  return same(prev.bids, e.bids) && same(prev.asks, e.asks);
}

/** The venue sequence a book reflects, when its sync exposes one (0 otherwise). */
export function sequenceOf(sync: BookSync): number {
  const s = sync as { lastUpdateId?: number; sequence?: number };
  return s.lastUpdateId ?? s.sequence ?? 0;
}
