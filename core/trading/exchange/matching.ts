/**
 * The matching simulator of one book: takes paper orders after their latency,
 * walks the live L2 book for taker fills (protection band, consumed liquidity),
 * rests limit orders with a conservative queue-position estimate and fills them
 * from public trades. The recorded book is never modified.
 *
 * @module
 */

import type { BookDelta, Side, Trade } from "../../market/events.ts";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { OrderBook } from "../../market/order_book.ts";
import { LiquidityTaker } from "./liquidity_taker.ts";
import { feeOf, notionalOf } from "../orders/money.ts";
import {
  type FeeSchedule,
  type Fill,
  isOrderDone,
  type Liquidity,
  type Order,
  remainingSize,
} from "../orders/order.ts";
import type { QueueModel } from "./queue_model.ts";
import { RestingOrders } from "./resting_orders.ts";

/** Options of {@linkcode MatchingEngine}. */
export interface MatchingOptions {
  /** Maker/taker fee rates of the venue. */
  readonly fees: FeeSchedule;
  /** Market-order protection band: no fill further than this from the touch at arrival, bps. */
  readonly maxSlippageBps: number;
  /** Next fill sequence number (shared by every book of a run). */
  readonly nextFillSeq: () => number;
  /** Receives each fill. */
  readonly onFill: (fill: Fill, order: Order) => void;
  /** Receives each order whose status changed (open, filled, cancelled, rejected). */
  readonly onOrder: (order: Order) => void;
  /** How cancellations move resting orders in the queue (default risk-averse). */
  readonly queueModel?: QueueModel;
}

/**
 * Simulated venue matching for one instrument.
 *
 * Orders arrive at `order.arrivalTime` ({@linkcode advance} processes arrivals up to
 * a time before the caller applies the next market event). At arrival:
 * - market: walks the opposite side up to the protection band, the rest is cancelled;
 * - limit IOC: walks up to the limit, the rest is cancelled;
 * - limit GTC: takes what crosses, rests the remainder;
 * - POST_ONLY: rejected if it would take, otherwise rests.
 *
 * A resting order's queue ahead starts as the displayed size at its price (plus own
 * earlier orders there). Public trades at that price with the opposite aggressor
 * reduce it; only the excess of a trade fills the order. A trade through the price
 * clears the queue and fills up to the trade's size. Level decreases only cap the
 * queue at the new level size (cancellations are assumed behind the order).
 * Every fill is rounded down to the lot step, so positions never hold dust.
 */
export class MatchingEngine {
  /** The live book (maintained by the caller; never modified here). */
  readonly book: OrderBook;
  readonly #opt: MatchingOptions;
  #inflight: Order[] = [];
  #cancels: Order[] = [];
  readonly #resting: RestingOrders;
  readonly #taker: LiquidityTaker;
  #halted: string | undefined;

  /**
   * Creates an instance.
   *
   * @param book The live book of the instrument.
   * @param options Fees, band and sinks.
   */
  constructor(book: OrderBook, options: MatchingOptions) {
    this.book = book;
    this.#opt = options;
    this.#resting = new RestingOrders(book, {
      model: options.queueModel ?? { kind: "risk_averse" },
      onFill: (o, price, size, time) => this.#fill(o, price, size, "maker", time),
    });
    this.#taker = new LiquidityTaker(book, {
      maxSlippageBps: options.maxSlippageBps,
      onFill: (o, price, size, time) => this.#fill(o, price, size, "taker", time),
    });
  }

  /** Reason the book is halted, or undefined when trading is allowed. */
  get halted(): string | undefined {
    return this.#halted;
  }

  /** Orders resting on the book. */
  resting(): Order[] {
    return this.#resting.all();
  }

  /** Number of orders resting or in flight. */
  openCount(): number {
    return this.#resting.count + this.#inflight.length;
  }

  /** Orders submitted but not yet arrived. */
  inFlight(): readonly Order[] {
    return this.#inflight;
  }

  /** Earliest pending arrival (order or cancel), or Infinity. */
  nextDue(): number {
    const a = this.#inflight[0]?.arrivalTime ?? Infinity;
    const c = this.#cancels[0]?.cancelAt ?? Infinity;
    return Math.min(a, c);
  }

  /** Queues an accepted order; it reaches the book at `order.arrivalTime`. */
  submit(order: Order, now: number): void {
    insertBy(this.#inflight, order, (o) => o.arrivalTime);
    if (order.arrivalTime <= now) this.advance(now);
  }

  /** Requests a cancel that reaches the venue at `at`; the order may still fill before. */
  cancel(order: Order, at: number, now: number): void {
    if (order.cancelAt !== undefined || isOrderDone(order)) return;
    order.cancelAt = at;
    insertBy(this.#cancels, order, (o) => o.cancelAt as number);
    if (at <= now) this.advance(now);
  }

  /** Processes every arrival and cancel due at or before `time`, in time order. */
  advance(time: number): void {
    while (true) {
      const o = this.#inflight[0];
      const c = this.#cancels[0];
      const ot = o?.arrivalTime ?? Infinity;
      const ct = c?.cancelAt ?? Infinity;
      if (Math.min(ot, ct) > time) return;
      if (ot <= ct) {
        this.#inflight.shift();
        this.#arrive(o as Order, ot);
      } else {
        this.#cancels.shift();
        this.#applyCancel(c as Order);
      }
    }
  }

  /** Halts the book: resting orders are cancelled and arrivals rejected until {@linkcode resume}. */
  halt(reason: string): void {
    if (this.#halted !== undefined) return;
    this.#halted = reason;
    for (const o of this.#resting.all()) {
      this.#finish(o, "cancelled", `book halted: ${reason}`);
    }
    this.#resting.clear();
    this.#taker.clear();
  }

  /** Allows trading again (after a fresh snapshot or recovery). */
  resume(): void {
    this.#halted = undefined;
  }

  /** Call after the caller applied a delta: resets consumption and caps queues at touched levels. */
  onDelta(delta: Pick<BookDelta, "bids" | "asks">): void {
    this.#taker.onLevels("bid", delta.bids);
    this.#resting.onLevels("bid", delta.bids);
    this.#taker.onLevels("ask", delta.asks);
    this.#resting.onLevels("ask", delta.asks);
  }

  /** Call after the caller applied a snapshot: consumption resets, queues are capped. */
  onSnapshot(): void {
    this.#taker.clear();
    this.#resting.onSnapshot();
  }

  /** Call for each public trade: fills resting orders the trade reached. */
  onTrade(trade: Trade): void {
    if (this.#halted !== undefined) return;
    this.#resting.onTrade(trade);
  }

  #arrive(o: Order, time: number): void {
    if (o.status !== "in_flight") return;
    if (o.cancelAt !== undefined && o.cancelAt <= time) {
      this.#finish(o, "cancelled", "cancelled before reaching the book");
      return;
    }
    if (this.#halted !== undefined) {
      this.#finish(o, "rejected", `book halted: ${this.#halted}`);
      return;
    }
    const req = o.request;
    const buy = req.side === "buy";
    const opp: Side = buy ? "ask" : "bid";
    const touch = this.book.best(opp)?.price;
    if (req.type === "market") {
      if (touch === undefined) {
        this.#finish(o, "cancelled", `no ${opp} liquidity`);
        return;
      }
      this.#taker.take(o, this.#taker.bandLimit(touch, buy), time);
      if (!isOrderDone(o)) {
        this.#finish(o, "cancelled", "remainder beyond the protection band or book depth");
      }
      return;
    }
    const price = req.price as Ticks;
    const crosses = touch !== undefined && (buy ? touch <= price : touch >= price);
    const tif = req.tif ?? "GTC";
    if (crosses && tif === "POST_ONLY") {
      this.#finish(o, "rejected", "post-only order would take liquidity");
      return;
    }
    if (crosses) this.#taker.take(o, price, time);
    if (isOrderDone(o)) return;
    if (tif === "IOC") {
      this.#finish(o, "cancelled", "IOC remainder");
      return;
    }
    this.#resting.add(o);
    this.#opt.onOrder(o);
  }

  #fill(o: Order, price: Ticks, size: number, liquidity: Liquidity, time: number): void {
    const inst = this.book.instrument;
    const notional = notionalOf(inst, price, size as Lots);
    const fee = feeOf(
      notional,
      liquidity === "maker" ? this.#opt.fees.makerPpm : this.#opt.fees.takerPpm,
    );
    o.filled = (o.filled + size) as Lots;
    const fill: Fill = {
      seq: this.#opt.nextFillSeq(),
      orderId: o.id,
      venue: inst.venue,
      symbol: inst.symbol,
      side: o.request.side,
      price,
      size: size as Lots,
      notional,
      fee,
      liquidity,
      time,
      decisionMid: o.decisionMid,
      tag: o.request.tag ?? "",
    };
    if (remainingSize(o) === 0) {
      o.status = "filled";
      this.#resting.forget(o);
    }
    this.#opt.onFill(fill, o);
    if (o.status === "filled") this.#opt.onOrder(o);
  }

  #applyCancel(o: Order): void {
    if (isOrderDone(o)) return;
    if (o.status === "in_flight") return; // handled on arrival (cancelAt <= arrival)
    this.#resting.remove(o);
    this.#finish(o, "cancelled", o.reason ?? "cancel requested");
  }

  #finish(o: Order, status: "cancelled" | "rejected", reason: string): void {
    this.#resting.forget(o);
    o.status = status;
    o.reason = reason;
    this.#opt.onOrder(o);
  }
}

function insertBy(list: Order[], o: Order, key: (o: Order) => number): void {
  const k = key(o);
  let i = list.length;
  while (i > 0 && key(list[i - 1] as Order) > k) i--;
  list.splice(i, 0, o);
}
