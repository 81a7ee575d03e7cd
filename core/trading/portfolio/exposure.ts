/**
 * The account's exposure around one instrument, for the portfolio caps: position values
 * marked at mid (cost when a book side is missing), summed for the instrument, its symbol
 * on every venue, its venue, its base asset on every symbol and venue, and every position.
 *
 * @module
 */

import type { Ticks } from "../../market/fixed_point.ts";
import type { Instrument } from "../../market/instrument.ts";
import type { BookRunner } from "../books/book_runner.ts";
import { type Ledger, midValue } from "../ledger/ledger.ts";
import type { Amount } from "../orders/money.ts";

/** Position values (quote amounts) around one instrument. */
export interface Exposure {
  /** The instrument itself. */
  readonly instrument: Amount;
  /** Its normalized symbol across venues. */
  readonly symbol: Amount;
  /** Everything on its venue. */
  readonly venue: Amount;
  /** Its base asset across symbols and venues. */
  readonly asset: Amount;
  /** Every position. */
  readonly total: Amount;
}

/** Marked value of the position held on one runner's instrument (0 when flat). */
export function positionValue(r: BookRunner, ledger: Ledger): Amount {
  const p = r.position(ledger);
  if (p.qty <= 0) return 0n;
  const bid = r.book.bestBidPrice();
  const ask = r.book.bestAskPrice();
  if (bid === undefined || ask === undefined) return p.cost;
  return midValue(r.inst, p.qty, { bid: bid as Ticks, ask: ask as Ticks });
}

/** Sums the position values of `runners` around `inst`. */
export function exposureAround(
  inst: Instrument,
  runners: readonly BookRunner[],
  ledger: Ledger,
): Exposure {
  let instrument = 0n;
  let symbol = 0n;
  let venue = 0n;
  let asset = 0n;
  let total = 0n;
  for (const r of runners) {
    const v = positionValue(r, ledger);
    if (v === 0n) continue;
    total += v;
    if (r.inst.base === inst.base) asset += v;
    if (r.inst.venue === inst.venue) venue += v;
    if (r.inst.symbol === inst.symbol) {
      symbol += v;
      if (r.inst.venue === inst.venue) instrument += v;
    }
  }
  return { instrument, symbol, venue, asset, total };
}
