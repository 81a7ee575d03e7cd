/**
 * The trading engine: one event loop shared by the paper trader and the backtester.
 * Events (in receive-time order) update the books; the matching simulator fills
 * paper orders; the ledger books fills; the book guards and the risk manager gate
 * every order; the strategy decides at most once per interval per book.
 *
 * @module
 */

import type { MarketEvent } from "../market/events.ts";
import type { Ticks } from "../market/fixed_point.ts";
import type { Instrument, VenueId } from "../market/instrument.ts";
import { OrderBook } from "../market/order_book.ts";
import { type Alert, PerformanceMonitor } from "./alerts.ts";
import { BookGuard, type BookHaltChange } from "./book_guard.ts";
import { type EngineConfig, feesFor, rulesFor } from "./engine_config.ts";
import { Ledger, type Mark, type RoundTrip } from "./ledger.ts";
import { MatchingEngine } from "./matching.ts";
import { type Amount, amountToNumber } from "./money.ts";
import { checkExits, flattenAll, type FlattenResult, killSwitch } from "./exit_orders.ts";
export type { FlattenResult } from "./exit_orders.ts";
import { reservationOf } from "./reservation.ts";
import {
  createOrder,
  type Fill,
  type Order,
  type OrderRequest,
  reject,
  type Rejection,
  validateOrder,
} from "./order.ts";
import { type RiskEvent, RiskManager } from "./risk.ts";
export type { DecisionRecord, EngineSink, EquityPoint } from "./engine_types.ts";
import type { DecisionRecord, EngineSink, EquityPoint } from "./engine_types.ts";
import type { Strategy } from "./strategy.ts";
import { BookRunner } from "./book_runner.ts";
import { decideFor } from "./decide.ts";
import { DecisionLog } from "./decision_log.ts";

const MINUTE = 60_000;

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
  /** Performance alerts. */
  readonly monitor: PerformanceMonitor;
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
  readonly riskLog: (RiskEvent | BookHaltChange | Alert)[] = [];
  /** Events processed. */
  events = 0;
  readonly #runners = new Map<VenueId, Map<string, BookRunner>>();
  readonly #all: BookRunner[] = [];
  #sink: EngineSink;
  #orderSeq = 0;
  #fillSeq = 0;
  #fees: Amount = 0n;
  #nextMinute = -Infinity;
  #nextTick = -Infinity;
  #time = -Infinity;
  #started = false;

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
    this.monitor = new PerformanceMonitor(cfg.alerts);
    this.decisionLog = new DecisionLog({
      keep: cfg.keepDecisions,
      horizonMs: cfg.outcomeHorizonMs,
    });
    this.decisions = this.decisionLog.kept;
    for (const inst of cfg.instruments) {
      const book = new OrderBook(inst);
      const matching = new MatchingEngine(book, {
        fees: feesFor(cfg, inst.venue),
        maxSlippageBps: cfg.maxSlippageBps,
        ...(cfg.queueModel ? { queueModel: cfg.queueModel } : {}),
        nextFillSeq: () => ++this.#fillSeq,
        onFill: (f) => this.#onFill(f, inst),
        onOrder: (o) => this.#onOrder(o),
      });
      const runner = new BookRunner({
        inst,
        book,
        sync: cfg.syncFor(book),
        matching,
        guard: new BookGuard(cfg.bookGuard),
        checksum: cfg.checksums?.[inst.venue],
      });
      let m = this.#runners.get(inst.venue);
      if (!m) this.#runners.set(inst.venue, m = new Map());
      m.set(inst.symbol, runner);
      this.#all.push(runner);
    }
  }

  /** Replaces the persistence hooks. */
  setSink(sink: EngineSink): void {
    this.#sink = sink;
  }

  /** Current time of the engine (last event or tick). */
  get time(): number {
    return this.#time;
  }

  /** Events refused as malformed: count and the first 20 reasons. */
  readonly badEvents: { count: number; reasons: string[] } = { count: 0, reasons: [] };

  /** Fees paid so far. */
  get feesPaid(): Amount {
    return this.#fees;
  }

  /** Next order and fill sequence numbers (persisted on restart). */
  get counters(): { orders: number; fills: number; decisions: number } {
    return { orders: this.#orderSeq, fills: this.#fillSeq, decisions: this.decisionLog.count };
  }

  /** The runner (book, guard, matching) of an instrument. */
  runner(venue: VenueId, symbol: string): BookRunner | undefined {
    return this.#runners.get(venue)?.get(symbol);
  }

  /** Every runner. */
  runners(): readonly BookRunner[] {
    return this.#all;
  }

  /**
   * Restores counters, fees and the clock and marks the engine started (restart from
   * the store; the ledger and risk state are restored separately, see `engine_state.ts`).
   */
  restoreRun(
    r: {
      counters: { orders: number; fills: number; decisions: number };
      fees: Amount;
      time: number;
    },
  ): void {
    this.#orderSeq = r.counters.orders;
    this.#fillSeq = r.counters.fills;
    this.decisionLog.count = r.counters.decisions;
    this.#fees = r.fees;
    this.#started = true;
    this.#time = r.time;
    this.#nextMinute = Math.floor(r.time / MINUTE) * MINUTE + MINUTE;
  }

  /** Records an order restored from the store (it keeps its id) and tells the sink. */
  adoptOrder(order: Order): void {
    this.orders.set(order.id, order);
    this.#sink.onOrder?.(order);
  }

  /** Passes pending risk events to the log and the sink. */
  flushRisk(): void {
    this.#drainRisk();
  }

  /**
   * Processes one market event (events must come in receive-time order). An event with
   * a non-finite time or a trade with a non-positive or non-integer price or size is
   * counted in {@linkcode badEvents} and ignored; data the book refuses (a NaN or negative
   * level) halts that book until a fresh snapshot. Neither stops the engine.
   */
  onEvent(e: MarketEvent): void {
    const t = e.receiveTime;
    if (!Number.isFinite(t)) return this.#bad(e, `receive time is not a finite number: ${t}`);
    if (e.kind === "trade" && !(isPositiveInt(e.price) && isPositiveInt(e.size))) {
      return this.#bad(e, `trade price and size must be positive integers: ${e.price} x ${e.size}`);
    }
    const r = this.#runners.get(e.venue)?.get(e.symbol);
    this.#advance(t);
    this.events++;
    if (r === undefined) return;
    let changed: boolean;
    try {
      changed = r.apply(e, t);
    } catch (err) {
      this.#bad(e, (err as Error).message);
      r.guard.onIntegrityFailure("bad_data", t, (err as Error).message);
      changed = false;
    }
    this.#drainGuard(r);
    if (!changed || !r.tradable) return;
    if (r.position(this.ledger).qty > 0) this.#checkExits(r, t);
    if (t >= r.nextDecision) {
      r.nextDecision = t + this.strategy.intervalMs;
      this.#decide(r, t);
    }
  }

  /** Advances the clock without an event (live timer): arrivals, staleness, equity samples. */
  tick(now: number): void {
    this.#advance(now);
  }

  /** Engages the kill switch: cancels every open order, optionally flattens, then HALTED. */
  kill(now: number, reason: string, options: { flatten: boolean }): FlattenResult {
    this.#advance(now);
    return killSwitch(this, now, reason, options);
  }

  /** Pauses entries (operator `source`): REDUCING until {@linkcode resume}; exits still pass. */
  pauseEntries(now: number, source: string): void {
    this.#advance(now);
    this.risk.pauseEntries(now, source);
    this.#drainRisk();
  }

  /** Lifts the entry pause and releases the kill switch (operator `source`). */
  resume(now: number, source: string): void {
    this.#advance(now);
    this.risk.resumeEntries(now, source);
    this.risk.releaseKill(now, source);
    this.#drainRisk();
  }

  /**
   * Cancels every open order and sells every position with reduce-only market orders
   * (through the risk manager: refused when HALTED). Entries stay allowed unless paused.
   */
  flattenAll(now: number): FlattenResult {
    this.#advance(now);
    return flattenAll(this, now, { tag: "flatten_all", force: false });
  }

  /**
   * Validates, risk-checks, reserves and sends an order; it reaches the book after the latency.
   *
   * @param force Skip the risk manager (kill-switch flattening only); book halts still apply.
   * @returns The order, or a rejection with its reason.
   */
  submit(req: OrderRequest, now: number, force = false): Order | Rejection {
    const r = this.runner(req.venue, req.symbol);
    if (!r) return reject("instrument", `no book for ${req.venue} ${req.symbol}`);
    if (!r.tradable) {
      return reject("book_halted", `book ${r.book.label} is not tradable: ${r.haltReason}`);
    }
    const inst = r.inst;
    const ref = req.side === "buy" ? r.book.bestAskPrice() : r.book.bestBidPrice();
    const valid = validateOrder(req, { inst, rules: rulesFor(this.cfg, inst), refPrice: ref });
    if (!valid.ok) return valid;
    const pos = r.position(this.ledger);
    if (req.reduceOnly && (req.side !== "sell" || req.size > pos.qty)) {
      return reject(
        "reduce_only",
        `reduce-only order of ${req.size} exceeds the position ${pos.qty}`,
      );
    }
    if (!force) {
      const held = this.#all.filter((x) => x.position(this.ledger).qty > 0).map((x) => x.key);
      const check = this.risk.check({ key: r.key, reduceOnly: req.reduceOnly === true, held }, now);
      if (!check.ok) return check;
    }
    const id = `o${this.#orderSeq + 1}`;
    const reserved = reservationOf(
      inst,
      req,
      ref as Ticks,
      this.cfg.maxSlippageBps,
      feesFor(this.cfg, inst.venue).takerPpm,
    );
    const asset = req.side === "buy" ? inst.quote : inst.base;
    if (!this.ledger.reserve(id, inst.venue, asset, reserved)) {
      return reject(
        "balance",
        `not enough ${asset} on ${inst.venue}: need ${amountToNumber(reserved)}, available ${
          amountToNumber(this.ledger.available(inst.venue, asset))
        }`,
      );
    }
    this.#orderSeq++;
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
    return this.ledger.equity(this.cfg.instruments, (inst) => this.#markOf(inst));
  }

  /** Takes the final equity sample (end of a replay). */
  finish(time: number): void {
    this.#advance(time);
    this.#sampleEquity(time);
  }

  #markOf(inst: Instrument): Mark | undefined {
    const r = this.runner(inst.venue, inst.symbol);
    const bid = r?.book.bestBidPrice();
    const ask = r?.book.bestAskPrice();
    return bid === undefined || ask === undefined ? undefined : { bid, ask };
  }

  #advance(t: number): void {
    if (t < this.#time) return; // out-of-order input never moves the clock back
    this.#time = t;
    if (!this.#started) {
      this.#started = true;
      for (const b of this.cfg.initialBalances) {
        this.ledger.deposit({ ...b, time: t, ref: "initial balance" });
      }
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
      this.#sampleEquity(t);
    }
    for (const r of this.#all) if (r.matching.nextDue() <= t) r.matching.advance(t);
    if (t >= this.#nextTick) {
      this.#nextTick = t + 1_000;
      for (const r of this.#all) {
        r.guard.tick(t);
        this.#drainGuard(r);
      }
    }
    if (t >= this.#nextMinute) {
      this.#sampleEquity(Math.floor(t / MINUTE) * MINUTE);
      this.#nextMinute = Math.floor(t / MINUTE) * MINUTE + MINUTE;
    }
    this.decisionLog.settle(
      t,
      (d) => this.runner(d.venue, d.symbol)?.book.mid(),
      (d) => this.#sink.onDecision?.(d),
    );
  }

  #sampleEquity(time: number): void {
    const equity = this.equityNow();
    const point = { time, equity, fees: this.#fees };
    this.equity.push(point);
    this.#sink.onEquity?.(point, this);
    this.risk.onEquity(time, amountToNumber(equity));
    for (const r of this.#all) {
      const mid = r.book.mid();
      if (mid !== undefined && r.tradable) this.risk.sampleMid(r.key, mid);
    }
    this.#drainRisk();
  }

  #decide(r: BookRunner, t: number): void {
    const out = decideFor(this, r, t);
    const rec: DecisionRecord = {
      seq: this.decisionLog.count + 1,
      time: t,
      venue: r.inst.venue,
      symbol: r.inst.symbol,
      decision: out.decision,
      mid: r.book.mid(),
      positionFraction: out.positionFraction,
      horizonMs: this.cfg.outcomeHorizonMs,
      orderId: out.orderId,
      rejected: out.rejected,
      outcomeBps: undefined,
    };
    this.decisionLog.add(rec);
    if (out.decision.confidence !== undefined) {
      this.monitor.onConfidence(out.decision.confidence, t);
    }
    this.#sink.onDecision?.(rec);
    this.#drainRisk();
  }

  #checkExits(r: BookRunner, t: number): void {
    checkExits(this, r, t);
  }

  #onFill(f: Fill, inst: Instrument): void {
    const before = this.ledger.roundTrips().length;
    this.ledger.applyFill(f, inst);
    const r = this.runner(inst.venue, inst.symbol);
    if (r?.flatten && (f.side === "buy" || r.position(this.ledger).qty <= 0)) r.flatten = undefined;
    this.#fees += f.fee;
    this.fills.push(f);
    const trips = this.ledger.roundTrips();
    if (trips.length > before) this.#tripClosed(trips[trips.length - 1] as RoundTrip);
    this.#sink.onFill?.(f, this);
  }

  #tripClosed(trip: RoundTrip): void {
    const net = amountToNumber(trip.gross - trip.fees);
    this.risk.onRoundTrip(trip.closeTime, net);
    const cost = amountToNumber(trip.cost);
    if (cost > 0) this.monitor.onRoundTrip(net / cost, trip.closeTime);
    this.#drainRisk();
  }

  #onOrder(o: Order): void {
    if (o.status === "filled" || o.status === "cancelled" || o.status === "rejected") {
      this.ledger.release(o.id);
    }
    this.#sink.onOrder?.(o);
  }

  #drainGuard(r: BookRunner): void {
    if (r.guard.changes.length === 0) return;
    for (const c of r.guard.changes.splice(0)) this.#log(c);
    r.syncHalt();
  }

  #drainRisk(): void {
    for (const e of this.risk.events.splice(0)) this.#log(e);
    for (const a of this.monitor.pending.splice(0)) this.#log(a);
  }

  #bad(e: MarketEvent, reason: string): void {
    this.badEvents.count++;
    if (this.badEvents.reasons.length < 20) {
      this.badEvents.reasons.push(`${e.venue} ${e.symbol} ${e.kind}: ${reason}`);
    }
  }

  #log(c: RiskEvent | BookHaltChange | Alert): void {
    this.riskLog.push(c);
    this.#sink.onRisk?.(c, this);
  }
}

function isPositiveInt(x: number): boolean {
  return Number.isSafeInteger(x) && x > 0;
}
