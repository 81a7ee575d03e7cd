/**
 * The paper portfolio ledger: explicit balances per venue and asset, positions
 * with average cost, realized and unrealized P&L, fees and reservations for
 * open orders. Balances change only through ledger entries (deposits and fills);
 * they are never recomputed from configuration. Balances and reservations are kept by
 * {@linkcode BalanceLedger}, positions and round trips by {@linkcode PositionLedger};
 * the ledger books fills into both and marks the portfolio to market.
 *
 * @module
 */

import type { Lots, Ticks } from "../../market/fixed_point.ts";
import type { Instrument, VenueId } from "../../market/instrument.ts";
import { BalanceLedger, type LedgerEntry } from "./balance_ledger.ts";
import { type Amount, baseAmountOf, notionalOf } from "../orders/money.ts";
import type { Fill } from "../orders/order.ts";
import {
  type Position,
  PositionLedger,
  type PositionState,
  type RoundTrip,
} from "./position_ledger.ts";
export type { LedgerEntry } from "./balance_ledger.ts";
export type { Position, PositionState, RoundTrip } from "./position_ledger.ts";

/** Everything the ledger holds except reservations (restored on restart). */
export interface LedgerState {
  /** Entries written so far. */
  readonly entrySeq: number;
  /** Balances as `[venue, asset, amount]`. */
  readonly balances: readonly (readonly [VenueId, string, Amount])[];
  /** Positions. */
  readonly positions: readonly PositionState[];
  /** Closed round trips. */
  readonly trips: readonly RoundTrip[];
}

/** Best bid and ask of an instrument, for marking to mid. */
export interface Mark {
  /** Best bid. */
  readonly bid: Ticks;
  /** Best ask. */
  readonly ask: Ticks;
}

/**
 * Explicit paper balances and positions.
 *
 * @example Deposit, buy, mark
 * ```ts
 * import assert from "node:assert/strict";
 * import { Ledger } from "./ledger.ts";
 * import { parseAmount } from "../orders/money.ts";
 * const ledger = new Ledger();
 * ledger.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("1000"), time: 0 });
 * assert.equal(ledger.balance("binance", "USDT"), parseAmount("1000"));
 * ```
 */
export class Ledger {
  readonly #balances: BalanceLedger;
  readonly #positions = new PositionLedger();
  /** Keep every entry in memory (paper trader) or only count them (fast backtests). */
  readonly keepEntries: boolean;

  /**
   * Creates an instance.
   *
   * @param options Whether to keep the entries list (default true).
   */
  constructor(options: { keepEntries?: boolean } = {}) {
    this.keepEntries = options.keepEntries ?? true;
    this.#balances = new BalanceLedger({ keepEntries: this.keepEntries });
  }

  /** Balance of an asset on a venue. */
  balance(venue: VenueId, asset: string): Amount {
    return this.#balances.balance(venue, asset);
  }

  /** Balance minus what open orders reserve. */
  available(venue: VenueId, asset: string): Amount {
    return this.#balances.available(venue, asset);
  }

  /** Every non-zero balance as `[venue, asset, amount]`, sorted. */
  balances(): [VenueId, string, Amount][] {
    return this.#balances.nonZero();
  }

  /** Entries kept so far (all when `keepEntries`). */
  entries(): readonly LedgerEntry[] {
    return this.#balances.entries();
  }

  /** Forgets the kept entries (after they were persisted); numbering continues. */
  clearEntries(): void {
    this.#balances.clearEntries();
  }

  /** Number of entries written. */
  get entryCount(): number {
    return this.#balances.entryCount;
  }

  /** Closed round trips. */
  roundTrips(): readonly RoundTrip[] {
    return this.#positions.roundTrips();
  }

  /** Adds funds (initial paper balance or a restore). */
  deposit(d: { venue: VenueId; asset: string; amount: Amount; time: number; ref?: string }): void {
    this.#balances.deposit(d);
  }

  /** Position of an instrument (a flat one when never traded). */
  position(venue: VenueId, symbol: string): Position {
    return this.#positions.position(venue, symbol);
  }

  /** Every position ever opened. */
  positions(): Position[] {
    return this.#positions.all();
  }

  /**
   * Reserves funds for an open order (quote for buys, base for sells).
   *
   * @returns False, reserving nothing, when the available balance is too small.
   */
  reserve(orderId: string, venue: VenueId, asset: string, amount: Amount): boolean {
    return this.#balances.reserve(orderId, venue, asset, amount);
  }

  /** Releases what is left of an order's reservation. */
  release(orderId: string): void {
    this.#balances.release(orderId);
  }

  /** Applies a fill: balances, position, average cost, realized P&L, fees, round trips. */
  applyFill(fill: Fill, inst: Instrument): void {
    this.#balances.applyFill(fill, inst);
    this.#positions.applyFill(fill);
  }

  /** Unrealized P&L of a position at the mid of `mark` (quote amount, exact). */
  unrealized(p: Position, inst: Instrument, mark: Mark): Amount {
    if (p.qty === 0) return 0n;
    return midValue(inst, p.qty, mark) - p.cost;
  }

  /**
   * Equity: every balance valued in its venue's quote at par (USD, USDT and USDC count
   * 1:1), base assets at the mid of the venue's instrument that quotes them.
   *
   * @param instruments Instruments used to value base assets.
   * @param markOf Current best bid/ask of an instrument, or undefined when unknown.
   * @returns Equity in quote amount; base assets without a mark are valued at their cost.
   */
  equity(
    instruments: readonly Instrument[],
    markOf: (inst: Instrument) => Mark | undefined,
  ): Amount {
    let total = 0n;
    for (const [venue, asset, amount] of this.#balances.all()) {
      const inst = instruments.find((i) => i.venue === venue && i.base === asset);
      if (!inst) {
        total += amount;
        continue;
      }
      const mark = markOf(inst);
      const p = this.#positions.find(venue, inst.symbol);
      if (mark) {
        const lots = amount / baseAmountOf(inst, 1 as Lots);
        total += midValue(inst, Number(lots) as Lots, mark);
      } else if (p) total += p.cost;
    }
    return total;
  }

  /** The ledger's state (without reservations) for persistence. */
  exportState(): LedgerState {
    return {
      entrySeq: this.#balances.entryCount,
      balances: this.#balances.all(),
      positions: this.#positions.exportState(),
      trips: [...this.#positions.roundTrips()],
    };
  }

  /**
   * Replaces the ledger's content with a persisted state (restart). Reservations start empty.
   *
   * @throws {RangeError} When called on a ledger that already has entries.
   */
  importState(state: LedgerState): void {
    const seq = this.#balances.entryCount;
    if (seq !== 0) {
      throw new RangeError(`Cannot import a ledger state into a ledger with ${seq} entries`);
    }
    this.#balances.importState(state.entrySeq, state.balances);
    this.#positions.importState(state.positions, state.trips);
  }
}

/** Value of `qty` at the mid of `mark`, exact: qty × (bid + ask) / 2. */
export function midValue(inst: Instrument, qty: Lots, mark: Mark): Amount {
  return notionalOf(inst, (mark.bid + mark.ask) as Ticks, qty) / 2n;
}
