/**
 * Balance bookkeeping of the paper ledger: explicit balances per venue and asset,
 * changed only through numbered entries (deposits and fills), and the reservations
 * of open orders.
 *
 * @module
 */

import type { Instrument, VenueId } from "../../market/instrument.ts";
import { type Amount, baseAmountOf } from "../orders/money.ts";
import type { Fill } from "../orders/order.ts";

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

const key = (venue: string, asset: string): string => `${venue}:${asset}`;

/** Balances, their entries and the reservations of open orders. */
export class BalanceLedger {
  #balances = new Map<string, Amount>();
  #reserved = new Map<string, Amount>();
  #orderReservations = new Map<string, { key: string; amount: Amount }>();
  #entries: LedgerEntry[] = [];
  #seq = 0;
  /** Keep every entry in memory (paper trader) or only count them (fast backtests). */
  readonly keepEntries: boolean;

  /**
   * Creates an instance.
   *
   * @param options Whether to keep the entries list.
   */
  constructor(options: { keepEntries: boolean }) {
    this.keepEntries = options.keepEntries;
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
  nonZero(): [VenueId, string, Amount][] {
    return [...this.#balances].filter(([, v]) => v !== 0n).sort(([a], [b]) => a < b ? -1 : 1).map((
      [k, v],
    ) => {
      const [venue, asset] = k.split(":") as [VenueId, string];
      return [venue, asset, v];
    });
  }

  /** Every balance ever written (zero ones included) as `[venue, asset, amount]`, in first-write order. */
  all(): (readonly [VenueId, string, Amount])[] {
    return [...this.#balances].map(([k, v]) => {
      const [venue, asset] = k.split(":") as [VenueId, string];
      return [venue, asset, v] as const;
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

  /** Adds funds (initial paper balance or a restore). */
  deposit(d: { venue: VenueId; asset: string; amount: Amount; time: number; ref?: string }): void {
    this.#entry(d.time, d.venue, d.asset, d.amount, "deposit", d.ref ?? "deposit");
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

  /** Books a fill's balance changes (notional, fee, base size) and uses up its reservation. */
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
  }

  /** Restores the entry count and balances (restart); reservations start empty. */
  importState(
    entrySeq: number,
    balances: readonly (readonly [VenueId, string, Amount])[],
  ): void {
    this.#seq = entrySeq;
    for (const [venue, asset, amount] of balances) {
      this.#balances.set(key(venue, asset), amount);
    }
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
