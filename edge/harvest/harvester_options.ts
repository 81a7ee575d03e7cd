/**
 * The options and running totals of the harvester (edge/harvest/harvester.ts).
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { MarketStore } from "../../core/storage.ts";
import type { SqliteDatabase as DatabaseSync } from "../../infra/store/sqlite_db.ts";
import type { AdapterOptions } from "../venues/venue_adapter.ts";
import type { MetadataOptions } from "../venues/metadata/instrument_source.ts";

/** Options of the harvester. */
export interface HarvesterOptions {
  /** The validated configuration (exchanges, symbols, storage, risk.stale_after_s). */
  readonly config: Config;
  /** Destination of the market data (SQLite or PostgreSQL). */
  readonly store: MarketStore;
  /**
   * SQLite database of feed health and arbitrage. Default: the store's own database when the
   * store is SQLite (required otherwise).
   */
  readonly db?: DatabaseSync;
  /** One JSON log line per incident and health report. Default: nothing. */
  readonly log?: (line: string) => void;
  /** Health report interval, ms. Default 10,000. */
  readonly healthIntervalMs?: number;
  /** Adapter timing overrides (tests use short ones). */
  readonly adapter?: Omit<AdapterOptions, "wsUrl" | "restUrl" | "instruments" | "sink">;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Pause after a failed store write before retrying, ms. Default 5,000. */
  readonly writeRetryMs?: number;
  /** Also receives every normalized event, after it is queued for the store (e.g. the paper trader's feed). */
  readonly onEvent?: (e: MarketEvent) => void;
  /**
   * Instrument metadata: each venue's endpoint, cached in `cacheDir` and refreshed daily;
   * `false` uses the built-in table only. Default: fetched, no disk cache.
   */
  readonly metadata?: Omit<MetadataOptions, "force" | "log"> | false;
}

/** Running totals of a harvester. */
export interface HarvestStats {
  events: number;
  trades: number;
  deltas: number;
  snapshots: number;
  book_pictures: number;
  health_rows: number;
  opportunities: number;
  resyncs: number;
  bad_frames: number;
  write_errors: number;
  /** Deltas dropped because the venue sent the same frame again (never stored twice). */
  repeated_deltas: number;
  /** Unwritten events dropped (oldest first) while the store refused writes; never acknowledged. */
  dropped_events: number;
  /** Events still unwritten after the final flush at stop (the store kept refusing). */
  unwritten_events: number;
  /** Instruments replaced while running (data finer than the precision, metadata refresh). */
  instrument_changes: number;
}
