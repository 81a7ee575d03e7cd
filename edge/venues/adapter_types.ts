/**
 * Types shared by the venue adapters: options (URLs from configuration), the
 * sink, resync reasons and counters (per-symbol feed state: symbol_feed.ts).
 *
 * @module
 */

import type { SyncOutcome } from "../../core/market/book_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";

/** Where an adapter delivers what it sees. */
export interface AdapterSink {
  /** Every normalized event, after the sync handled it (with its outcome for book events). */
  onEvent?(event: MarketEvent, outcome: SyncOutcome | undefined): void;
  /** A frame that could not be parsed or a venue error message. */
  onBadFrame?(venue: VenueId, message: string): void;
  /** A symbol is being resynced. */
  onResync?(venue: VenueId, symbol: string, reason: ResyncReason): void;
  /**
   * A symbol's instrument changed (data finer than its precision, or the daily metadata
   * refresh): its book is rebuilt at the new scale; `why` says what changed.
   */
  onInstrument?(venue: VenueId, inst: Instrument, why: string): void;
}

/** Why a symbol was resynced. */
export type ResyncReason =
  | "gap"
  | "checksum_failed"
  | "crossed"
  | "stale"
  | "venue_error"
  /** The book moved past the depth a truncated REST snapshot covered (see `exactLevels`). */
  | "coverage"
  /** The data was finer than the instrument's precision: rebuilt at the widened scale. */
  | "precision"
  /** The venue's metadata changed the tick, lot or minimum notional (daily refresh). */
  | "metadata";

/** Options every adapter takes (URLs come from configuration). */
export interface AdapterOptions {
  /** WebSocket base URL (config `ws_url`). */
  readonly wsUrl: string;
  /** REST base URL (config `rest_url`). */
  readonly restUrl: string;
  /** Instruments to follow (their `venueSymbol` is what the venue calls them). */
  readonly instruments: readonly Instrument[];
  /** Receiver of events and incidents. */
  readonly sink?: AdapterSink;
  /** Resync a synced symbol that got no market message for this long, ms. Default 30,000. */
  readonly staleAfterMs?: number;
  /** Reconnect proactively after this long (jittered 5 % earlier), ms. Default 23.5 h. */
  readonly maxConnectionAgeMs?: number;
  /** Close a socket silent for this long, ms. Default 30,000. */
  readonly silenceTimeoutMs?: number;
  /** First reconnect delay, ms. Default 1,000. */
  readonly initialDelayMs?: number;
  /** Largest reconnect delay, ms. Default 60,000. */
  readonly maxDelayMs?: number;
  /**
   * Levels per side that must stay inside the price range a depth-limited REST snapshot
   * covered (beyond it, levels that never changed since the snapshot are unknown); when
   * fewer remain, the symbol resyncs. Default 20.
   */
  readonly exactLevels?: number;
  /**
   * Least time between two resyncs of one symbol, ms; doubled for every further resync
   * within a minute of the previous one, up to `maxResyncIntervalMs` (a symbol that keeps failing, e.g.
   * a Kraken pair whose precision changed, is not resubscribed in a tight loop). Default 1,000.
   */
  readonly resyncIntervalMs?: number;
  /** Longest spacing between resyncs of a symbol that keeps failing, ms. Default 60,000. */
  readonly maxResyncIntervalMs?: number;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Random source for jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Timeout of every REST request (snapshot, token), ms. Default 10,000. */
  readonly requestTimeoutMs?: number;
  /** A connection counts as up (and the reconnect backoff restarts) after this long, ms. Default 30,000. */
  readonly stableAfterMs?: number;
  /** HTTP client. Default the global `fetch`. */
  readonly fetch?: typeof fetch;
}

/** Adapter-wide counters. */
export interface AdapterCounters {
  /** Frames that failed to parse. */
  badFrames: number;
  /** Error messages sent by the venue. */
  venueErrors: number;
  /** Book levels dropped as out of the fixed-point range. */
  droppedLevels: number;
  /** Failed REST requests and connection attempts. */
  requestErrors: number;
  /** Instruments replaced (widened to the data, or changed by the venue's metadata). */
  instrumentChanges: number;
  /** Frames a venue repeated on its connection sequence (discarded; e.g. Coinbase). */
  repeatedFrames?: number;
}
