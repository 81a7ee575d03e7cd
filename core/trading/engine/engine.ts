/**
 * The trading engine: one event loop shared by the paper trader and the backtester.
 * Events (in receive-time order) update the books; the matching simulator fills
 * paper orders; the ledger books fills; the book guards and the risk manager gate
 * every order; the strategy decides at most once per interval per book.
 *
 * @module
 */

import type { MarketEvent } from "../../market/events.ts";
import type { Instrument, VenueId } from "../../market/instrument.ts";
import { PerformanceMonitor } from "../risk/alerts.ts";
import type { BookRunner } from "../books/book_runner.ts";
import { recordDecision } from "./decide.ts";
import { DecisionLog } from "./decision_log.ts";
import { EngineClock } from "./engine_clock.ts";
import type { EngineConfig } from "./engine_config.ts";
import { type BadEvents, malformedReason, noteBadEvent, RiskJournal } from "./engine_log.ts";
import type { Outbox, RunTally } from "./engine_ports.ts";
import type { EngineParts } from "./engine_parts.ts";
import { type EngineState, type RestingOrderPolicy, restoreInto } from "./engine_state.ts";
import type { DecisionRecord, EngineSink, EquityPoint, RiskLogEntry } from "./engine_types.ts";
import { checkExits, flattenAll, type FlattenResult, killSwitch } from "./exit_orders.ts";
import { Ledger } from "../ledger/ledger.ts";
import type { Amount } from "../orders/money.ts";
import {
  createOrder,
  type Fill,
  isOrderDone,
  type Order,
  type OrderRequest,
  type Rejection,
} from "../orders/order.ts";
import { bookFill } from "./fill_booking.ts";
import { admitOrder } from "./order_entry.ts";
import { RiskManager } from "../risk/risk.ts";
import { RunnerSet } from "./runner_set.ts";
import type { Strategy } from "../strategy/strategy.ts";
export type { DecisionRecord, EngineSink, EquityPoint, RiskLogEntry } from "./engine_types.ts";
export type { FlattenResult } from "./exit_orders.ts";

/** Paper trading on live or replayed events. */
export class TradingEngine {
  /** Settings. */
  readonly cfg: EngineConfig;
  /** The strategy. */
  readonly strategy: Strategy;
  /** Balances and positions. */
  readonly ledger: Ledger;
  /** Account risk. */
  readonly risk: RiskManager;
  /** Every fill, in order. */
  readonly fills: Fill[] = [];
  /** Every order by id. */
  readonly orders: Map<string, Order> = new Map();
  /** Every decision. */
  readonly decisions: DecisionRecord[];
  /** Decisions, their count and their pending outcomes. */
  readonly decisionLog: DecisionLog;
  /** Equity each minute. */
  readonly equity: EquityPoint[] = [];
  /** Risk events, book halts and alerts, in order. */
  readonly riskLog: RiskLogEntry[] = [];
  readonly #runners: RunnerSet;
  readonly #parts: EngineParts;
  readonly #clock: EngineClock;
  readonly #journal: RiskJournal;
  #sink: EngineSink;
  readonly #run: RunTally = { orders: 0, fills: 0, fees: 0n };

  /**
   * Creates an instance.
   *
   * @param cfg Settings.
   * @param strategy The strategy that decides.
   * @param sink Persistence hooks.
   */
  constructor(cfg: EngineConfig, strategy: Strategy, sink: EngineSink = {}) {
    this.cfg = cfg;
    this.strategy = strategy;
    this.#sink = sink;
    this.ledger = new Ledger({ keepEntries: cfg.keepLedgerEntries });
    this.risk = new RiskManager(cfg.risk);
    const monitor = new PerformanceMonitor(cfg.alerts);
    this.decisionLog = new DecisionLog({
      keep: cfg.keepDecisions,
      horizonMs: cfg.outcomeHorizonMs,
    });
    this.decisions = this.decisionLog.kept;
    this.#runners = new RunnerSet(cfg, {
      nextFillSeq: () => ++this.#run.fills,
      onFill: (f, inst) => this.#onFill(f, inst),
      onOrder: (o) => this.#onOrder(o),
    });
    const out: Outbox = {
      order: (o) => this.#sink.onOrder?.(o),
      decision: (rec) => this.#sink.onDecision?.(rec),
      equity: (point) => this.#sink.onEquity?.(point, this),
      risk: (change) => this.#sink.onRisk?.(change, this),
    };
    this.#journal = new RiskJournal({ risk: this.risk, monitor, log: this.riskLog, out });
    this.#parts = {
      cfg,
      strategy,
      books: this.#runners,
      account: this,
      ledger: this.ledger,
      risk: this.risk,
      monitor,
      decisionLog: this.decisionLog,
      equity: this.equity,
      fills: this.fills,
      feesPaid: () => this.#run.fees,
      run: this.#run,
      ordersById: this.orders,
      orders: this,
      journal: this.#journal,
      out,
    };
    this.#clock = new EngineClock(this.#parts);
  }

  /** Replaces the persistence hooks. */
  setSink(sink: EngineSink): void {
    this.#sink = sink;
  }

  /** Current time of the engine (last event or tick). */
  get time(): number {
    return this.#clock.time;
  }

  /** Events refused as malformed: count and the first 20 reasons. */
  readonly badEvents: BadEvents = { count: 0, reasons: [] };

  /** Fees paid so far. */
  get feesPaid(): Amount {
    return this.#run.fees;
  }

  /** Next order and fill sequence numbers (persisted on restart). */
  get counters(): { orders: number; fills: number; decisions: number } {
    const { orders, fills } = this.#run;
    return { orders, fills, decisions: this.decisionLog.count };
  }

  /** The runner (book, guard, matching) of an instrument. */
  runner(venue: VenueId, symbol: string): BookRunner | undefined {
    return this.#runners.runner(venue, symbol);
  }

  /** Every runner. */
  runners(): readonly BookRunner[] {
    return this.#runners.runners();
  }

  /**
   * Restores a captured state into this fresh engine (restart from the store): ledger,
   * risk, counters, fees and the clock; orders open at capture follow the policy and
   * the downtime gap is recorded in the risk log (see `engine_state.ts`).
   *
   * @returns The orders cancelled by the policy.
   */
  restore(state: EngineState, options: { now: number; policy?: RestingOrderPolicy }): Order[] {
    return restoreInto({ ...this.#parts, clock: this.#clock }, state, options);
  }

  /**
   * Processes one market event (events must come in receive-time order). An event with
   * a non-finite time or a trade with a non-positive or non-integer price or size is
   * counted in {@linkcode badEvents} and ignored; data the book refuses (a NaN or negative
   * level) halts that book until a fresh snapshot. Neither stops the engine.
   */
  onEvent(e: MarketEvent): void {
    const bad = malformedReason(e);
    if (bad !== undefined) return noteBadEvent(this.badEvents, e, bad);
    const t = e.receiveTime;
    const r = this.#runners.runner(e.venue, e.symbol);
    this.#clock.advance(t);
    if (r === undefined) return;
    let changed: boolean;
    try {
      changed = r.apply(e, t);
    } catch (err) {
      noteBadEvent(this.badEvents, e, (err as Error).message);
      r.guard.onIntegrityFailure("bad_data", t, (err as Error).message);
      changed = false;
    }
    this.#journal.guardChanged(r);
    if (!changed || !r.tradable) return;
    if (r.position(this.ledger).qty > 0) checkExits(this.#parts, r, t);
    if (t >= r.nextDecision) {
      r.nextDecision = t + this.strategy.intervalMs;
      recordDecision(this.#parts, r, t);
    }
  }

  /** Advances the clock without an event (live timer): arrivals, staleness, equity samples. */
  tick(now: number): void {
    this.#clock.advance(now);
  }

  /** Engages the kill switch: cancels every open order, optionally flattens, then HALTED. */
  kill(now: number, reason: string, options: { flatten: boolean }): FlattenResult {
    this.#clock.advance(now);
    return killSwitch(this.#parts, now, reason, options);
  }

  /** Pauses entries (operator `source`): REDUCING until {@linkcode resume}; exits still pass. */
  pauseEntries(now: number, source: string): void {
    this.#clock.advance(now);
    this.risk.pauseEntries(now, source);
    this.#journal.flushRisk();
  }

  /** Lifts the entry pause and releases the kill switch (operator `source`). */
  resume(now: number, source: string): void {
    this.#clock.advance(now);
    this.risk.resumeEntries(now, source);
    this.risk.releaseKill(now, source);
    this.#journal.flushRisk();
  }

  /**
   * Cancels every open order and sells every position with reduce-only market orders
   * (through the risk manager: refused when HALTED). Entries stay allowed unless paused.
   */
  flattenAll(now: number): FlattenResult {
    this.#clock.advance(now);
    return flattenAll(this.#parts, now, { tag: "flatten_all", force: false });
  }

  /**
   * Validates, risk-checks, reserves and sends an order; it reaches the book after the latency.
   *
   * @param force Skip the risk manager (kill-switch flattening only); book halts still apply.
   * @returns The order, or a rejection with its reason.
   */
  submit(req: OrderRequest, now: number, force = false): Order | Rejection {
    const id = `o${this.#run.orders + 1}`;
    const r = admitOrder(this.#parts, req, { id, now, force });
    if ("ok" in r) return r;
    this.#run.orders++;
    const delay = this.cfg.latency.next();
    const order = createOrder(id, req, {
      submitTime: now,
      arrivalTime: now + delay,
      decisionMid: r.book.mid(),
    });
    this.orders.set(id, order);
    this.#sink.onOrder?.(order);
    r.matching.submit(order, now);
    return order;
  }

  /** Marked-to-market equity now. */
  equityNow(): Amount {
    return this.ledger.equity(this.cfg.instruments, (inst) => this.#runners.markOf(inst));
  }

  /** Takes the final equity sample (end of a replay). */
  finish(time: number): void {
    this.#clock.advance(time);
    this.#clock.sampleEquity(time);
  }

  #onFill(f: Fill, inst: Instrument): void {
    this.#run.fees += f.fee;
    bookFill(this.#parts, f, inst);
    this.#sink.onFill?.(f, this);
  }

  #onOrder(o: Order): void {
    if (isOrderDone(o)) this.ledger.release(o.id);
    this.#sink.onOrder?.(o);
  }
}
