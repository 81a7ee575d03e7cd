import type { Lots, Ticks } from "./fixed_point.ts";
import type { VenueId } from "./instrument.ts";

/** Book side. */
export type Side = "bid" | "ask";

/** One price level change or level: `[price, size]`; size 0 in a delta deletes the level. */
export type LevelUpdate = readonly [price: Ticks, size: Lots];

/** Fields every normalized market event carries. */
export interface EventHeader {
  /** Venue that produced the event. */
  readonly venue: VenueId;
  /** Normalized symbol, e.g. "BTC/USDT". */
  readonly symbol: string;
  /** Venue's event time, epoch milliseconds (0 when the venue gives none). */
  readonly exchangeTime: number;
  /** Local receive time, epoch milliseconds (fractional part keeps micro/nanoseconds). */
  readonly receiveTime: number;
}

/** A full L2 snapshot. */
export interface BookSnapshot extends EventHeader {
  /** Discriminant. */
  readonly kind: "snapshot";
  /** Venue sequence of the snapshot (Binance lastUpdateId, KuCoin sequence, ...); 0 if none. */
  readonly sequence: number;
  /** Bid levels, any order. */
  readonly bids: readonly LevelUpdate[];
  /** Ask levels, any order. */
  readonly asks: readonly LevelUpdate[];
}

/** An incremental L2 update with the venue's sequence fields. */
export interface BookDelta extends EventHeader {
  /** Discriminant. */
  readonly kind: "delta";
  /** First sequence covered by this delta (Binance `U`); equals `lastSequence` for single-sequence venues. */
  readonly firstSequence: number;
  /** Last sequence covered by this delta (Binance `u`). */
  readonly lastSequence: number;
  /** Bid level changes. */
  readonly bids: readonly LevelUpdate[];
  /** Ask level changes. */
  readonly asks: readonly LevelUpdate[];
  /** Venue checksum to verify after applying, when the venue sends one. */
  readonly checksum?: number;
}

/** A public trade. */
export interface Trade extends EventHeader {
  /** Discriminant. */
  readonly kind: "trade";
  /** Venue trade id as text (numeric on most venues). */
  readonly tradeId: string;
  /** Trade price. */
  readonly price: Ticks;
  /** Trade size. */
  readonly size: Lots;
  /** Aggressor side: "buy" when the taker bought (lifted the ask). */
  readonly takerSide: "buy" | "sell";
}

/** Any normalized market event. */
export type MarketEvent = BookSnapshot | BookDelta | Trade;
