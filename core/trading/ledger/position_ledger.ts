/**
 * Position bookkeeping of the paper ledger: per-instrument positions with average
 * cost, realized P&L and fees, and the closed round trips (flat -> position -> flat)
 * with the accumulators of each open one.
 *
 * @module
 */

import type { Lots } from "../../market/fixed_point.ts";
import type { VenueId } from "../../market/instrument.ts";
import { type Amount, floorDiv } from "../orders/money.ts";
import type { Fill } from "../orders/order.ts";

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

const key = (venue: string, symbol: string): string => `${venue}:${symbol}`;

/** Positions and round trips of every instrument. */
export class PositionLedger {
  #positions = new Map<string, Position>();
  #trips: RoundTrip[] = [];
  #tripFees = new Map<string, { fees: Amount; peakCost: Amount; gross: Amount }>();

  /** Position of an instrument (a flat one, kept from now on, when never traded). */
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

  /** Position of an instrument if one was ever asked for or traded (creates none). */
  find(venue: VenueId, symbol: string): Position | undefined {
    return this.#positions.get(key(venue, symbol));
  }

  /** Every position ever opened. */
  all(): Position[] {
    return [...this.#positions.values()];
  }

  /** Closed round trips. */
  roundTrips(): readonly RoundTrip[] {
    return this.#trips;
  }

  /** Applies a fill to its position: size, average cost, realized P&L, fees, round trips. */
  applyFill(fill: Fill): void {
    const buy = fill.side === "buy";
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

  /** Every position with its open round trip's accumulators, for persistence. */
  exportState(): PositionState[] {
    return [...this.#positions].map(([k, p]) => {
      const t = this.#tripFees.get(k);
      return {
        position: { ...p },
        tripFees: t?.fees ?? 0n,
        tripPeakCost: t?.peakCost ?? 0n,
        tripGross: t?.gross ?? 0n,
      };
    });
  }

  /** Restores persisted positions and round trips (restart). */
  importState(positions: readonly PositionState[], trips: readonly RoundTrip[]): void {
    for (const ps of positions) {
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
    this.#trips = [...trips];
  }
}
