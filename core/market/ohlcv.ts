import type { Lots, Ticks } from "./fixed_point.ts";
import type { Trade } from "./events.ts";
import type { VenueId } from "./instrument.ts";

/** One OHLCV bar of trades (1 minute by default), exact in ticks and lots. */
export interface OhlcvBar {
  /** Venue of the trades. */
  readonly venue: VenueId;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Bar start, epoch ms (multiple of the bar length). */
  readonly start: number;
  /** First trade price. */
  readonly open: Ticks;
  /** Highest trade price. */
  readonly high: Ticks;
  /** Lowest trade price. */
  readonly low: Ticks;
  /** Last trade price. */
  readonly close: Ticks;
  /** Sum of trade sizes. */
  readonly volume: Lots;
  /** Number of trades. */
  readonly trades: number;
}

type MutableBar = { -readonly [K in keyof OhlcvBar]: OhlcvBar[K] };

/**
 * Builds OHLCV bars from trades, per venue and symbol, bucketing by the trade's
 * exchange time (receive time when the venue gives none). A bar is emitted when a
 * trade of a later bucket arrives or on {@linkcode OhlcvBuilder.flush}.
 *
 * @example One bar from two trades
 * ```ts
 * import assert from "node:assert/strict";
 * import { OhlcvBuilder } from "./ohlcv.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const b = new OhlcvBuilder();
 * const t = { kind: "trade", venue: "binance", symbol: "BTC/USDT", receiveTime: 0, tradeId: "1", takerSide: "buy" } as const;
 * b.onTrade({ ...t, exchangeTime: 60_000, price: 10 as Ticks, size: 1 as Lots });
 * b.onTrade({ ...t, exchangeTime: 60_500, price: 12 as Ticks, size: 2 as Lots });
 * const [bar] = b.flush();
 * assert.equal(bar?.high, 12);
 * ```
 */
export class OhlcvBuilder {
  readonly #intervalMs: number;
  readonly #open = new Map<string, MutableBar>();

  /** @param intervalMs Bar length in ms (default 60,000). */
  constructor(intervalMs = 60_000) {
    this.#intervalMs = intervalMs;
  }

  /**
   * Adds a trade.
   *
   * @returns The bar this trade closed (its bucket ended), or undefined.
   */
  onTrade(trade: Trade): OhlcvBar | undefined {
    const time = trade.exchangeTime > 0 ? trade.exchangeTime : trade.receiveTime;
    const start = Math.floor(time / this.#intervalMs) * this.#intervalMs;
    const key = `${trade.venue}|${trade.symbol}`;
    const bar = this.#open.get(key);
    if (bar && start <= bar.start) {
      // Late trades (older bucket) are folded into the open bar rather than lost.
      if (trade.price > bar.high) bar.high = trade.price;
      if (trade.price < bar.low) bar.low = trade.price;
      bar.close = trade.price;
      bar.volume = (bar.volume + trade.size) as Lots;
      bar.trades++;
      return undefined;
    }
    this.#open.set(key, {
      venue: trade.venue,
      symbol: trade.symbol,
      start,
      open: trade.price,
      high: trade.price,
      low: trade.price,
      close: trade.price,
      volume: trade.size,
      trades: 1,
    });
    return bar;
  }

  /** Emits and forgets every open bar. */
  flush(): OhlcvBar[] {
    const bars = [...this.#open.values()];
    this.#open.clear();
    return bars;
  }

  /** The open (incomplete) bars, without closing them. */
  openBars(): OhlcvBar[] {
    return [...this.#open.values()].map((b) => ({ ...b }));
  }
}
