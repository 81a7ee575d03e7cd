import type { Lots, Ticks } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";
import type { BookSnapshot, LevelUpdate, Side } from "./events.ts";

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
 * Each side is kept as two parallel sorted arrays with the best level last, so
 * the frequent changes near the top move few elements. Asks are stored with
 * negated prices so both sides share one ascending search.
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
  #bidKeys: number[] = [];
  #bidSizes: number[] = [];
  #askKeys: number[] = [];
  #askSizes: number[] = [];

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
    this.#bidKeys = [];
    this.#bidSizes = [];
    this.#askKeys = [];
    this.#askSizes = [];
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
    if (side === "bid") upsert(this.#bidKeys, this.#bidSizes, price, size);
    else upsert(this.#askKeys, this.#askSizes, -price, size);
  }

  /** Applies a list of level updates to one side. */
  applyLevels(side: Side, updates: readonly LevelUpdate[]): void {
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i] as LevelUpdate;
      this.set(side, u[0], u[1]);
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
    return side === "bid" ? this.#bidKeys.length : this.#askKeys.length;
  }

  /** Best bid price, or undefined when the side is empty. */
  bestBidPrice(): Ticks | undefined {
    const k = this.#bidKeys;
    return k.length === 0 ? undefined : k[k.length - 1] as Ticks;
  }

  /** Best ask price, or undefined when the side is empty. */
  bestAskPrice(): Ticks | undefined {
    const k = this.#askKeys;
    return k.length === 0 ? undefined : -(k[k.length - 1] as number) as Ticks;
  }

  /** Best level of a side, or undefined when empty. */
  best(side: Side): Level | undefined {
    return this.levelAt(side, 0);
  }

  /** The level at depth `index` (0 = best) of a side, or undefined. */
  levelAt(side: Side, index: number): Level | undefined {
    const keys = side === "bid" ? this.#bidKeys : this.#askKeys;
    const sizes = side === "bid" ? this.#bidSizes : this.#askSizes;
    const i = keys.length - 1 - index;
    if (i < 0 || index < 0) return undefined;
    const key = keys[i] as number;
    return { price: (side === "bid" ? key : -key) as Ticks, size: sizes[i] as Lots };
  }

  /** Displayed size at a price (0 when absent). */
  sizeAt(side: Side, price: Ticks): Lots {
    const keys = side === "bid" ? this.#bidKeys : this.#askKeys;
    const sizes = side === "bid" ? this.#bidSizes : this.#askSizes;
    const i = search(keys, side === "bid" ? price : -price);
    return (i >= 0 ? sizes[i] : 0) as Lots;
  }

  /** The best `n` levels of a side as `[price, size]`, best first (all levels when n is omitted). */
  top(side: Side, n = Infinity): LevelUpdate[] {
    const keys = side === "bid" ? this.#bidKeys : this.#askKeys;
    const sizes = side === "bid" ? this.#bidSizes : this.#askSizes;
    const sign = side === "bid" ? 1 : -1;
    const out: LevelUpdate[] = [];
    for (let i = keys.length - 1; i >= 0 && out.length < n; i--) {
      out.push([sign * (keys[i] as number) as Ticks, sizes[i] as Lots]);
    }
    return out;
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
    const keys = side === "bid" ? this.#bidKeys : this.#askKeys;
    const sizes = side === "bid" ? this.#bidSizes : this.#askSizes;
    const bound = side === "bid" ? mid * (1 - bps / 10_000) : -mid * (1 + bps / 10_000);
    let total = 0;
    for (let i = keys.length - 1; i >= 0 && (keys[i] as number) >= bound; i--) {
      total += sizes[i] as number;
    }
    return total as Lots;
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
    const side: Side = takerSide === "buy" ? "ask" : "bid";
    const keys = side === "bid" ? this.#bidKeys : this.#askKeys;
    const sizes = side === "bid" ? this.#bidSizes : this.#askSizes;
    const sign = side === "bid" ? 1 : -1;
    const fills: LevelUpdate[] = [];
    let remaining = size as number;
    let notional = 0n;
    let worst: Ticks | undefined;
    for (let i = keys.length - 1; i >= 0 && remaining > 0; i--) {
      const price = sign * (keys[i] as number) as Ticks;
      if (limit !== undefined && (takerSide === "buy" ? price > limit : price < limit)) break;
      const take = Math.min(remaining, sizes[i] as number);
      fills.push([price, take as Lots]);
      notional += BigInt(price) * BigInt(take);
      remaining -= take;
      worst = price;
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

/** Binary search in an ascending array: index of key, or -(insertion point) - 1. */
function search(keys: number[], key: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  // Fast path: most updates touch the top of the book, which is at the end.
  if (hi >= 0 && key > (keys[hi] as number)) return -(hi + 2);
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid] as number;
    if (v < key) lo = mid + 1;
    else if (v > key) hi = mid - 1;
    else return mid;
  }
  return -(lo + 1);
}

function upsert(keys: number[], sizes: number[], key: number, size: number): void {
  const i = search(keys, key);
  if (i >= 0) {
    if (size === 0) {
      keys.splice(i, 1);
      sizes.splice(i, 1);
    } else {
      sizes[i] = size;
    }
    return;
  }
  if (size === 0) return; // deleting an absent level is normal
  const at = -i - 1;
  if (at === keys.length) {
    keys.push(key);
    sizes.push(size);
  } else {
    keys.splice(at, 0, key);
    sizes.splice(at, 0, size);
  }
}
