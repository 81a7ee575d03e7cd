import type { LevelUpdate, MarketEvent } from "./market/events.ts";
import type { Instrument, VenueId } from "./market/instrument.ts";
import type { OhlcvBar } from "./market/ohlcv.ts";

/** A periodic picture of a maintained book (not a venue snapshot). */
export interface PeriodicBookSnapshot {
  /** Venue. */
  readonly venue: VenueId;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Receive time the picture was taken at, epoch ms. */
  readonly time: number;
  /** Venue sequence the book reflects. */
  readonly sequence: number;
  /** Bids, best first (truncated to the configured depth). */
  readonly bids: readonly LevelUpdate[];
  /** Asks, best first (truncated to the configured depth). */
  readonly asks: readonly LevelUpdate[];
}

/** What one {@linkcode MarketStore.writeBatch} call writes, in one transaction. */
export interface StoreBatch {
  /** Normalized events in receive order (venue snapshots, deltas, trades). */
  readonly events?: readonly MarketEvent[];
  /** Periodic book pictures (`order_books` rows with source "periodic"). */
  readonly books?: readonly PeriodicBookSnapshot[];
  /** Completed or updated OHLCV bars (upserted by venue, symbol, start). */
  readonly bars?: readonly OhlcvBar[];
}

/** Filter for {@linkcode MarketStore.readEvents}. */
export interface EventQuery {
  /** Only this venue. */
  readonly venue?: VenueId;
  /** Only this symbol. */
  readonly symbol?: string;
  /** Only events with a receive time at or after this, epoch ms. */
  readonly fromTime?: number;
  /** Only events with a receive time before this, epoch ms. */
  readonly toTime?: number;
}

/** Result of applying migrations. */
export interface MigrationReport {
  /** Schema version before. */
  readonly from: number;
  /** Schema version after. */
  readonly to: number;
  /** Names of the migrations applied now. */
  readonly applied: readonly string[];
}

/**
 * The storage port: what the edge, trainer and dashboard need from a database.
 * SQLite implements it on the Pi; PostgreSQL/TimescaleDB implements it for fleets.
 */
export interface MarketStore {
  /** "sqlite" or "postgres". */
  readonly backend: string;
  /** Applies pending schema migrations. */
  migrate(): Promise<MigrationReport>;
  /** Records instruments (needed to decode stored fixed-point values). */
  putInstruments(instruments: readonly Instrument[]): Promise<void>;
  /** Reads back the recorded instruments. */
  instruments(): Promise<Instrument[]>;
  /** Writes a batch atomically. Trades are unique by (venue, symbol, trade id). */
  writeBatch(batch: StoreBatch): Promise<void>;
  /**
   * Reads normalized events back for exact replay: in ingest order (SQLite), or by receive time
   * with a deterministic tie-break (PostgreSQL, where several edges write); the same order for
   * one edge's events.
   */
  readEvents(query?: EventQuery): AsyncIterable<MarketEvent>;
  /** Reads OHLCV bars ordered by start. */
  readBars(query?: EventQuery): Promise<OhlcvBar[]>;
  /** Reads periodic book pictures ordered by time. */
  readBooks(query?: EventQuery): Promise<PeriodicBookSnapshot[]>;
  /** Row count per table (the store's market tables, in its own order). */
  tableCounts(): Promise<Record<string, number>>;
  /** Closes the connection. */
  close(): Promise<void>;
}
