/**
 * The execution port on the shared trading engine (`core/trading`): the same
 * paper broker (matching against the replayed L2 book, fees, minimum
 * notional, slippage band), sizing, exits, book guards and account risk the
 * paper trader and the backtester run. Recorded events are replayed in
 * receive-time order up to each decision time; the agent's order at decision
 * k is the engine strategy's next decision, so it is sized, risk-checked and
 * filled by the engine on the events that follow. Nothing about fills is
 * reimplemented here.
 *
 * @module
 */

import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { defaultEngineConfig, type EngineConfig } from "../../core/trading/engine/engine_config.ts";
import { amountToNumber, parseAmount } from "../../core/trading/orders/money.ts";
import { type Decision, HOLD, type Strategy } from "../../core/trading/strategy/strategy.ts";
import type { Account, ExecutionPort } from "./execution.ts";

/** A strategy that returns the agent's pending order once, then holds. */
class AgentStrategy implements Strategy {
  readonly name = "rl-agent";
  readonly intervalMs = 1;
  pending: Decision = HOLD;
  decide(): Decision {
    const d = this.pending;
    this.pending = HOLD;
    return d;
  }
}

/**
 * The traded instruments of a recording (every venue/symbol present): from `known` (the
 * recording's own precision, `ReadStats.instruments`) first, the built-in table otherwise.
 */
export function instrumentsOf(
  events: readonly MarketEvent[],
  known: readonly Instrument[] = [],
): Instrument[] {
  const out = new Map<string, Instrument>();
  for (const e of events) {
    const key = `${e.venue} ${e.symbol}`;
    if (out.has(key)) continue;
    const inst = known.find((i) => i.venue === e.venue && i.symbol === e.symbol) ??
      defaultInstrument(e.venue, e.symbol);
    if (inst === undefined) throw new RangeError(`No instrument definition for ${key}`);
    out.set(key, inst);
  }
  return [...out.values()];
}

/** Maker fee, position size and minimum notional of {@linkcode trainerEngineConfig}. */
export interface TrainerCosts {
  /** Maker fee (bps); the taker fee when absent. */
  readonly makerBps?: number | undefined;
  /** Largest position as a fraction of equity; the engine default when absent. */
  readonly maxPositionFraction?: number | undefined;
  /** Smallest order notional (quote asset); the engine default when absent. */
  readonly minNotional?: number | undefined;
}

/** Engine settings for the trainer: defaults with the given taker (and maker) fee (bps) and sizes. */
export function trainerEngineConfig(
  instruments: readonly Instrument[],
  feeBps: number,
  costs: TrainerCosts = {},
): EngineConfig {
  const base = defaultEngineConfig(instruments, (b) => new BinanceBookSync(b));
  const ppm = Math.round(feeBps * 100);
  return {
    ...base,
    fees: {},
    defaultFees: { makerPpm: Math.round((costs.makerBps ?? feeBps) * 100), takerPpm: ppm },
    ...(costs.minNotional !== undefined
      ? { defaultMinNotional: parseAmount(costs.minNotional.toFixed(12)) }
      : {}),
    ...(costs.maxPositionFraction !== undefined
      ? { sizing: { ...base.sizing, maxEquityFraction: costs.maxPositionFraction } }
      : {}),
    keepLedgerEntries: false,
    keepDecisions: false,
  };
}

/** See module docs. */
export class EngineExecution implements ExecutionPort {
  readonly #events: readonly MarketEvent[];
  readonly #times: readonly number[];
  readonly #config: () => EngineConfig;
  readonly #strategy = new AgentStrategy();
  #engine: TradingEngine | undefined;
  #next = 0;
  #k = 0;

  /**
   * @param events Recorded events in receive-time order (from the start, so books sync).
   * @param times Decision times (ms, increasing).
   * @param config Engine settings (a fresh object per reset).
   */
  constructor(
    events: readonly MarketEvent[],
    times: readonly number[],
    config: () => EngineConfig,
  ) {
    this.#events = events;
    this.#times = times;
    this.#config = config;
  }

  /** Decision points. */
  get length(): number {
    return this.#times.length;
  }

  /** Fresh engine; events replayed (holding) up to decision k. */
  reset(k: number): void {
    this.#strategy.pending = HOLD;
    this.#engine = new TradingEngine(this.#config(), this.#strategy);
    this.#next = 0;
    this.#k = 0;
    this.#feed(this.#times[k] as number);
    this.#k = k;
  }

  /** The order the engine's strategy returns at its next decision. */
  order(side: "buy" | "sell", size: number): void {
    this.#strategy.pending = size > 0 ? { action: side, size: Math.min(size, 1) } : HOLD;
  }

  /** Replays events up to decision k; an order not taken by then lapses. */
  advance(k: number): void {
    this.#feed(this.#times[k] as number);
    this.#strategy.pending = HOLD;
    this.#k = k;
  }

  #feed(until: number): void {
    const engine = this.#engine;
    if (engine === undefined) throw new Error("EngineExecution used before reset()");
    while (
      this.#next < this.#events.length &&
      (this.#events[this.#next] as MarketEvent).receiveTime <= until
    ) {
      engine.onEvent(this.#events[this.#next] as MarketEvent);
      this.#next++;
    }
    engine.tick(until);
  }

  /** Equity, cash and position from the engine's ledger. */
  account(): Account {
    const engine = this.#engine;
    if (engine === undefined) throw new Error("EngineExecution used before reset()");
    const equity = amountToNumber(engine.equityNow());
    let cash = 0;
    const seen = new Set<string>();
    for (const inst of engine.cfg.instruments) {
      if (seen.has(`${inst.venue} ${inst.quote}`)) continue;
      seen.add(`${inst.venue} ${inst.quote}`);
      cash += amountToNumber(engine.ledger.balance(inst.venue, inst.quote));
    }
    const valid = equity > 0;
    return {
      cash,
      equity: valid ? equity : cash,
      positionFraction: valid ? Math.max(0, (equity - cash) / equity) : 0,
      fees: amountToNumber(engine.feesPaid),
      trades: engine.fills.length,
    };
  }
}
