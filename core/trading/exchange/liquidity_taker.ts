/**
 * Taker fills of the matching simulator: the protection band of market orders and the
 * walk of the displayed book up to a limit price, never taking the same displayed size
 * twice (see {@linkcode ConsumedLiquidity}). The recorded book is never modified.
 *
 * @module
 */

import type { BookDelta, Side } from "../../market/events.ts";
import type { Ticks } from "../../market/fixed_point.ts";
import type { OrderBook } from "../../market/order_book.ts";
import { ConsumedLiquidity } from "./liquidity.ts";
import { floorToLot, type Order, remainingSize } from "../orders/order.ts";

/** Options of {@linkcode LiquidityTaker}. */
export interface LiquidityTakerOptions {
  /** Market-order protection band: no fill further than this from the touch at arrival, bps. */
  readonly maxSlippageBps: number;
  /** Books a taker fill of `size` lots of `o` at `price`. */
  readonly onFill: (o: Order, price: Ticks, size: number, time: number) => void;
}

/** Takes liquidity from one live book for arriving orders. */
export class LiquidityTaker {
  readonly #book: OrderBook;
  readonly #opt: LiquidityTakerOptions;
  readonly #usedBid = new ConsumedLiquidity();
  readonly #usedAsk = new ConsumedLiquidity();

  /**
   * Creates an instance.
   *
   * @param book The live book of the instrument (maintained by the caller).
   * @param options Protection band and fill sink.
   */
  constructor(book: OrderBook, options: LiquidityTakerOptions) {
    this.#book = book;
    this.#opt = options;
  }

  /** Limit price of a market order: the protection band around `touch`, on the tick grid. */
  bandLimit(touch: number, buy: boolean): Ticks {
    const band = this.#opt.maxSlippageBps / 10_000;
    const tick = this.#book.instrument.tickSize;
    const raw = buy ? Math.floor(touch * (1 + band)) : Math.ceil(touch * (1 - band));
    return (buy ? Math.floor(raw / tick) * tick : Math.ceil(raw / tick) * tick) as Ticks;
  }

  /** Fills `o` from the opposite side, level by level, up to `limit` (lot-step sizes). */
  take(o: Order, limit: Ticks, time: number): void {
    const buy = o.request.side === "buy";
    const side: Side = buy ? "ask" : "bid";
    const used = buy ? this.#usedAsk : this.#usedBid;
    for (let i = 0; remainingSize(o) > 0; i++) {
      const lv = this.#book.levelAt(side, i);
      if (lv === undefined || (buy ? lv.price > limit : lv.price < limit)) break;
      const avail = used.available(lv.price, lv.size);
      if (avail <= 0) continue;
      const take = floorToLot(this.#book.instrument, Math.min(remainingSize(o), avail));
      if (take <= 0) continue;
      used.consume(lv.price, lv.size, take);
      this.#opt.onFill(o, lv.price, take, time);
    }
  }

  /** The venue changed these levels of `side`: their consumption no longer applies. */
  onLevels(side: Side, updates: BookDelta["bids"]): void {
    const used = side === "bid" ? this.#usedBid : this.#usedAsk;
    if (used.size === 0) return;
    for (let i = 0; i < updates.length; i++) {
      used.reset((updates[i] as BookDelta["bids"][number])[0]);
    }
  }

  /** Forgets every consumption (snapshot, halt). */
  clear(): void {
    this.#usedBid.clear();
    this.#usedAsk.clear();
  }
}
