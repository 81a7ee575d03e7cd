/**
 * Order-flow imbalance (Cont, Kukanov & Stoikov, "The price impact of order book
 * events", J. Financial Econometrics 12(1), 2014).
 *
 * @module
 */

/** Best bid and ask of a book as floats (quote per base, base units). */
export interface TopOfBook {
  /** Best bid price. */
  readonly bidPrice: number;
  /** Size at the best bid. */
  readonly bidSize: number;
  /** Best ask price. */
  readonly askPrice: number;
  /** Size at the best ask. */
  readonly askSize: number;
}

/**
 * Contribution of one book event to OFI, from the top of book before and after it:
 *
 * `e = 1{Pb' >= Pb}·qb' − 1{Pb' <= Pb}·qb − 1{Pa' <= Pa}·qa' + 1{Pa' >= Pa}·qa`
 *
 * Positive values are buying pressure: more size at the bid, a bid price that
 * moved up, less size at the ask or an ask that moved up.
 *
 * @param prev Top of book before the event.
 * @param next Top of book after the event.
 * @returns The contribution, in base units.
 *
 * @example Bid size grows by 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { ofiContribution } from "./ofi.ts";
 * const before = { bidPrice: 100, bidSize: 1, askPrice: 101, askSize: 1 };
 * assert.equal(ofiContribution(before, { ...before, bidSize: 3 }), 2);
 * ```
 */
export function ofiContribution(prev: TopOfBook, next: TopOfBook): number {
  let e = 0;
  if (next.bidPrice >= prev.bidPrice) e += next.bidSize;
  if (next.bidPrice <= prev.bidPrice) e -= prev.bidSize;
  if (next.askPrice <= prev.askPrice) e -= next.askSize;
  if (next.askPrice >= prev.askPrice) e += prev.askSize;
  return e;
}
