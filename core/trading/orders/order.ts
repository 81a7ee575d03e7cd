/**
 * Orders, fills and the checks every order passes before it reaches a book.
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Instrument, VenueId } from "../../market/instrument.ts";
import { type Amount, notionalOf, type Ppm } from "./money.ts";

/** Buy or sell. */
export type OrderSide = "buy" | "sell";
/** Market order (walks the book inside the protection band) or limit order. */
export type OrderType = "market" | "limit";
/** Limit order lifetime: rest until cancelled, fill-what-you-can-now, or rest-only (never take). */
export type TimeInForce = "GTC" | "IOC" | "POST_ONLY";

/** What a strategy, the risk manager or a user asks for. */
export interface OrderRequest {
  /** Venue of the book. */
  readonly venue: VenueId;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Direction. */
  readonly side: OrderSide;
  /** Market or limit. */
  readonly type: OrderType;
  /** Size in lots of the instrument. */
  readonly size: Lots;
  /** Limit price (limit orders only). */
  readonly price?: Ticks;
  /** Limit lifetime; default GTC. Market orders are always IOC. */
  readonly tif?: TimeInForce;
  /** Only reduce an existing position (exits); risk lets these through in REDUCING state. */
  readonly reduceOnly?: boolean;
  /** Why the order exists ("strategy", "stop_loss", "take_profit", "trailing_stop", "kill_switch", ...). */
  readonly tag?: string;
}

/** Life cycle of a paper order. */
export type OrderStatus = "in_flight" | "open" | "filled" | "cancelled" | "rejected";

/** A paper order and its state. */
export interface Order {
  /** Engine-assigned id ("o1", "o2", ... in submission order). */
  readonly id: string;
  /** The request. */
  readonly request: OrderRequest;
  /** Status. */
  status: OrderStatus;
  /** Filled size so far. */
  filled: Lots;
  /** Time the order was submitted (epoch ms). */
  readonly submitTime: number;
  /** Time it reaches the venue's book (submit time + latency). */
  readonly arrivalTime: number;
  /** Mid price (ticks, may be fractional) at submission: the arrival benchmark for slippage. */
  readonly decisionMid: number | undefined;
  /** Queue ahead of a resting limit order, lots (estimate). */
  queueAhead: number;
  /** Why it was rejected or cancelled. */
  reason?: string;
  /** When a cancel was requested, the time it reaches the venue. */
  cancelAt?: number;
}

/** Maker (rested, then filled) or taker (took liquidity on arrival). */
export type Liquidity = "maker" | "taker";

/** One execution. Amounts are exact (10^-18 of the quote asset). */
export interface Fill {
  /** Sequence number of the fill in the run (1, 2, ...). */
  readonly seq: number;
  /** Order id. */
  readonly orderId: string;
  /** Venue. */
  readonly venue: VenueId;
  /** Symbol. */
  readonly symbol: string;
  /** Direction. */
  readonly side: OrderSide;
  /** Execution price. */
  readonly price: Ticks;
  /** Executed size. */
  readonly size: Lots;
  /** Quote notional, exact. */
  readonly notional: Amount;
  /** Fee charged in the quote asset (negative = rebate). */
  readonly fee: Amount;
  /** Maker or taker. */
  readonly liquidity: Liquidity;
  /** Time of the execution (epoch ms, receive-time clock). */
  readonly time: number;
  /** Mid at the order's submission (ticks), for slippage; undefined when the book had no mid. */
  readonly decisionMid: number | undefined;
  /** The order's tag. */
  readonly tag: string;
}

/** Maker and taker fee rates of one venue (config `fees`). */
export interface FeeSchedule {
  /** Maker rate, ppm of notional (negative = rebate). */
  readonly makerPpm: Ppm;
  /** Taker rate, ppm of notional. */
  readonly takerPpm: Ppm;
}

/** Venue trading rules for one instrument beyond its tick and lot sizes. */
export interface TradingRules {
  /** Smallest accepted order notional (quote amount). */
  readonly minNotional: Amount;
  /** Largest accepted order notional; undefined = no cap. */
  readonly maxNotional?: Amount;
}

/** An order the engine refused, with the reason. */
export interface Rejection {
  /** Always false. */
  readonly ok: false;
  /** Short machine-readable code. */
  readonly code: string;
  /** Human-readable reason naming the field and value. */
  readonly reason: string;
}

/** Result of a check: ok or a {@linkcode Rejection}. */
export type CheckResult = { readonly ok: true } | Rejection;

/** Builds a rejection. */
export function reject(code: string, reason: string): Rejection {
  return { ok: false, code, reason };
}

const OK: CheckResult = { ok: true };

/**
 * Checks an order request against the instrument's steps and the venue's rules:
 * known side/type/tif, positive integer size on the lot step, positive integer
 * price on the tick step for limits, no price on market orders, and min/max notional
 * at `refPrice` (the limit, or the touch for market orders).
 *
 * @param req The request.
 * @param options Instrument, rules and a reference price for market orders.
 * @returns ok, or a rejection with a reason (NaN and non-integers are named).
 */
export function validateOrder(
  req: OrderRequest,
  options: { inst: Instrument; rules: TradingRules; refPrice: Ticks | undefined },
): CheckResult {
  const { inst, rules } = options;
  if (req.venue !== inst.venue || req.symbol !== inst.symbol) {
    return reject(
      "instrument",
      `order is for ${req.venue} ${req.symbol}, book is ${inst.venue} ${inst.symbol}`,
    );
  }
  if (req.side !== "buy" && req.side !== "sell") {
    return reject("side", `side must be buy or sell: got ${String(req.side)}`);
  }
  if (req.type !== "market" && req.type !== "limit") {
    return reject("type", `type must be market or limit: got ${String(req.type)}`);
  }
  if (req.tif !== undefined && req.tif !== "GTC" && req.tif !== "IOC" && req.tif !== "POST_ONLY") {
    return reject("tif", `tif must be GTC, IOC or POST_ONLY: got ${String(req.tif)}`);
  }
  const size = req.size as number;
  if (!Number.isSafeInteger(size) || size <= 0) {
    return reject("size", `size must be a positive integer number of lots: got ${size}`);
  }
  if (size % inst.lotSize !== 0) {
    return reject("lot_step", `size ${size} is not a multiple of the lot size ${inst.lotSize}`);
  }
  let price: Ticks | undefined = options.refPrice;
  if (req.type === "limit") {
    const p = req.price as number | undefined;
    if (p === undefined || !Number.isSafeInteger(p) || p <= 0) {
      return reject("price", `limit price must be a positive integer number of ticks: got ${p}`);
    }
    if (p % inst.tickSize !== 0) {
      return reject("tick_step", `price ${p} is not a multiple of the tick size ${inst.tickSize}`);
    }
    price = p as Ticks;
  } else {
    if (req.price !== undefined) {
      return reject("price", `market orders take no price: got ${req.price}`);
    }
    if (req.tif === "POST_ONLY" || req.tif === "GTC") {
      return reject("tif", `market orders are IOC: got ${req.tif}`);
    }
  }
  if (price === undefined) return reject("no_price", "no reference price: the book has no touch");
  const notional = notionalOf(inst, price, req.size);
  if (notional < rules.minNotional) {
    return reject(
      "min_notional",
      `notional ${notional} is below the minimum ${rules.minNotional} (10^-18 quote)`,
    );
  }
  if (rules.maxNotional !== undefined && notional > rules.maxNotional) {
    return reject(
      "max_notional",
      `notional ${notional} is above the maximum ${rules.maxNotional} (10^-18 quote)`,
    );
  }
  return OK;
}

/** Creates a new in-flight {@linkcode Order}. */
export function createOrder(
  id: string,
  request: OrderRequest,
  times: { submitTime: number; arrivalTime: number; decisionMid: number | undefined },
): Order {
  return {
    id,
    request,
    status: "in_flight",
    filled: 0 as Lots,
    submitTime: times.submitTime,
    arrivalTime: times.arrivalTime,
    decisionMid: times.decisionMid,
    queueAhead: 0,
  };
}

/** Size of `o` still to fill, lots. */
export function remainingSize(o: Order): number {
  return o.request.size - o.filled;
}

/** True when `o` is filled, cancelled or rejected (no longer live). */
export function isOrderDone(o: Order): boolean {
  return o.status === "filled" || o.status === "cancelled" || o.status === "rejected";
}

/** Rounds a fill size down to the lot step of `inst` (venue sizes can be finer): conservative. */
export function floorToLot(inst: Instrument, size: number): number {
  const lot = inst.lotSize;
  return size - (size % lot);
}
