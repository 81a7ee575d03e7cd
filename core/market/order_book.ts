import type { Lots, Ticks } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";
import type { BookSnapshot, LevelUpdate, Side } from "./events.ts";
import { BookSide } from "./book_side.ts";

/** A price level: price and displayed size. */
export interface Level {
  /** Level price. */
  readonly price: Ticks;
  /** Displayed size at that price. */
  readonly size: Lots;
}

/** Result of walking the book with a taker order ({@linkcode OrderBook.walk}). */
export interface WalkResult {
  /** Size that could be filled. */
  readonly filled: Lots;
  /** Whether the whole requested size was available (within the limit price, if any). */
  readonly complete: boolean;
  /** Fills per level, best first: `[price, size]`. */
  readonly fills: readonly LevelUpdate[];
  /** Sum of price × size over the fills, in units of 10^-(priceDecimals+sizeDecimals) of the quote. */
  readonly notional: bigint;
  /** Worst price touched, or undefined when nothing filled. */
  readonly worstPrice: Ticks | undefined;
}

/** A venue checksum routine (e.g. Kraken CRC32 over the top 10 levels). */
export type BookChecksum = (book: OrderBook) => number;

/**
 * An L2 order book for one venue and symbol, with exact fixed-point levels.
 *
 * Each side is a {@linkcode BookSide}: sorted levels in small blocks, best level last,
 * so a change anywhere in the book moves at most one block's elements. Asks are stored
 * with negated prices so both sides share one ascending search.
 *
 * @example Apply levels and read the top
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "./instrument.ts";
 * import { OrderBook } from "./order_book.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const book = new OrderBook(makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 5 }));
 * book.set("bid", 100 as Ticks, 5 as Lots);
 * book.set("ask", 101 as Ticks, 7 as Lots);
 * assert.equal(book.bestBidPrice(), 100);
 * assert.equal(book.isCrossed(), false);
 * ```
 */
export class OrderBook {
  /** The instrument of this book. */
  readonly instrument: Instrument;
  readonly #bids = new BookSide();
  readonly #asks = new BookSide();
  readonly #level: [number, number] = [0, 0];

  /** @param instrument The instrument whose precision the levels use. */
  constructor(instrument: Instrument) {
    this.instrument = instrument;
  }

  /** "venue symbol", for messages. */
  get label(): string {
    return `${this.instrument.venue} ${this.instrument.symbol}`;
  }

  /** Removes every level. */
  clear(): void {
    this.#bids.clear();
    this.#asks.clear();
  }

  /**
   * Sets the size at a price; size 0 deletes the level (deleting an absent level is a no-op).
   *
   * @throws {RangeError} When size is negative or not an integer, or price is not an integer.
   */
  set(side: Side, price: Ticks, size: Lots): void {
    if (!(size >= 0) || !Number.isInteger(size) || !Number.isInteger(price)) {
      throw new RangeError(
        `Cannot set ${side} level in ${this.label} as size must be an integer >= 0 and price an integer: current value is ${price} x ${size}`,
      );
    }
    if (side === "bid") this.#bids.set(price, size);
    else this.#asks.set(-price, size);
  }

  /**
   * Applies a list of level updates to one side (checked as {@linkcode OrderBook.set} checks).
   *
   * @throws {RangeError} When a size is negative or not an integer, or a price is not an integer.
   */
  applyLevels(side: Side, updates: readonly LevelUpdate[]): void {
    const bad = side === "bid" ? this.#bids.apply(updates, 1) : this.#asks.apply(updates, -1);
    if (bad >= 0) {
      const u = updates[bad] as LevelUpdate;
      this.set(side, u[0], u[1]); // throws the message of set()
    }
  }

  /** Replaces the whole book with a snapshot's levels. */
  applySnapshot(snapshot: Pick<BookSnapshot, "bids" | "asks">): void {
    this.clear();
    this.applyLevels("bid", snapshot.bids);
    this.applyLevels("ask", snapshot.asks);
  }

  /** Number of levels on a side. */
  levelCount(side: Side): number {
    return side === "bid" ? this.#bids.count : this.#asks.count;
  }

  /** Best bid price, or undefined when the side is empty. */
  bestBidPrice(): Ticks | undefined {
    return this.#bids.bestKey() as Ticks | undefined;
  }

  /** Best ask price, or undefined when the side is empty. */
  bestAskPrice(): Ticks | undefined {
    const k = this.#asks.bestKey();
    return k === undefined ? undefined : -k as Ticks;
  }

  /** Best level of a side, or undefined when empty. */
  best(side: Side): Level | undefined {
    return this.levelAt(side, 0);
  }

  /** The level at depth `index` (0 = best) of a side, or undefined. */
  levelAt(side: Side, index: number): Level | undefined {
    const lv = this.#level;
    if (!(side === "bid" ? this.#bids : this.#asks).at(index, lv)) return undefined;
    return { price: (side === "bid" ? lv[0] : -lv[0]) as Ticks, size: lv[1] as Lots };
  }

  /** Displayed size at a price (0 when absent). */
  sizeAt(side: Side, price: Ticks): Lots {
    return (side === "bid" ? this.#bids.get(price) : this.#asks.get(-price)) as Lots;
  }

  /** The best `n` levels of a side as `[price, size]`, best first (all levels when n is omitted). */
  top(side: Side, n = Infinity): LevelUpdate[] {
    if (!(n > 0)) return [];
    const levels = side === "bid" ? this.#bids.top(n, 1) : this.#asks.top(n, -1);
    return levels as unknown as LevelUpdate[]; // exact integer ticks and lots
  }

  /** True when both sides exist and best bid >= best ask. */
  isCrossed(): boolean {
    const b = this.bestBidPrice();
    const a = this.bestAskPrice();
    return b !== undefined && a !== undefined && b >= a;
  }

  /** Mid price in ticks as a float (may be fractional), or undefined when a side is empty. */
  mid(): number | undefined {
    const b = this.bestBidPrice();
    const a = this.bestAskPrice();
    return b === undefined || a === undefined ? undefined : (b + a) / 2;
  }

  /**
   * Total displayed size on a side within `bps` basis points of the mid.
   *
   * @returns Size in lots; 0 when the book has no mid.
   */
  depthWithinBps(side: Side, bps: number): Lots {
    const mid = this.mid();
    if (mid === undefined) return 0 as Lots;
    if (side === "bid") return this.#bids.sumFrom(mid * (1 - bps / 10_000)) as Lots;
    return this.#asks.sumFrom(-mid * (1 + bps / 10_000)) as Lots;
  }

  /**
   * Walks the book as a taker: a "buy" consumes asks from the best up, a "sell" bids.
   *
   * @param takerSide Direction of the taker order.
   * @param size Size to fill, in lots.
   * @param limit Optional worst acceptable price; levels beyond it are not touched.
   * @returns Fills per level and the exact notional.
   */
  walk(takerSide: "buy" | "sell", size: Lots, limit?: Ticks): WalkResult {
    const sign = takerSide === "buy" ? -1 : 1;
    const fills: LevelUpdate[] = [];
    let remaining = size as number;
    let notional = 0n;
    let worst: Ticks | undefined;
    if (remaining > 0) {
      (takerSide === "buy" ? this.#asks : this.#bids).scan((key, levelSize) => {
        const price = sign * key as Ticks;
        if (limit !== undefined && (takerSide === "buy" ? price > limit : price < limit)) {
          return false;
        }
        const take = Math.min(remaining, levelSize);
        fills.push([price, take as Lots]);
        notional += BigInt(price) * BigInt(take);
        remaining -= take;
        worst = price;
        return remaining > 0;
      });
    }
    return {
      filled: (size - remaining) as Lots,
      complete: remaining === 0,
      fills,
      notional,
      worstPrice: worst,
    };
  }

  /** Runs a venue checksum routine over this book and compares it with the venue's value. */
  verifyChecksum(expected: number, checksum: BookChecksum): boolean {
    return checksum(this) === expected;
  }
}
