/**
 * Row shapes shared by the SQL store adapters (SQLite and PostgreSQL): how instruments, events
 * and book levels map to columns and back.
 *
 * @module
 */
import type { LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import type { OhlcvBar } from "../../core/market/ohlcv.ts";
import type { PeriodicBookSnapshot } from "../../core/storage.ts";
import { type Instrument, makeInstrument, type VenueId } from "../../core/market/instrument.ts";

/** An `instruments` row. */
export interface InstrumentRow {
  /** Venue. */
  venue: VenueId;
  /** Normalized symbol. */
  symbol: string;
  /** Venue's symbol. */
  venue_symbol: string;
  /** Price decimals. */
  price_decimals: number;
  /** Size decimals. */
  size_decimals: number;
  /** Decimals of the venue's price text. */
  price_text_decimals: number;
  /** Decimals of the venue's size text. */
  size_text_decimals: number;
  /** Tick size in ticks. */
  tick_size: number;
  /** Lot size in lots. */
  lot_size: number;
}

/** Column values of an instrument, in `instruments` column order. */
export function instrumentValues(
  i: Instrument,
): [string, string, string, string, string, number, number, number, number, number, number] {
  return [
    i.venue,
    i.symbol,
    i.venueSymbol,
    i.base,
    i.quote,
    i.priceDecimals,
    i.sizeDecimals,
    i.priceTextDecimals,
    i.sizeTextDecimals,
    i.tickSize,
    i.lotSize,
  ];
}

/** Rebuilds an instrument from its row. */
export function rowToInstrument(r: InstrumentRow): Instrument {
  return makeInstrument({
    venue: r.venue,
    symbol: r.symbol,
    venueSymbol: r.venue_symbol,
    priceDecimals: r.price_decimals,
    sizeDecimals: r.size_decimals,
    priceTextDecimals: r.price_text_decimals,
    sizeTextDecimals: r.size_text_decimals,
    tickSize: r.tick_size,
    lotSize: r.lot_size,
  });
}

/** Summary columns of a book: best bid, best ask, level counts, levels as JSON. */
export function bookColumns(
  bids: readonly LevelUpdate[],
  asks: readonly LevelUpdate[],
): [number | null, number | null, number, number, string, string] {
  let bestBid: number | null = null;
  let bestAsk: number | null = null;
  for (const [p] of bids) if (bestBid === null || p > bestBid) bestBid = p;
  for (const [p] of asks) if (bestAsk === null || p < bestAsk) bestAsk = p;
  return [bestBid, bestAsk, bids.length, asks.length, JSON.stringify(bids), JSON.stringify(asks)];
}

/** A column value the SQL adapters write. */
export type ColumnValue = string | number | null;

/**
 * The row one event writes: its table and column values in the order both adapters insert them
 * (SQLite adds its ingest `seq` in front).
 */
export type EventValues = {
  /** Table of the row. */
  readonly table: "book_deltas" | "trades" | "order_books";
  /** Column values. */
  readonly values: ColumnValue[];
};

/**
 * The row of a normalized event: a delta (`book_deltas`), a trade (`trades`) or a venue
 * snapshot (`order_books` with source "venue").
 */
export function eventValues(e: MarketEvent): EventValues {
  const head = [e.venue, e.symbol];
  const times = [e.exchangeTime, e.receiveTime];
  if (e.kind === "delta") {
    const sequences = [e.firstSequence, e.lastSequence];
    const levels = [JSON.stringify(e.bids), JSON.stringify(e.asks), e.checksum ?? null];
    return { table: "book_deltas", values: [...head, ...times, ...sequences, ...levels] };
  }
  if (e.kind === "trade") {
    const trade = [e.tradeId, e.price, e.size, e.takerSide];
    return { table: "trades", values: [...head, ...trade, ...times] };
  }
  const book = ["venue", ...times, e.sequence, ...bookColumns(e.bids, e.asks)];
  return { table: "order_books", values: [...head, ...book] };
}

/** Column values of a periodic book picture (`order_books` with source "periodic"). */
export function periodicBookValues(b: PeriodicBookSnapshot): ColumnValue[] {
  return [b.venue, b.symbol, "periodic", 0, b.time, b.sequence, ...bookColumns(b.bids, b.asks)];
}

/** Column values of an `ohlcv` row. */
export function barValues(b: OhlcvBar): ColumnValue[] {
  return [b.venue, b.symbol, b.start, b.open, b.high, b.low, b.close, b.volume, b.trades];
}

/**
 * One row of the events union both adapters select: `k` is 0 for a delta (`a`, `b` = first and
 * last sequence, `c` = checksum), 1 for a venue snapshot (`a` = sequence), 2 for a trade.
 */
export interface EventRow {
  /** Kind code. */
  k: 0 | 1 | 2;
  /** Venue. */
  venue: VenueId;
  /** Symbol. */
  symbol: string;
  /** Venue time, ms. */
  exchange_time: number;
  /** Receive time, ms. */
  receive_time: number;
  /** First sequence (delta) or sequence (snapshot). */
  a: number;
  /** Last sequence (delta). */
  b: number;
  /** Checksum (delta) or null. */
  c: number | null;
  /** Bid levels JSON. */
  bids: string;
  /** Ask levels JSON. */
  asks: string;
  /** Trade id. */
  trade_id: string;
  /** Trade price. */
  price: Ticks;
  /** Trade size. */
  size: Lots;
  /** Trade aggressor side. */
  taker_side: "buy" | "sell";
}

/** Rebuilds a normalized event from a union row. */
export function rowToEvent(row: unknown): MarketEvent {
  const r = row as EventRow;
  const head = {
    venue: r.venue,
    symbol: r.symbol,
    exchangeTime: r.exchange_time,
    receiveTime: r.receive_time,
  };
  if (r.k === 0) {
    return {
      kind: "delta",
      ...head,
      firstSequence: r.a,
      lastSequence: r.b,
      bids: JSON.parse(r.bids),
      asks: JSON.parse(r.asks),
      ...(r.c === null ? {} : { checksum: r.c }),
    };
  }
  if (r.k === 1) {
    return {
      kind: "snapshot",
      ...head,
      sequence: r.a,
      bids: JSON.parse(r.bids),
      asks: JSON.parse(r.asks),
    };
  }
  return {
    kind: "trade",
    ...head,
    tradeId: r.trade_id,
    price: r.price,
    size: r.size,
    takerSide: r.taker_side,
  };
}

/** A periodic `order_books` row as both adapters select it. */
export interface BookRow {
  /** Venue. */
  venue: VenueId;
  /** Symbol. */
  symbol: string;
  /** Picture time (receive clock), ms. */
  receive_time: number;
  /** Venue sequence the book reflects. */
  sequence: number;
  /** Bid levels JSON. */
  bids: string;
  /** Ask levels JSON. */
  asks: string;
}

/** Rebuilds a periodic book picture from its row. */
export function rowToBook(r: BookRow): PeriodicBookSnapshot {
  return {
    venue: r.venue,
    symbol: r.symbol,
    time: r.receive_time,
    sequence: r.sequence,
    bids: JSON.parse(r.bids),
    asks: JSON.parse(r.asks),
  };
}
