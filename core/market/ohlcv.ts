import type { Lots, Ticks } from "./fixed_point.ts";

/** One OHLCV bar in the instrument's fixed-point units. */
export interface OhlcvBar {
  /** Bar start, epoch ms (a multiple of the bar length). */
  readonly openTime: number;
  /** First trade price (the previous close for a bar without trades). */
  readonly open: Ticks;
  /** Highest trade price. */
  readonly high: Ticks;
  /** Lowest trade price. */
  readonly low: Ticks;
  /** Last trade price. */
  readonly close: Ticks;
  /** Traded size. */
  readonly volume: Lots;
  /** Traded size where the taker bought. */
  readonly buyVolume: Lots;
  /** Number of trades (0 for a flat bar carried over a quiet interval). */
  readonly trades: number;
}

/**
 * Builds fixed-length OHLCV bars (default 1 minute) from trades, pure and incremental.
 *
 * A bar `[openTime, openTime + length)` holds trades with time in that interval and
 * is closed as soon as time reaches its end ({@linkcode OhlcvBuilder.advanceTo}), so
 * a closed bar never changes afterwards. Intervals without trades after the first
 * trade give flat bars (open = high = low = close = previous close, volume 0).
 *
 * @example Two trades, then the minute ends
 * ```ts
 * import assert from "node:assert/strict";
 * import { OhlcvBuilder } from "./ohlcv.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const b = new OhlcvBuilder();
 * b.onTrade(60_000, 100 as Ticks, 2 as Lots, "buy");
 * b.onTrade(61_000, 99 as Ticks, 1 as Lots, "sell");
 * const bars = b.advanceTo(120_000);
 * assert.deepEqual(bars.map((x) => [x.open, x.high, x.low, x.close, x.volume]), [[100, 100, 99, 99, 3]]);
 * ```
 */
export class OhlcvBuilder {
  /** Bar length, ms. */
  readonly lengthMs: number;
  #openTime: number | undefined;
  #open = 0;
  #high = 0;
  #low = 0;
  #close = 0;
  #volume = 0;
  #buyVolume = 0;
  #trades = 0;

  /** @param lengthMs Bar length, ms (default 60,000). */
  constructor(lengthMs = 60_000) {
    if (!(lengthMs > 0) || !Number.isInteger(lengthMs)) {
      throw new RangeError(`Cannot build bars as lengthMs must be a positive integer: ${lengthMs}`);
    }
    this.lengthMs = lengthMs;
  }

  /** Start of the bar in progress, or undefined before the first trade. */
  get currentOpenTime(): number | undefined {
    return this.#openTime;
  }

  /**
   * Adds a trade at time `t` (times must not decrease).
   *
   * @returns Bars closed because `t` is past their end (in time order).
   */
  onTrade(t: number, price: Ticks, size: Lots, takerSide: "buy" | "sell"): OhlcvBar[] {
    const closed = this.advanceTo(t);
    if (this.#openTime === undefined) {
      this.#openTime = this.#startOf(t);
      this.#open = this.#high = this.#low = price;
    } else if (this.#trades === 0) {
      this.#open = this.#high = this.#low = price;
    } else {
      if (price > this.#high) this.#high = price;
      if (price < this.#low) this.#low = price;
    }
    this.#close = price;
    this.#volume += size;
    if (takerSide === "buy") this.#buyVolume += size;
    this.#trades++;
    return closed;
  }

  /**
   * Closes every bar whose end is at or before `t`.
   *
   * @returns The closed bars, in time order (flat bars for intervals without trades).
   */
  advanceTo(t: number): OhlcvBar[] {
    const out: OhlcvBar[] = [];
    while (this.#openTime !== undefined && t >= this.#openTime + this.lengthMs) {
      out.push(this.#bar());
      this.#openTime += this.lengthMs;
      this.#open = this.#high = this.#low = this.#close;
      this.#volume = 0;
      this.#buyVolume = 0;
      this.#trades = 0;
    }
    return out;
  }

  #startOf(t: number): number {
    return Math.floor(t / this.lengthMs) * this.lengthMs;
  }

  #bar(): OhlcvBar {
    return {
      openTime: this.#openTime as number,
      open: this.#open as Ticks,
      high: this.#high as Ticks,
      low: this.#low as Ticks,
      close: this.#close as Ticks,
      volume: this.#volume as Lots,
      buyVolume: this.#buyVolume as Lots,
      trades: this.#trades,
    };
  }
}
