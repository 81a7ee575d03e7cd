/**
 * One followed symbol of a venue adapter: its state (book sync, health, resync bookkeeping,
 * snapshot coverage) and the rules on that state alone: outcome counting, whether a truncated
 * snapshot still covers the book, resync spacing and the staleness watchdog.
 *
 * @module
 */

import type { BookSync, SyncOutcome } from "../../core/market/book_sync.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { FeedHealth } from "./feed_health.ts";

/** One followed symbol. */
export interface SymbolFeed {
  /** Instrument of the symbol (replaced when the data or the venue's metadata change its scale). */
  inst: Instrument;
  /** Book sync (owns the book; rebuilt at the new scale with the instrument). */
  sync: BookSync;
  /** Health counters. */
  readonly health: FeedHealth;
  /** Index of the connection group carrying the symbol. */
  readonly group: number;
  /** Time the current resync may run again (rate limit), epoch ms. */
  nextResyncAt: number;
  /** Resyncs in a row, each within a minute of the previous one (spaces resyncs out). */
  resyncStreak: number;
  /** Time of the previous resync request, epoch ms. */
  lastResyncAt: number;
  /** A snapshot request or resubscribe is in flight. */
  pending: boolean;
  /** When the book was last reset (waiting for a snapshot since), epoch ms. */
  waitingSince: number;
  /** Deepest bid / ask of a truncated REST snapshot: the book is exact inside them. */
  coverage: { bid: number; ask: number } | undefined;
}

/** What {@linkcode makeSymbolFeed} needs besides the instrument. */
export interface SymbolFeedInit {
  /** Venue of the adapter. */
  readonly venue: VenueId;
  /** The instrument's book sync. */
  readonly sync: BookSync;
  /** Connection group carrying the symbol. */
  readonly group: number;
  /** Clock, epoch ms. */
  readonly now: () => number;
}

/** A new feed, waiting for its first snapshot. */
export function makeSymbolFeed(inst: Instrument, init: SymbolFeedInit): SymbolFeed {
  return {
    inst,
    sync: init.sync,
    health: new FeedHealth(init.venue, inst.symbol, init.now()),
    group: init.group,
    nextResyncAt: 0,
    resyncStreak: 0,
    lastResyncAt: 0,
    pending: false,
    waitingSince: init.now(),
    coverage: undefined,
  };
}

/** The price range a truncated snapshot covers, or undefined when it holds the whole book. */
export function coverageOf(
  snap: {
    bids: readonly (readonly [number, number])[];
    asks: readonly (readonly [number, number])[];
  },
  limit: number | undefined,
): { bid: number; ask: number } | undefined {
  if (limit === undefined || (snap.bids.length < limit && snap.asks.length < limit)) {
    return undefined;
  }
  let bid = Infinity;
  let ask = -Infinity;
  for (const [p] of snap.bids) bid = Math.min(bid, p);
  for (const [p] of snap.asks) ask = Math.max(ask, p);
  return {
    bid: snap.bids.length < limit ? -Infinity : bid,
    ask: snap.asks.length < limit ? Infinity : ask,
  };
}

/**
 * Whether the top `exactLevels` levels per side of a synced book still lie inside the range
 * its truncated snapshot covered (`f.coverage` must be set).
 */
export function isCovered(f: SymbolFeed, exactLevels: number): boolean {
  const k = exactLevels - 1;
  const bid = f.sync.book.levelAt("bid", k);
  const ask = f.sync.book.levelAt("ask", k);
  const cov = f.coverage as { bid: number; ask: number };
  // Fewer than k levels on a side that the snapshot truncated: the rest are unknown too.
  return (bid === undefined ? cov.bid === -Infinity : bid.price >= cov.bid) &&
    (ask === undefined ? cov.ask === Infinity : ask.price <= cov.ask);
}

/** Counts a sync outcome that signals trouble in the feed's health. */
export function countOutcome(f: SymbolFeed, o: SyncOutcome): void {
  if (o === "gap") f.health.gaps++;
  else if (o === "checksum_failed") f.health.checksumFailures++;
  else if (o === "crossed") f.health.crossed++;
  else if (o === "stale") f.health.stale++;
}

/** Timing of {@linkcode scheduleResync}. */
export interface ResyncTiming {
  /** Current time, epoch ms. */
  readonly now: number;
  /** Whether this resync counts (not the initial snapshot request). */
  readonly count: boolean;
  /** Least spacing between resyncs, ms (doubled per resync within a minute). */
  readonly intervalMs: number;
  /** Longest spacing, ms. */
  readonly maxIntervalMs: number;
}

/**
 * Books a resync request: updates the streak and the next allowed time.
 *
 * @returns How long to wait before sending the request, ms.
 */
export function scheduleResync(f: SymbolFeed, t: ResyncTiming): number {
  f.resyncStreak = t.count && t.now - f.lastResyncAt < 60_000 ? f.resyncStreak + 1 : 0;
  if (t.count) f.lastResyncAt = t.now;
  const spacing = Math.min(t.maxIntervalMs, t.intervalMs * 2 ** Math.min(f.resyncStreak, 16));
  const wait = Math.max(0, f.nextResyncAt - t.now);
  f.nextResyncAt = t.now + wait + spacing;
  return wait;
}

/**
 * The staleness watchdog for one feed: whether it is due a "stale" resync, marking it so one
 * silent period asks once. Due are a synced book without book messages for `limitMs`, and a
 * book whose snapshot never came (lost subscription reply, failed request) while its group is
 * open; REST-snapshot venues only once deltas flow again (a REST book without its stream would
 * go stale at once; a silent stream is the watchdog's business).
 */
export function staleResyncDue(
  f: SymbolFeed,
  check: { readonly now: number; readonly limitMs: number; readonly groupOpen: () => boolean },
): boolean {
  const { now, limitMs } = check;
  if (f.sync.synced) {
    if (f.health.lastBookAt > 0 && now - f.health.lastBookAt > limitMs) {
      f.health.lastBookAt = now;
      return true;
    }
    return false;
  }
  if (
    now - f.waitingSince > limitMs && check.groupOpen() &&
    (f.sync as { buffered?: number }).buffered !== 0
  ) {
    f.waitingSince = now;
    f.pending = false;
    return true;
  }
  return false;
}
