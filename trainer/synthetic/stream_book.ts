/**
 * The book and trades of one synthetic venue/symbol stream: each second the
 * top levels are re-quoted around the venue's mid (one-tick spread, level
 * offsets in bps, sizes lognormal with a bid/ask tilt by the pressure), the
 * old levels that are gone are deleted, and Poisson trades hit the touch with
 * the taker side tilted by the pressure.
 *
 * @module
 */

import { depthLine, type Level, snapshotLine, tradeLine } from "./binance_lines.ts";

/** Level offsets from the touch, bps. */
const OFFSETS_BPS = [0, 1, 3, 8, 20];

/** One stream's generator state. */
export class StreamBook {
  readonly venueSymbol: string;
  readonly #rand: () => number;
  readonly #normal: () => number;
  readonly #baseSize: number;
  readonly #tradeRate: number;
  #update = 1000;
  #tradeId = 1;
  #bids: Level[] = [];
  #asks: Level[] = [];

  /**
   * @param venueSymbol Binance symbol ("BTCUSDT").
   * @param rand Uniform generator of this stream.
   * @param normal Normal generator of this stream.
   * @param baseSize Typical level size (base units).
   * @param tradeRate Trades per second.
   */
  constructor(
    venueSymbol: string,
    rand: () => number,
    normal: () => number,
    baseSize: number,
    tradeRate: number,
  ) {
    this.venueSymbol = venueSymbol;
    this.#rand = rand;
    this.#normal = normal;
    this.#baseSize = baseSize;
    this.#tradeRate = tradeRate;
  }

  #levels(mid: number, s: number, bookTilt: number): [Level[], Level[]] {
    const bestBid = Math.floor(mid * 100);
    const size = (side: number) =>
      Math.max(1e-5, this.#baseSize * Math.exp(0.6 * this.#normal() + side * bookTilt * s));
    const bids: Level[] = [];
    const asks: Level[] = [];
    let lastB = Infinity;
    let lastA = -Infinity;
    for (const o of OFFSETS_BPS) {
      const d = Math.round(bestBid * o * 1e-4);
      const b = Math.min(bestBid - d, lastB - 1);
      const a = Math.max(bestBid + 1 + d, lastA + 1);
      bids.push([b, size(1)]);
      asks.push([a, size(-1)]);
      lastB = b;
      lastA = a;
    }
    return [bids, asks];
  }

  /** The opening lines: a buffered diff, then the snapshot it precedes. */
  open(ms: number, mid: number, s: number, bookTilt: number): string[] {
    const [bids, asks] = this.#levels(mid, s, bookTilt);
    this.#bids = bids;
    this.#asks = asks;
    const first = depthLine(ms, this.venueSymbol, this.#update - 1, this.#update, [], []);
    return [first, snapshotLine(ms + 1, this.#update, bids, asks)];
  }

  /**
   * The lines of one second starting at `ms`: the re-quote at `ms + offset`,
   * then the trades of the second, in receive-time order.
   */
  second(
    ms: number,
    offset: number,
    mid: number,
    s: number,
    tilts: { flow: number; book: number },
  ): string[] {
    const [bids, asks] = this.#levels(mid, s, tilts.book);
    const gone = (old: Level[], now: Level[]): Level[] => {
      const keep = new Set(now.map((l) => l[0]));
      return old.filter((l) => !keep.has(l[0])).map((l) => [l[0], 0] as Level);
    };
    const db = [...gone(this.#bids, bids), ...bids];
    const da = [...gone(this.#asks, asks), ...asks];
    this.#bids = bids;
    this.#asks = asks;
    const first = this.#update + 1;
    this.#update += db.length + da.length;
    const out = [depthLine(ms + offset, this.venueSymbol, first, this.#update, db, da)];
    const times: number[] = [];
    // Poisson arrivals over the rest of the second
    let t = -Math.log(Math.max(this.#rand(), 1e-12)) / this.#tradeRate;
    while (t < 1) {
      times.push(ms + offset + 1 + Math.floor(t * (999 - offset)));
      t += -Math.log(Math.max(this.#rand(), 1e-12)) / this.#tradeRate;
    }
    const pBuy = 0.5 + tilts.flow * Math.tanh(s);
    for (const tm of times) {
      const side = this.#rand() < pBuy ? "buy" : "sell";
      const price = side === "buy" ? (asks[0] as Level)[0] : (bids[0] as Level)[0];
      const q = Math.max(1e-5, 0.05 * this.#baseSize * Math.exp(this.#normal()));
      out.push(tradeLine(tm, this.venueSymbol, this.#tradeId++, price, q, side));
    }
    return out;
  }
}
