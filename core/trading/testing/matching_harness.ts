/**
 * A matching simulator on a small book for tests: the fills and order changes it
 * reports, a `submit` that builds the order, and trade events.
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Trade } from "../../market/events.ts";
import type { OrderBook } from "../../market/order_book.ts";
import { MatchingEngine } from "../exchange/matching.ts";
import { createOrder, type Fill, type Order, type OrderRequest } from "../orders/order.ts";
import { bookFrom } from "./testing.ts";

/** A matching simulator under test and what it reported. */
export interface Harness {
  book: OrderBook;
  engine: MatchingEngine;
  fills: Fill[];
  orders: Order[];
  submit: (req: Partial<OrderRequest>, times?: { now?: number; arrival?: number }) => Order;
}

let nextId = 0;
/** Builds a matching simulator on a book of `levels` (fees and band from `opts`). */
export function harness(
  levels: Parameters<typeof bookFrom>[0],
  opts: { bandBps?: number; makerPpm?: number; takerPpm?: number } = {},
): Harness {
  const book = bookFrom(levels);
  const fills: Fill[] = [];
  const orders: Order[] = [];
  let seq = 0;
  const engine = new MatchingEngine(book, {
    fees: { makerPpm: opts.makerPpm ?? 0, takerPpm: opts.takerPpm ?? 0 },
    maxSlippageBps: opts.bandBps ?? 100,
    nextFillSeq: () => ++seq,
    onFill: (f) => fills.push(f),
    onOrder: (o) => orders.push(o),
  });
  const submit = (req: Partial<OrderRequest>, times: { now?: number; arrival?: number } = {}) => {
    const now = times.now ?? 0;
    const o = createOrder(`o${++nextId}`, {
      venue: "binance",
      symbol: "BTC/USDT",
      side: "buy",
      type: "market",
      size: 1000 as Lots,
      ...req,
    } as OrderRequest, {
      submitTime: now,
      arrivalTime: times.arrival ?? now,
      decisionMid: book.mid(),
    });
    engine.submit(o, now);
    return o;
  };
  return { book, engine, fills, orders, submit };
}

/** A trade event on BTC/USDT. */
export function trade(price: number, size: number, takerSide: "buy" | "sell", t = 1): Trade {
  return {
    kind: "trade",
    venue: "binance",
    symbol: "BTC/USDT",
    exchangeTime: t,
    receiveTime: t,
    tradeId: String(t),
    price: price as Ticks,
    size: size as Lots,
    takerSide,
  };
}

/** Two bid and three ask levels around 9999.5. */
export const BOOK = {
  bids: [[9999, 4000], [9998, 6000]] as [number, number][],
  asks: [[10000, 5000], [10001, 3000], [10005, 10000]] as [number, number][],
};
