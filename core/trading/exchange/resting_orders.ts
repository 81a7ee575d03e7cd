/**
 * Resting limit orders of one simulated book: both sides kept best price first (then
 * arrival), each with a conservative estimate of the displayed size queued ahead of it
 * ({@linkcode QueueModel}), and filled from public trades. The recorded book is never
 * modified.
 *
 * @module
 */

import type { BookDelta, Side, Trade } from "../../market/events.ts";
import type { Ticks } from "../../market/fixed_point.ts";
import type { OrderBook } from "../../market/order_book.ts";
import { floorToLot, isOrderDone, type Order, remainingSize } from "../orders/order.ts";
import { queueAfterUpdate, type QueueModel, type QueueState } from "./queue_model.ts";

/** Options of {@linkcode RestingOrders}. */
export interface RestingOrdersOptions {
  /** How cancellations move resting orders in the queue. */
  readonly model: QueueModel;
  /** Books a maker fill of `size` lots of `o` at `price`. */
  readonly onFill: (o: Order, price: Ticks, size: number, time: number) => void;
}

/** The resting orders of one book and their queue positions. */
export class RestingOrders {
  #bids: Order[] = []; // resting buys, best price first, then arrival
  #asks: Order[] = []; // resting sells, best price first, then arrival
  readonly #queue = new Map<Order, QueueState>();
  readonly #book: OrderBook;
  readonly #opt: RestingOrdersOptions;

  /**
   * Creates an empty set.
   *
   * @param book The live book of the instrument (maintained by the caller).
   * @param options Queue model and fill sink.
   */
  constructor(book: OrderBook, options: RestingOrdersOptions) {
    this.#book = book;
    this.#opt = options;
  }

  /** Every resting order: bids, then asks. */
  all(): Order[] {
    return [...this.#bids, ...this.#asks];
  }

  /** Number of resting orders. */
  get count(): number {
    return this.#bids.length + this.#asks.length;
  }

  /**
   * Rests `o` (status "open") behind the displayed size at its price and the own
   * orders already there.
   */
  add(o: Order): void {
    const buy = o.request.side === "buy";
    const price = o.request.price as Ticks;
    const list = buy ? this.#bids : this.#asks;
    let ownAhead = 0;
    for (const r of list) if (r.request.price === price) ownAhead += remainingSize(r);
    const displayed = this.#book.sizeAt(buy ? "bid" : "ask", price);
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
  }

  /** Takes `o` off the book (its queue memory stays until {@linkcode forget}). */
  remove(o: Order): void {
    this.#bids = this.#bids.filter((r) => r !== o);
    this.#asks = this.#asks.filter((r) => r !== o);
  }

  /** Empties both sides (after every order was finished). */
  clear(): void {
    this.#bids = [];
    this.#asks = [];
  }

  /** Drops the queue memory of an order that is done. */
  forget(o: Order): void {
    this.#queue.delete(o);
  }

  /** The venue changed these levels of `side`: queues there move by the queue model. */
  onLevels(side: Side, updates: BookDelta["bids"]): void {
    const rest = side === "bid" ? this.#bids : this.#asks;
    if (rest.length === 0) return;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as BookDelta["bids"][number];
      for (const o of rest) {
        if (o.request.price !== u[0]) continue;
        const st = this.#queue.get(o) ?? { last: u[1], traded: 0 };
        o.queueAhead = queueAfterUpdate(this.#opt.model, o.queueAhead, st, u[1]);
        this.#queue.set(o, st);
      }
    }
  }

  /** The caller applied a snapshot: every queue is capped at its level's new size. */
  onSnapshot(): void {
    for (const o of [...this.#bids, ...this.#asks]) {
      const size = this.#book.sizeAt(
        o.request.side === "buy" ? "bid" : "ask",
        o.request.price as Ticks,
      );
      o.queueAhead = Math.min(o.queueAhead, size);
      this.#queue.set(o, { last: size, traded: 0 });
    }
  }

  /**
   * Fills resting orders a public trade reached. A trade at an order's price first
   * consumes the queue ahead; only its excess fills the order. A trade through the
   * price clears the queue and fills up to the trade's size.
   */
  onTrade(trade: Trade): void {
    const list = trade.takerSide === "sell" ? this.#bids : this.#asks;
    if (list.length === 0) return;
    const buy = trade.takerSide === "sell"; // resting buys are hit by sellers
    let volume = trade.size as number;
    for (let i = 0; i < list.length && volume > 0; i++) {
      const o = list[i] as Order;
      const price = o.request.price as number;
      const rem = remainingSize(o);
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
      fill = floorToLot(this.#book.instrument, fill);
      if (fill > 0) {
        volume -= fill;
        this.#opt.onFill(o, price as Ticks, fill, trade.receiveTime);
      }
    }
    if (list.some(isOrderDone)) {
      if (buy) this.#bids = this.#bids.filter((o) => !isOrderDone(o));
      else this.#asks = this.#asks.filter((o) => !isOrderDone(o));
    }
  }
}
