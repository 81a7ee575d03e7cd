/**
 * The engine's clock and the work that is due as it moves: the initial deposits and
 * first equity sample on the first event, order and cancel arrivals, book-guard ticks
 * each second, equity samples each minute and decision outcomes once their horizon
 * has passed. Time only moves forward: out-of-order input never moves it back.
 *
 * @module
 */

import type { DecisionLog } from "./decision_log.ts";
import type { EngineConfig } from "./engine_config.ts";
import type { Books, Journal, Outbox } from "./engine_ports.ts";
import type { DecisionRecord, EquityPoint } from "./engine_types.ts";
import { type Amount, amountToNumber } from "../orders/money.ts";
import type { AccountView } from "../portfolio/portfolio_view.ts";
import type { RiskManager } from "../risk/risk.ts";

const MINUTE = 60_000;

/** What the clock runs the due work on. */
export interface ClockPorts {
  /** Settings (initial balances). */
  readonly cfg: EngineConfig;
  /** The books (arrivals, guard ticks, marks of decision outcomes, volatility samples). */
  readonly books: Books;
  /** Balances (initial deposits) and equity. */
  readonly account: AccountView;
  /** Fees paid so far. */
  readonly feesPaid: () => Amount;
  /** The equity samples taken so far. */
  readonly equity: EquityPoint[];
  /** The risk manager (drawdown and volatility samples). */
  readonly risk: Pick<RiskManager, "onEquity" | "sampleMid">;
  /** Decisions whose outcomes settle. */
  readonly decisionLog: DecisionLog;
  /** The risk journal. */
  readonly journal: Journal;
  /** The sink. */
  readonly out: Outbox;
}

/** Time of one engine and its schedules. */
export class EngineClock {
  readonly #ports: ClockPorts;
  #time = -Infinity;
  #started = false;
  #nextMinute = -Infinity;
  #nextTick = -Infinity;
  readonly #midOf: (d: DecisionRecord) => number | undefined;
  readonly #onSettled: (d: DecisionRecord) => void;

  /**
   * Creates a clock that has not started.
   *
   * @param ports The parts of the engine whose due work it runs.
   */
  constructor(ports: ClockPorts) {
    this.#ports = ports;
    this.#midOf = (d) => ports.books.runner(d.venue, d.symbol)?.book.mid();
    this.#onSettled = (d) => ports.out.decision(d);
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
    const ports = this.#ports;
    this.#time = t;
    if (!this.#started) {
      this.#started = true;
      for (const b of ports.cfg.initialBalances) {
        ports.account.ledger.deposit({ ...b, time: t, ref: "initial balance" });
      }
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
      this.sampleEquity(t);
    }
    const runners = ports.books.runners();
    for (const r of runners) if (r.matching.nextDue() <= t) r.matching.advance(t);
    if (t >= this.#nextTick) {
      this.#nextTick = t + 1_000;
      for (const r of runners) {
        r.guard.tick(t);
        ports.journal.guardChanged(r);
      }
    }
    if (t >= this.#nextMinute) {
      this.sampleEquity(Math.floor(t / MINUTE) * MINUTE);
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
    }
    ports.decisionLog.settle(t, this.#midOf, this.#onSettled);
  }

  /**
   * Takes an equity sample stamped `time`: the engine's equity list and sink, the risk
   * manager's drawdown and the volatility samples of tradable books.
   */
  sampleEquity(time: number): void {
    const ports = this.#ports;
    const equity = ports.account.equityNow();
    const point: EquityPoint = { time, equity, fees: ports.feesPaid() };
    ports.equity.push(point);
    ports.out.equity(point);
    ports.risk.onEquity(time, amountToNumber(equity));
    for (const r of ports.books.runners()) {
      const mid = r.book.mid();
      if (mid !== undefined && r.tradable) ports.risk.sampleMid(r.key, mid);
    }
    ports.journal.flushRisk();
  }
}
