/**
 * Helpers for tests of the trading core: a test instrument and hand-built books.
 *
 * @module
 */

import type { BookDelta, BookSnapshot, LevelUpdate, Trade } from "../../market/events.ts";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { type Instrument, makeInstrument } from "../../market/instrument.ts";
import { OrderBook } from "../../market/order_book.ts";
import { BinanceBookSync } from "../../market/binance_sync.ts";
import { DEFAULT_BOOK_GUARD } from "../books/book_guard.ts";
import { TradingEngine } from "../engine/engine.ts";
import { defaultEngineConfig, type EngineConfig } from "../engine/engine_config.ts";
import { type Decision, HOLD, type Strategy } from "../strategy/strategy.ts";

/** BTC/USDT on binance with 2 price decimals, 8 size decimals and a 0.00001 lot (1,000 units). */
export function testInstrument(): Instrument {
  return makeInstrument({
    venue: "binance",
    symbol: "BTC/USDT",
    priceDecimals: 2,
    sizeDecimals: 8,
    lotSize: 1_000,
  });
}

/** Builds a book from `[price, size]` pairs given as plain numbers (ticks, lots). */
export function bookFrom(
  levels: {
    bids: readonly (readonly [number, number])[];
    asks: readonly (readonly [number, number])[];
  },
  inst: Instrument = testInstrument(),
): OrderBook {
  const book = new OrderBook(inst);
  for (const [p, s] of levels.bids) book.set("bid", p as Ticks, s as Lots);
  for (const [p, s] of levels.asks) book.set("ask", p as Ticks, s as Lots);
  return book;
}

/** Builds scripted market events for one instrument (Binance-style sequences). */
export class EventScript {
  readonly #inst: Instrument;
  #seq = 100;
  #tradeId = 0;

  /**
   * Creates an instance.
   *
   * @param inst Instrument of the events.
   */
  constructor(inst: Instrument = testInstrument()) {
    this.#inst = inst;
  }

  #head(t: number) {
    return {
      venue: this.#inst.venue,
      symbol: this.#inst.symbol,
      exchangeTime: t,
      receiveTime: t,
    } as const;
  }

  /** A snapshot at time `t` (restarts the sequence). */
  snapshot(t: number, bids: [number, number][], asks: [number, number][]): BookSnapshot {
    this.#seq += 10;
    return {
      ...this.#head(t),
      kind: "snapshot",
      sequence: this.#seq,
      bids: levels(bids),
      asks: levels(asks),
    };
  }

  /** An in-sequence delta; `skip` leaves a gap of that many sequence numbers. */
  delta(t: number, bids: [number, number][], asks: [number, number][], skip = 0): BookDelta {
    this.#seq += 1 + skip;
    return {
      ...this.#head(t),
      kind: "delta",
      firstSequence: this.#seq,
      lastSequence: this.#seq,
      bids: levels(bids),
      asks: levels(asks),
    };
  }

  /** A delta with a venue checksum. */
  deltaWithChecksum(
    t: number,
    bids: [number, number][],
    asks: [number, number][],
    checksum: number,
  ): BookDelta {
    return { ...this.delta(t, bids, asks), checksum };
  }

  /** A public trade. */
  trade(t: number, price: number, size: number, takerSide: "buy" | "sell"): Trade {
    return {
      ...this.#head(t),
      kind: "trade",
      tradeId: String(++this.#tradeId),
      price: price as Ticks,
      size: size as Lots,
      takerSide,
    };
  }

  /** Moves the whole book: one bid and one ask level, removing the previous ones. */
  quote(
    t: number,
    bid: number,
    ask: number,
    prev: { bid: number; ask: number },
    size = 100_000_000,
  ): BookDelta {
    const bids: [number, number][] = [[bid, size]];
    const asks: [number, number][] = [[ask, size]];
    if (prev.bid !== bid) bids.push([prev.bid, 0]);
    if (prev.ask !== ask) asks.push([prev.ask, 0]);
    prev.bid = bid;
    prev.ask = ask;
    return this.delta(t, bids, asks);
  }
}

function levels(l: [number, number][]): LevelUpdate[] {
  return l.map(([p, s]) => [p as Ticks, s as Lots] as const);
}

/** A strategy that returns queued decisions (then holds), for scripted scenarios. */
export function scriptedStrategy(intervalMs = 0): Strategy & { queue: Decision[] } {
  const queue: Decision[] = [];
  return {
    name: "scripted",
    intervalMs,
    queue,
    decide: () => queue.shift() ?? HOLD,
  };
}

/**
 * A one-book engine on a hand-built 99.99 / 100.01 book (100 BTC a side), for scenarios.
 * Exits are off and the stale limit is one hour unless `overrides` say otherwise.
 */
export function scenario(overrides: Partial<EngineConfig> = {}, start = 0): Scenario {
  const inst = testInstrument();
  const script = new EventScript(inst);
  const strategy = scriptedStrategy();
  const cfg: EngineConfig = {
    ...defaultEngineConfig([inst], (b) => new BinanceBookSync(b)),
    exits: {},
    bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 3_600_000 },
    ...overrides,
  };
  const engine = new TradingEngine(cfg, strategy);
  const q = { bid: 9999, ask: 10001 };
  engine.onEvent(script.snapshot(start, [[9999, 1e10]], [[10001, 1e10]]));
  return {
    inst,
    script,
    strategy,
    engine,
    quote: q,
    move: (t, bid, ask) => engine.onEvent(script.quote(t, bid, ask, q, 1e10)),
    decide: (t, d) => {
      strategy.queue.push(d);
      engine.onEvent(script.quote(t, q.bid, q.ask, q, 1e10 + (t % 1000) + 1000));
    },
  };
}

/** What {@linkcode scenario} returns. */
export interface Scenario {
  /** The instrument. */
  inst: Instrument;
  /** Event builder. */
  script: EventScript;
  /** The scripted strategy. */
  strategy: Strategy & { queue: Decision[] };
  /** The engine. */
  engine: TradingEngine;
  /** Current quote (ticks). */
  quote: { bid: number; ask: number };
  /** Moves the quote at time t. */
  move: (t: number, bid: number, ask: number) => void;
  /** Queues a decision and sends a book update at time t so the strategy is asked. */
  decide: (t: number, d: Decision) => void;
}
