/**
 * Helpers for tests of the trading core: a test instrument and hand-built books.
 *
 * @module
 */

import type { Lots, Ticks } from "../market/fixed_point.ts";
import { type Instrument, makeInstrument } from "../market/instrument.ts";
import { OrderBook } from "../market/order_book.ts";

/** BTC/USDT on binance with 2 price decimals, 8 size decimals and a 0.00001 lot (1,000 units). */
export function testInstrument(): Instrument {
  return makeInstrument({
    venue: "binance",
    symbol: "BTC/USDT",
    priceDecimals: 2,
    sizeDecimals: 8,
    lotSize: 1_000,
  });
}

/** Builds a book from `[price, size]` pairs given as plain numbers (ticks, lots). */
export function bookFrom(
  levels: {
    bids: readonly (readonly [number, number])[];
    asks: readonly (readonly [number, number])[];
  },
  inst: Instrument = testInstrument(),
): OrderBook {
  const book = new OrderBook(inst);
  for (const [p, s] of levels.bids) book.set("bid", p as Ticks, s as Lots);
  for (const [p, s] of levels.asks) book.set("ask", p as Ticks, s as Lots);
  return book;
}
