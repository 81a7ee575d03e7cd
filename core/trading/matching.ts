/**
 * The matching simulator of one book: takes paper orders after their latency,
 * walks the live L2 book for taker fills (protection band, consumed liquidity),
 * rests limit orders with a conservative queue-position estimate and fills them
 * from public trades. The recorded book is never modified.
 *
 * @module
 */

import type { BookDelta, Side, Trade } from "../market/events.ts";
import type { Lots, Ticks } from "../market/fixed_point.ts";
import type { OrderBook } from "../market/order_book.ts";
import { ConsumedLiquidity } from "./liquidity.ts";
import { feeOf, notionalOf } from "./money.ts";
import type { FeeSchedule, Fill, Liquidity, Order } from "./order.ts";
import { queueAfterUpdate, type QueueModel, type QueueState } from "./queue_model.ts";

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
  #bids: Order[] = []; // resting buys, best price first, then arrival
  #asks: Order[] = []; // resting sells, best price first, then arrival
  readonly #usedBid = new ConsumedLiquidity();
  readonly #usedAsk = new ConsumedLiquidity();
  #halted: string | undefined;
  readonly #queue = new Map<Order, QueueState>();
  readonly #model: QueueModel;

  /**
   * Creates an instance.
   *
   * @param book The live book of the instrument.
   * @param options Fees, band and sinks.
   */
  constructor(book: OrderBook, options: MatchingOptions) {
    this.book = book;
    this.#opt = options;
    this.#model = options.queueModel ?? { kind: "risk_averse" };
  }

  /** Reason the book is halted, or undefined when trading is allowed. */
  get halted(): string | undefined {
    return this.#halted;
  }

  /** Orders resting on the book. */
  resting(): Order[] {
    return [...this.#bids, ...this.#asks];
  }

  /** Number of orders resting or in flight. */
  openCount(): number {
    return this.#bids.length + this.#asks.length + this.#inflight.length;
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
    if (order.cancelAt !== undefined || isDone(order)) return;
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
    for (const o of [...this.#bids, ...this.#asks]) {
      this.#finish(o, "cancelled", `book halted: ${reason}`);
    }
    this.#bids = [];
    this.#asks = [];
    this.#usedBid.clear();
    this.#usedAsk.clear();
  }

  /** Allows trading again (after a fresh snapshot or recovery). */
  resume(): void {
    this.#halted = undefined;
  }

  /** Call after the caller applied a delta: resets consumption and caps queues at touched levels. */
  onDelta(delta: Pick<BookDelta, "bids" | "asks">): void {
    this.#levelsChanged(delta.bids, this.#usedBid, this.#bids);
    this.#levelsChanged(delta.asks, this.#usedAsk, this.#asks);
  }

  /** Call after the caller applied a snapshot: consumption resets, queues are capped. */
  onSnapshot(): void {
    this.#usedBid.clear();
    this.#usedAsk.clear();
    for (const o of [...this.#bids, ...this.#asks]) {
      const size = this.book.sizeAt(
        o.request.side === "buy" ? "bid" : "ask",
        o.request.price as Ticks,
      );
      o.queueAhead = Math.min(o.queueAhead, size);
      this.#queue.set(o, { last: size, traded: 0 });
    }
  }

  /** Call for each public trade: fills resting orders the trade reached. */
  onTrade(trade: Trade): void {
    const list = trade.takerSide === "sell" ? this.#bids : this.#asks;
    if (list.length === 0 || this.#halted !== undefined) return;
    const buy = trade.takerSide === "sell"; // resting buys are hit by sellers
    let volume = trade.size as number;
    for (let i = 0; i < list.length && volume > 0; i++) {
      const o = list[i] as Order;
      const price = o.request.price as number;
      const rem = remaining(o);
      let fill = 0;
      if (price === trade.price) {
        o.queueAhead -= trade.size;
        const st = this.#queue.get(o);
        if (st) st.traded += trade.size;
        if (o.queueAhead < 0) {
          fill = Math.min(rem, -o.queueAhead, volume);
          o.queueAhead = 0;
        }
      } else if (buy ? price > trade.price : price < trade.price) {
        o.queueAhead = 0;
        fill = Math.min(rem, volume);
      } else break; // sorted best first: later orders are further from the trade
      fill = this.#lotFloor(fill);
      if (fill > 0) {
        volume -= fill;
        this.#fill(o, price as Ticks, fill, "maker", trade.receiveTime);
      }
    }
    if (list.some(isDone)) {
      if (buy) this.#bids = this.#bids.filter((o) => !isDone(o));
      else this.#asks = this.#asks.filter((o) => !isDone(o));
    }
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
      const band = this.#opt.maxSlippageBps / 10_000;
      const tick = this.book.instrument.tickSize;
      const raw = buy ? Math.floor(touch * (1 + band)) : Math.ceil(touch * (1 - band));
      const limit = (buy ? Math.floor(raw / tick) * tick : Math.ceil(raw / tick) * tick) as Ticks;
      this.#take(o, limit, time);
      if (!isDone(o)) {
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
    if (crosses) this.#take(o, price, time);
    if (isDone(o)) return;
    if (tif === "IOC") {
      this.#finish(o, "cancelled", "IOC remainder");
      return;
    }
    this.#rest(o);
  }

  #levelsChanged(
    updates: BookDelta["bids"],
    used: ConsumedLiquidity,
    rest: readonly Order[],
  ): void {
    if (used.size === 0 && rest.length === 0) return;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as BookDelta["bids"][number];
      used.reset(u[0]);
      for (const o of rest) {
        if (o.request.price !== u[0]) continue;
        const st = this.#queue.get(o) ?? { last: u[1], traded: 0 };
        o.queueAhead = queueAfterUpdate(this.#model, o.queueAhead, st, u[1]);
        this.#queue.set(o, st);
      }
    }
  }

  #rest(o: Order): void {
    const buy = o.request.side === "buy";
    const price = o.request.price as Ticks;
    const list = buy ? this.#bids : this.#asks;
    let ownAhead = 0;
    for (const r of list) if (r.request.price === price) ownAhead += remaining(r);
    const displayed = this.book.sizeAt(buy ? "bid" : "ask", price);
    o.queueAhead = displayed + ownAhead;
    this.#queue.set(o, { last: displayed, traded: 0 });
    o.status = "open";
    // Best price first; equal prices keep arrival order.
    let at = list.length;
    for (let i = 0; i < list.length; i++) {
      const p = (list[i] as Order).request.price as number;
      if (buy ? price > p : price < p) {
        at = i;
        break;
      }
    }
    list.splice(at, 0, o);
    this.#opt.onOrder(o);
  }

  #take(o: Order, limit: Ticks, time: number): void {
    const buy = o.request.side === "buy";
    const side: Side = buy ? "ask" : "bid";
    const used = buy ? this.#usedAsk : this.#usedBid;
    for (let i = 0; remaining(o) > 0; i++) {
      const lv = this.book.levelAt(side, i);
      if (lv === undefined || (buy ? lv.price > limit : lv.price < limit)) break;
      const avail = used.available(lv.price, lv.size);
      if (avail <= 0) continue;
      const take = this.#lotFloor(Math.min(remaining(o), avail));
      if (take <= 0) continue;
      used.consume(lv.price, lv.size, take);
      this.#fill(o, lv.price, take, "taker", time);
    }
  }

  /** Fills stay on the lot step (venue sizes can be finer), rounding down: conservative. */
  #lotFloor(size: number): number {
    const lot = this.book.instrument.lotSize;
    return size - (size % lot);
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
    if (remaining(o) === 0) {
      o.status = "filled";
      this.#queue.delete(o);
    }
    this.#opt.onFill(fill, o);
    if (o.status === "filled") this.#opt.onOrder(o);
  }

  #applyCancel(o: Order): void {
    if (isDone(o)) return;
    if (o.status === "in_flight") return; // handled on arrival (cancelAt <= arrival)
    this.#bids = this.#bids.filter((r) => r !== o);
    this.#asks = this.#asks.filter((r) => r !== o);
    this.#finish(o, "cancelled", o.reason ?? "cancel requested");
  }

  #finish(o: Order, status: "cancelled" | "rejected", reason: string): void {
    this.#queue.delete(o);
    o.status = status;
    o.reason = reason;
    this.#opt.onOrder(o);
  }
}

function remaining(o: Order): number {
  return o.request.size - o.filled;
}

function isDone(o: Order): boolean {
  return o.status === "filled" || o.status === "cancelled" || o.status === "rejected";
}

function insertBy(list: Order[], o: Order, key: (o: Order) => number): void {
  const k = key(o);
  let i = list.length;
  while (i > 0 && key(list[i - 1] as Order) > k) i--;
  list.splice(i, 0, o);
}
