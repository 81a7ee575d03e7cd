/**
 * Helpers for portfolio tests of the trading core: one engine over several hand-built
 * books (one per stream), each with its own scripted decisions.
 *
 * @module
 */

import { BinanceBookSync } from "../../market/binance_sync.ts";
import type { Instrument } from "../../market/instrument.ts";
import { DEFAULT_BOOK_GUARD } from "../books/book_guard.ts";
import { TradingEngine } from "../engine/engine.ts";
import { defaultEngineConfig, type EngineConfig } from "../engine/engine_config.ts";
import { type Decision, HOLD, type Strategy } from "../strategy/strategy.ts";
import { EventScript } from "./testing.ts";

/** One stream of a {@linkcode PortfolioScenario}. */
interface Leg {
  readonly script: EventScript;
  readonly quote: { bid: number; ask: number };
  readonly queue: Decision[];
}

/** What {@linkcode portfolioScenario} returns. */
export interface PortfolioScenario {
  /** The engine. */
  readonly engine: TradingEngine;
  /** Moves the quote of stream `key` ("venue:symbol") at time t (ticks). */
  move(key: string, t: number, bid: number, ask: number): void;
  /** Queues a decision for stream `key` and sends it a book update at time t. */
  decide(key: string, t: number, d: Decision): void;
  /** The last decision record of stream `key`. */
  last(key: string): { rejected: string | undefined; orderId: string | undefined } | undefined;
}

/**
 * An engine over `insts`, each on a 99.99 / 100.01 book (in ticks of 0.01, 100 units a side
 * at a size scale of 1e10), exits off, stale limit one hour, unless `overrides` say otherwise.
 * Each stream's decisions come from its own queue (hold when empty).
 */
export function portfolioScenario(
  insts: readonly Instrument[],
  overrides: Partial<EngineConfig> = {},
  start = 0,
): PortfolioScenario {
  const legs = new Map<string, Leg>();
  for (const inst of insts) {
    legs.set(`${inst.venue}:${inst.symbol}`, {
      script: new EventScript(inst),
      quote: { bid: 9999, ask: 10001 },
      queue: [],
    });
  }
  const strategy: Strategy = {
    name: "scripted",
    intervalMs: 0,
    decide: (ctx) => legs.get(`${ctx.inst.venue}:${ctx.inst.symbol}`)?.queue.shift() ?? HOLD,
  };
  const cfg: EngineConfig = {
    ...defaultEngineConfig(insts, (b) => new BinanceBookSync(b)),
    exits: {},
    bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 3_600_000 },
    ...overrides,
  };
  const engine = new TradingEngine(cfg, strategy);
  for (const leg of legs.values()) {
    engine.onEvent(leg.script.snapshot(start, [[9999, 1e10]], [[10001, 1e10]]));
  }
  const leg = (key: string) => {
    const l = legs.get(key);
    if (!l) throw new Error(`no stream ${key} in the scenario`);
    return l;
  };
  return {
    engine,
    move: (key, t, bid, ask) => {
      const l = leg(key);
      engine.onEvent(l.script.quote(t, bid, ask, l.quote, 1e10));
    },
    decide: (key, t, d) => {
      const l = leg(key);
      l.queue.push(d);
      engine.onEvent(l.script.quote(t, l.quote.bid, l.quote.ask, l.quote, 1e10 + (t % 1000) + 1));
    },
    last: (key) => {
      const [venue, symbol] = key.split(/:(.*)/s);
      return engine.decisions.findLast((d) => d.venue === venue && d.symbol === symbol);
    },
  };
}
