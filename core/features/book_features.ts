import type { Side } from "../market/events.ts";
import type { Lots } from "../market/fixed_point.ts";
import { priceToNumber, sizeToNumber } from "../market/instrument.ts";
import type { OrderBook } from "../market/order_book.ts";
import type { TopOfBook } from "./ofi.ts";

/**
 * Snapshot features of one L2 book, as floats (prices in quote units, sizes in
 * base units). Each function expects a book with both sides non-empty; callers
 * check {@linkcode topOfBook} first.
 *
 * @module
 */

/** Best levels as floats, or undefined when a side is empty. */
export function topOfBook(book: OrderBook): TopOfBook | undefined {
  const bid = book.best("bid");
  const ask = book.best("ask");
  if (!bid || !ask) return undefined;
  const inst = book.instrument;
  return {
    bidPrice: priceToNumber(inst, bid.price),
    bidSize: sizeToNumber(inst, bid.size),
    askPrice: priceToNumber(inst, ask.price),
    askSize: sizeToNumber(inst, ask.size),
  };
}

/** Mid price (quote units). */
export function midPrice(top: TopOfBook): number {
  return (top.bidPrice + top.askPrice) / 2;
}

/** Spread in basis points of the mid. */
export function spreadBps(top: TopOfBook): number {
  return (top.askPrice - top.bidPrice) / midPrice(top) * 10_000;
}

/**
 * Size-weighted mid ("naive microprice") minus the mid, in bps of the mid:
 * `((Pa·Qb + Pb·Qa) / (Qa + Qb) − mid) / mid · 1e4`. Positive when the bid queue
 * is larger (the price is more likely to tick up).
 */
export function micropriceOffsetBps(top: TopOfBook): number {
  const mid = midPrice(top);
  const total = top.bidSize + top.askSize;
  const weighted = (top.askPrice * top.bidSize + top.bidPrice * top.askSize) / total;
  return (weighted - mid) / mid * 10_000;
}

/**
 * Order-book imbalance over the best `levels` levels per side:
 * `(ΣQb − ΣQa) / (ΣQb + ΣQa)`, in [-1, 1]; positive when bids outweigh asks.
 */
export function imbalance(book: OrderBook, levels: number): number {
  const bid = sideSize(book, "bid", levels);
  const ask = sideSize(book, "ask", levels);
  return (bid - ask) / (bid + ask);
}

/** Total size (base units) on a side within `bps` of the mid (levels at exactly the bound count). */
export function depthWithin(book: OrderBook, side: Side, bps: number): number {
  return sizeToNumber(book.instrument, book.depthWithinBps(side, bps));
}

/**
 * Slope of cumulative depth against distance from the mid over the best `levels`
 * levels of a side: least squares through the origin of `C_i` (cumulative size,
 * base units) on `d_i` (distance of level i from the mid, bps):
 * `Σ d_i·C_i / Σ d_i²`. Units: base per bp. A steep slope is a deep, resilient book.
 */
export function bookSlope(book: OrderBook, side: Side, levels: number, mid: number): number {
  const inst = book.instrument;
  let cum = 0, num = 0, den = 0;
  for (const [price, size] of book.top(side, levels)) {
    cum += sizeToNumber(inst, size);
    const d = Math.abs(priceToNumber(inst, price) - mid) / mid * 10_000;
    num += d * cum;
    den += d * d;
  }
  return num / den;
}

function sideSize(book: OrderBook, side: Side, levels: number): number {
  let total = 0;
  for (const [, size] of book.top(side, levels)) total += size;
  return sizeToNumber(book.instrument, total as Lots);
}
