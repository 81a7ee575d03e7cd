/**
 * The traded books of an engine: one {@linkcode BookRunner} per configured instrument
 * (live book, sync, data guard, matching simulator), built from the settings and
 * found by venue and symbol.
 *
 * @module
 */

import type { Instrument, VenueId } from "../../market/instrument.ts";
import { OrderBook } from "../../market/order_book.ts";
import { BookGuard } from "../books/book_guard.ts";
import { BookRunner } from "../books/book_runner.ts";
import { type EngineConfig, feesFor } from "./engine_config.ts";
import type { Books } from "./engine_ports.ts";
import type { Mark } from "../ledger/ledger.ts";
import { MatchingEngine } from "../exchange/matching.ts";
import type { Fill, Order } from "../orders/order.ts";

/** What the matching simulators of a run report to (the engine). */
export interface RunnerHooks {
  /** Next fill sequence number (shared by every book of a run). */
  readonly nextFillSeq: () => number;
  /** Receives each fill with its instrument. */
  readonly onFill: (fill: Fill, inst: Instrument) => void;
  /** Receives each order whose status changed (open, filled, cancelled, rejected). */
  readonly onOrder: (order: Order) => void;
}

/** Every book runner of a run, in configuration order (the engine's {@linkcode Books}). */
export class RunnerSet implements Books {
  readonly #byVenue = new Map<VenueId, Map<string, BookRunner>>();
  readonly #all: BookRunner[] = [];

  /**
   * Builds a runner for each instrument of `cfg`.
   *
   * @param cfg Settings: instruments, fees, band, queue model, syncs, guards, checksums.
   * @param hooks Fill numbering and the sinks of fills and order changes.
   */
  constructor(cfg: EngineConfig, hooks: RunnerHooks) {
    for (const inst of cfg.instruments) {
      const book = new OrderBook(inst);
      const matching = new MatchingEngine(book, {
        fees: feesFor(cfg, inst.venue),
        maxSlippageBps: cfg.maxSlippageBps,
        ...(cfg.queueModel ? { queueModel: cfg.queueModel } : {}),
        nextFillSeq: hooks.nextFillSeq,
        onFill: (f) => hooks.onFill(f, inst),
        onOrder: hooks.onOrder,
      });
      const runner = new BookRunner({
        inst,
        book,
        sync: cfg.syncFor(book),
        matching,
        guard: new BookGuard(cfg.bookGuard),
        checksum: cfg.checksums?.[inst.venue],
      });
      let m = this.#byVenue.get(inst.venue);
      if (!m) this.#byVenue.set(inst.venue, m = new Map());
      m.set(inst.symbol, runner);
      this.#all.push(runner);
    }
  }

  /** The runner of an instrument, if it is traded. */
  runner(venue: VenueId, symbol: string): BookRunner | undefined {
    return this.#byVenue.get(venue)?.get(symbol);
  }

  /** Every runner. */
  runners(): readonly BookRunner[] {
    return this.#all;
  }

  /** Best bid and ask of an instrument's book, or undefined when a side is empty or it is not traded. */
  markOf(inst: Instrument): Mark | undefined {
    const r = this.runner(inst.venue, inst.symbol);
    const bid = r?.book.bestBidPrice();
    const ask = r?.book.bestAskPrice();
    return bid === undefined || ask === undefined ? undefined : { bid, ask };
  }
}
