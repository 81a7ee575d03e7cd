/**
 * The paper portfolio ledger: explicit balances per venue and asset, positions
 * with average cost, realized and unrealized P&L, fees and reservations for
 * open orders. Balances change only through ledger entries (deposits and fills);
 * they are never recomputed from configuration.
 *
 * @module
 */

import type { Lots, Ticks } from "../market/fixed_point.ts";
import type { Instrument, VenueId } from "../market/instrument.ts";
import { type Amount, baseAmountOf, floorDiv, notionalOf } from "./money.ts";
import type { Fill } from "./order.ts";

/** One balance change. */
export interface LedgerEntry {
  /** Entry number (1, 2, ...). */
  readonly seq: number;
  /** Time, epoch ms. */
  readonly time: number;
  /** Venue of the balance. */
  readonly venue: VenueId;
  /** Asset of the balance. */
  readonly asset: string;
  /** Signed change. */
  readonly delta: Amount;
  /** Balance after the change. */
  readonly balance: Amount;
  /** "deposit", "trade" (notional or size of a fill) or "fee". */
  readonly kind: "deposit" | "trade" | "fee";
  /** Fill sequence or deposit note. */
  readonly ref: string;
}

/** A position in one instrument (spot, long only). */
export interface Position {
  /** Venue. */
  readonly venue: VenueId;
  /** Symbol. */
  readonly symbol: string;
  /** Held size, lots. */
  qty: Lots;
  /** Cost basis of the held size, quote amount, without fees. */
  cost: Amount;
  /** Realized P&L before fees, quote amount. */
  realizedGross: Amount;
  /** Fees paid on this instrument (negative = rebates), quote amount. */
  fees: Amount;
  /** Time the current position was opened (first buy from flat), or undefined when flat. */
  openedAt: number | undefined;
}

/** A closed round trip (flat -> position -> flat), for trade statistics. */
export interface RoundTrip {
  /** Venue. */
  readonly venue: VenueId;
  /** Symbol. */
  readonly symbol: string;
  /** Open time. */
  readonly openTime: number;
  /** Close time. */
  readonly closeTime: number;
  /** Gross P&L (quote). */
  readonly gross: Amount;
  /** Fees on the trip's fills (quote). */
  readonly fees: Amount;
  /** Quote spent to open (cost basis at peak). */
  readonly cost: Amount;
}

/** A position with its open round trip's accumulators, as persisted. */
export interface PositionState {
  /** The position. */
  readonly position: Position;
  /** Fees of the open round trip. */
  readonly tripFees: Amount;
  /** Highest cost basis of the open round trip. */
  readonly tripPeakCost: Amount;
  /** Realized gross P&L of the open round trip so far. */
  readonly tripGross: Amount;
}

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

const key = (venue: string, asset: string): string => `${venue}:${asset}`;

/**
 * Explicit paper balances and positions.
 *
 * @example Deposit, buy, mark
 * ```ts
 * import assert from "node:assert/strict";
 * import { Ledger } from "./ledger.ts";
 * import { parseAmount } from "./money.ts";
 * const ledger = new Ledger();
 * ledger.deposit({ venue: "binance", asset: "USDT", amount: parseAmount("1000"), time: 0 });
 * assert.equal(ledger.balance("binance", "USDT"), parseAmount("1000"));
 * ```
 */
export class Ledger {
  #balances = new Map<string, Amount>();
  #reserved = new Map<string, Amount>();
  #orderReservations = new Map<string, { key: string; amount: Amount }>();
  #positions = new Map<string, Position>();
  #trips: RoundTrip[] = [];
  #tripFees = new Map<string, { fees: Amount; peakCost: Amount; gross: Amount }>();
  #entries: LedgerEntry[] = [];
  #seq = 0;
  /** Keep every entry in memory (paper trader) or only count them (fast backtests). */
  readonly keepEntries: boolean;

  /**
   * Creates an instance.
   *
   * @param options Whether to keep the entries list (default true).
   */
  constructor(options: { keepEntries?: boolean } = {}) {
    this.keepEntries = options.keepEntries ?? true;
  }

  /** Balance of an asset on a venue. */
  balance(venue: VenueId, asset: string): Amount {
    return this.#balances.get(key(venue, asset)) ?? 0n;
  }

  /** Balance minus what open orders reserve. */
  available(venue: VenueId, asset: string): Amount {
    const k = key(venue, asset);
    return (this.#balances.get(k) ?? 0n) - (this.#reserved.get(k) ?? 0n);
  }

  /** Every non-zero balance as `[venue, asset, amount]`, sorted. */
  balances(): [VenueId, string, Amount][] {
    return [...this.#balances].filter(([, v]) => v !== 0n).sort(([a], [b]) => a < b ? -1 : 1).map((
      [k, v],
    ) => {
      const [venue, asset] = k.split(":") as [VenueId, string];
      return [venue, asset, v];
    });
  }

  /** Entries kept so far (all when `keepEntries`). */
  entries(): readonly LedgerEntry[] {
    return this.#entries;
  }

  /** Forgets the kept entries (after they were persisted); numbering continues. */
  clearEntries(): void {
    this.#entries = [];
  }

  /** Number of entries written. */
  get entryCount(): number {
    return this.#seq;
  }

  /** Closed round trips. */
  roundTrips(): readonly RoundTrip[] {
    return this.#trips;
  }

  /** Adds funds (initial paper balance or a restore). */
  deposit(d: { venue: VenueId; asset: string; amount: Amount; time: number; ref?: string }): void {
    this.#entry(d.time, d.venue, d.asset, d.amount, "deposit", d.ref ?? "deposit");
  }

  /** Position of an instrument (a flat one when never traded). */
  position(venue: VenueId, symbol: string): Position {
    const k = key(venue, symbol);
    let p = this.#positions.get(k);
    if (!p) {
      p = {
        venue,
        symbol,
        qty: 0 as Lots,
        cost: 0n,
        realizedGross: 0n,
        fees: 0n,
        openedAt: undefined,
      };
      this.#positions.set(k, p);
    }
    return p;
  }

  /** Every position ever opened. */
  positions(): Position[] {
    return [...this.#positions.values()];
  }

  /**
   * Reserves funds for an open order (quote for buys, base for sells).
   *
   * @returns False, reserving nothing, when the available balance is too small.
   */
  reserve(orderId: string, venue: VenueId, asset: string, amount: Amount): boolean {
    const k = key(venue, asset);
    if (this.available(venue, asset) < amount) return false;
    this.#reserved.set(k, (this.#reserved.get(k) ?? 0n) + amount);
    this.#orderReservations.set(orderId, { key: k, amount });
    return true;
  }

  /** Releases what is left of an order's reservation. */
  release(orderId: string): void {
    const r = this.#orderReservations.get(orderId);
    if (!r) return;
    this.#reserved.set(r.key, (this.#reserved.get(r.key) ?? 0n) - r.amount);
    this.#orderReservations.delete(orderId);
  }

  /** Applies a fill: balances, position, average cost, realized P&L, fees, round trips. */
  applyFill(fill: Fill, inst: Instrument): void {
    const ref = `fill:${fill.seq}`;
    const base = baseAmountOf(inst, fill.size);
    const buy = fill.side === "buy";
    this.#consumeReservation(fill.orderId, buy ? fill.notional + fill.fee : base);
    this.#entry(
      fill.time,
      fill.venue,
      inst.quote,
      buy ? -fill.notional : fill.notional,
      "trade",
      ref,
    );
    if (fill.fee !== 0n) this.#entry(fill.time, fill.venue, inst.quote, -fill.fee, "fee", ref);
    this.#entry(fill.time, fill.venue, inst.base, buy ? base : -base, "trade", ref);

    const p = this.position(fill.venue, fill.symbol);
    const tk = key(fill.venue, fill.symbol);
    const trip = this.#tripFees.get(tk) ?? { fees: 0n, peakCost: 0n, gross: 0n };
    p.fees += fill.fee;
    trip.fees += fill.fee;
    if (buy) {
      if (p.qty === 0) p.openedAt = fill.time;
      p.qty = (p.qty + fill.size) as Lots;
      p.cost += fill.notional;
      if (p.cost > trip.peakCost) trip.peakCost = p.cost;
      this.#tripFees.set(tk, trip);
      return;
    }
    const held = p.qty as number;
    const closing = Math.min(held, fill.size);
    // Cost of the part sold, proportional to the held size (floor keeps cost exact in sum).
    const soldCost = held === 0 ? 0n : floorDiv(p.cost * BigInt(closing), BigInt(held));
    const gross = fill.notional - soldCost;
    p.realizedGross += gross;
    p.cost -= soldCost;
    p.qty = (held - closing) as Lots;
    trip.gross += gross;
    if (p.qty === 0) {
      p.cost = 0n;
      this.#trips.push({
        venue: fill.venue,
        symbol: fill.symbol,
        openTime: p.openedAt ?? fill.time,
        closeTime: fill.time,
        gross: trip.gross,
        fees: trip.fees,
        cost: trip.peakCost,
      });
      p.openedAt = undefined;
      this.#tripFees.delete(tk);
    } else {
      this.#tripFees.set(tk, trip);
    }
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
    for (const [k, amount] of this.#balances) {
      const [venue, asset] = k.split(":") as [VenueId, string];
      const inst = instruments.find((i) => i.venue === venue && i.base === asset);
      if (!inst) {
        total += amount;
        continue;
      }
      const mark = markOf(inst);
      const p = this.#positions.get(key(venue, inst.symbol));
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
      entrySeq: this.#seq,
      balances: [...this.#balances].map(([k, v]) => {
        const [venue, asset] = k.split(":") as [VenueId, string];
        return [venue, asset, v] as const;
      }),
      positions: [...this.#positions].map(([k, p]) => {
        const t = this.#tripFees.get(k);
        return {
          position: { ...p },
          tripFees: t?.fees ?? 0n,
          tripPeakCost: t?.peakCost ?? 0n,
          tripGross: t?.gross ?? 0n,
        };
      }),
      trips: [...this.#trips],
    };
  }

  /**
   * Replaces the ledger's content with a persisted state (restart). Reservations start empty.
   *
   * @throws {RangeError} When called on a ledger that already has entries.
   */
  importState(state: LedgerState): void {
    if (this.#seq !== 0) {
      throw new RangeError(`Cannot import a ledger state into a ledger with ${this.#seq} entries`);
    }
    this.#seq = state.entrySeq;
    for (const [venue, asset, amount] of state.balances) {
      this.#balances.set(key(venue, asset), amount);
    }
    for (const ps of state.positions) {
      const k = key(ps.position.venue, ps.position.symbol);
      const existing = this.#positions.get(k);
      if (existing) Object.assign(existing, ps.position);
      else this.#positions.set(k, { ...ps.position });
      if (ps.tripFees !== 0n || ps.tripPeakCost !== 0n || ps.tripGross !== 0n) {
        this.#tripFees.set(k, {
          fees: ps.tripFees,
          peakCost: ps.tripPeakCost,
          gross: ps.tripGross,
        });
      }
    }
    this.#trips = [...state.trips];
  }

  #consumeReservation(orderId: string, spent: Amount): void {
    const r = this.#orderReservations.get(orderId);
    if (!r) return;
    const used = spent < r.amount ? spent : r.amount;
    r.amount -= used;
    this.#reserved.set(r.key, (this.#reserved.get(r.key) ?? 0n) - used);
  }

  #entry(
    time: number,
    venue: VenueId,
    asset: string,
    delta: Amount,
    kind: LedgerEntry["kind"],
    ref: string,
  ): void {
    const k = key(venue, asset);
    const balance = (this.#balances.get(k) ?? 0n) + delta;
    this.#balances.set(k, balance);
    this.#seq++;
    if (this.keepEntries) {
      this.#entries.push({ seq: this.#seq, time, venue, asset, delta, balance, kind, ref });
    }
  }
}

/** Value of `qty` at the mid of `mark`, exact: qty × (bid + ask) / 2. */
export function midValue(inst: Instrument, qty: Lots, mark: Mark): Amount {
  return notionalOf(inst, (mark.bid + mark.ask) as Ticks, qty) / 2n;
}
