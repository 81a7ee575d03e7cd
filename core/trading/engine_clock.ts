/**
 * The engine's clock and the work that is due as it moves: the initial deposits and
 * first equity sample on the first event, order and cancel arrivals, book-guard ticks
 * each second, equity samples each minute and decision outcomes once their horizon
 * has passed. Time only moves forward: out-of-order input never moves it back.
 *
 * @module
 */

import type { TradingEngine } from "./engine.ts";
import { logGuardChanges } from "./engine_log.ts";
import type { DecisionRecord, EquityPoint } from "./engine_types.ts";
import { amountToNumber } from "./money.ts";

const MINUTE = 60_000;

/** Time of one engine and its schedules. */
export class EngineClock {
  readonly #engine: TradingEngine;
  #time = -Infinity;
  #started = false;
  #nextMinute = -Infinity;
  #nextTick = -Infinity;
  readonly #midOf: (d: DecisionRecord) => number | undefined;
  readonly #onSettled: (d: DecisionRecord) => void;

  /**
   * Creates a clock that has not started.
   *
   * @param engine The engine whose due work it runs.
   */
  constructor(engine: TradingEngine) {
    this.#engine = engine;
    this.#midOf = (d) => engine.runner(d.venue, d.symbol)?.book.mid();
    this.#onSettled = (d) => engine.sink.onDecision?.(d);
  }

  /** Current time (last event or tick), -Infinity before the first. */
  get time(): number {
    return this.#time;
  }

  /** Marks the clock started at `time` (restart): no initial deposits, next sample at the next minute. */
  restore(time: number): void {
    this.#started = true;
    this.#time = time;
    this.#nextMinute = Math.floor(time / MINUTE) * MINUTE + MINUTE;
  }

  /** Moves the clock to `t` (ignored when `t` is in the past) and runs what is due. */
  advance(t: number): void {
    if (t < this.#time) return; // out-of-order input never moves the clock back
    const engine = this.#engine;
    this.#time = t;
    if (!this.#started) {
      this.#started = true;
      for (const b of engine.cfg.initialBalances) {
        engine.ledger.deposit({ ...b, time: t, ref: "initial balance" });
      }
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
      this.sampleEquity(t);
    }
    const runners = engine.runners();
    for (const r of runners) if (r.matching.nextDue() <= t) r.matching.advance(t);
    if (t >= this.#nextTick) {
      this.#nextTick = t + 1_000;
      for (const r of runners) {
        r.guard.tick(t);
        logGuardChanges(engine, r);
      }
    }
    if (t >= this.#nextMinute) {
      this.sampleEquity(Math.floor(t / MINUTE) * MINUTE);
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
    }
    engine.decisionLog.settle(t, this.#midOf, this.#onSettled);
  }

  /**
   * Takes an equity sample stamped `time`: the engine's equity list and sink, the risk
   * manager's drawdown and the volatility samples of tradable books.
   */
  sampleEquity(time: number): void {
    const engine = this.#engine;
    const equity = engine.equityNow();
    const point: EquityPoint = { time, equity, fees: engine.feesPaid };
    engine.equity.push(point);
    engine.sink.onEquity?.(point, engine);
    engine.risk.onEquity(time, amountToNumber(equity));
    for (const r of engine.runners()) {
      const mid = r.book.mid();
      if (mid !== undefined && r.tradable) engine.risk.sampleMid(r.key, mid);
    }
    engine.flushRisk();
  }
}
