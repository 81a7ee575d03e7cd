/**
 * A deterministic synthetic L2 market for one instrument: a random-walk centre,
 * bids below and asks above it (never crossed), level sizes that change, appear
 * and vanish, and trades at the touch. Each step yields absolute level changes
 * (size 0 deletes) and applies them to the truth book.
 *
 * @module
 */

import type { LevelUpdate } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { randomInt, seededRandom } from "../../core/random.ts";

/** One step of the market: absolute level changes and trades. */
export interface MarketStep {
  /** Bid level changes (size 0 deletes). */
  readonly bids: LevelUpdate[];
  /** Ask level changes. */
  readonly asks: LevelUpdate[];
  /** Trades that happened in this step. */
  readonly trades: { price: Ticks; size: Lots; takerSide: "buy" | "sell"; id: number }[];
}

/** What drives one simulated symbol: a truth book and a step function. */
export interface MarketSource {
  /** The truth book. */
  readonly book: OrderBook;
  /** Advances one step; the changes are already applied to {@linkcode MarketSource.book}. */
  step(): MarketStep;
}

/** Options of {@linkcode SyntheticMarket}. */
export interface SyntheticMarketOptions {
  /** Starting centre price in ticks of the instrument. */
  readonly centre: number;
  /** Seed of the generator. */
  readonly seed: number;
  /** Levels per side kept around the centre. Default 25. */
  readonly levels?: number;
  /** Price step between levels, in ticks. Default 1. */
  readonly spacing?: number;
}

/** See the module documentation. */
export class SyntheticMarket implements MarketSource {
  /** The truth book. */
  readonly book: OrderBook;
  readonly #rand: () => number;
  readonly #levels: number;
  readonly #spacing: number;
  #centre: number;
  #tradeId = 1;

  /**
   * @param inst Instrument (prices in its ticks, sizes in its lots).
   * @param options Centre, seed, depth and spacing.
   */
  constructor(inst: Instrument, options: SyntheticMarketOptions) {
    this.book = new OrderBook(inst);
    this.#rand = seededRandom(options.seed);
    this.#levels = options.levels ?? 25;
    this.#spacing = options.spacing ?? 1;
    this.#centre = options.centre;
    for (let i = 1; i <= this.#levels; i++) {
      this.book.set("bid", this.#price(-i), this.#size());
      this.book.set("ask", this.#price(i), this.#size());
    }
  }

  /** Advances one step and returns its changes (already applied to {@linkcode book}). */
  step(): MarketStep {
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    const set = (side: "bid" | "ask", price: number, size: number) => {
      this.book.set(side, price as Ticks, size as Lots);
      (side === "bid" ? bids : asks).set(price, size);
    };
    const trades: MarketStep["trades"] = [];
    const r = this.#rand();
    if (r < 0.15) {
      // The centre moves one spacing; levels on the wrong side disappear.
      const dir = this.#rand() < 0.5 ? -1 : 1;
      this.#centre += dir * this.#spacing;
      for (const [p] of this.book.top("bid")) if (p >= this.#centre) set("bid", p, 0);
      for (const [p] of this.book.top("ask")) if (p <= this.#centre) set("ask", p, 0);
    } else if (r < 0.3) {
      const takerSide = this.#rand() < 0.5 ? "buy" : "sell";
      const best = this.book.best(takerSide === "buy" ? "ask" : "bid");
      if (best) {
        const size = Math.max(1, Math.floor(best.size * this.#rand()));
        trades.push({ price: best.price, size: size as Lots, takerSide, id: this.#tradeId++ });
        set(takerSide === "buy" ? "ask" : "bid", best.price, best.size - size);
      }
    }
    const changes = randomInt(this.#rand, 1, 4);
    for (let i = 0; i < changes; i++) {
      const side = this.#rand() < 0.5 ? "bid" : "ask";
      const k = randomInt(this.#rand, 1, this.#levels);
      const price = this.#price(side === "bid" ? -k : k);
      const size = this.#rand() < 0.2 ? 0 : this.#size();
      set(side, price, size);
    }
    // Refill the touch so the book never runs empty.
    if (this.book.levelCount("bid") === 0) set("bid", this.#price(-1), this.#size());
    if (this.book.levelCount("ask") === 0) set("ask", this.#price(1), this.#size());
    // Keep the book bounded to the band around the centre.
    const low = this.#price(-this.#levels);
    const high = this.#price(this.#levels);
    for (const [p] of this.book.top("bid")) if (p < low) set("bid", p, 0);
    for (const [p] of this.book.top("ask")) if (p > high) set("ask", p, 0);
    const toLevels = (m: Map<number, number>): LevelUpdate[] =>
      [...m].map(([p, s]) => [p as Ticks, s as Lots]);
    return { bids: toLevels(bids), asks: toLevels(asks), trades };
  }

  #price(offset: number): Ticks {
    return (this.#centre + offset * this.#spacing) as Ticks;
  }

  #size(): Lots {
    const unit = 10 ** Math.max(0, this.book.instrument.sizeDecimals - 4); // 0.0001 of the base
    return (randomInt(this.#rand, 1, 20_000) * unit) as Lots;
  }
}
