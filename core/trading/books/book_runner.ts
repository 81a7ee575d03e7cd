/**
 * One traded book inside the engine: its sync, guard, matching simulator and
 * per-position exit state, and how a market event flows through them.
 *
 * @module
 */

import type { BookDelta, BookSnapshot, MarketEvent } from "../../market/events.ts";
import type { Instrument } from "../../market/instrument.ts";
import type { BookChecksum, OrderBook } from "../../market/order_book.ts";
import type { BookGuard } from "./book_guard.ts";
import { checkExit, type ExitReason, type ExitRules, type TrailState } from "../risk/exits.ts";
import type { Ledger, Position } from "../ledger/ledger.ts";
import type { MatchingEngine } from "../exchange/matching.ts";
import { amountToNumber } from "../orders/money.ts";

/** Keeps one book in sync from snapshots and deltas (BinanceBookSync fits). */
export interface BookSync {
  /** True while the book is usable. */
  readonly synced: boolean;
  /** Applies a snapshot. */
  onSnapshot(snapshot: BookSnapshot): unknown;
  /** Applies a delta: "applied", "buffered", "stale", "gap" or "crossed". */
  onDelta(delta: BookDelta): string;
}

/** Parts of a {@linkcode BookRunner}. */
export interface BookRunnerParts {
  /** Instrument. */
  readonly inst: Instrument;
  /** Live book. */
  readonly book: OrderBook;
  /** Sync that maintains the book. */
  readonly sync: BookSync;
  /** Matching simulator on the book. */
  readonly matching: MatchingEngine;
  /** Data guard of the book. */
  readonly guard: BookGuard;
  /** Venue checksum routine, if the venue sends checksums. */
  readonly checksum: BookChecksum | undefined;
}

/** An operator's request to sell a whole position (see {@linkcode BookRunner.flatten}). */
export interface FlattenRequest {
  /** Tag of the exit orders ("flatten_all", "kill_switch"). */
  readonly tag: string;
  /** Send the exits past the risk manager (the kill switch: HALTED blocks exits otherwise). */
  readonly force: boolean;
}

/** A traded book and its per-book state. */
export class BookRunner {
  /** Instrument. */
  readonly inst: Instrument;
  /** Live book. */
  readonly book: OrderBook;
  /** Sync. */
  readonly sync: BookSync;
  /** Matching simulator. */
  readonly matching: MatchingEngine;
  /** Data guard. */
  readonly guard: BookGuard;
  /** "venue:symbol". */
  readonly key: string;
  /** Earliest time of the next strategy decision. */
  nextDecision: number = -Infinity;
  /**
   * An operator flatten (flatten all, kill switch) still under way: reduce-only market exits
   * are sent until the position is flat or a buy fills. `force` bypasses the risk manager.
   */
  flatten: FlattenRequest | undefined = undefined;
  readonly #checksum: BookChecksum | undefined;
  #position: Position | undefined;
  #trail: TrailState = { peak: 0, armed: false };
  #trailOpenedAt: number | undefined;
  #entry = { qty: 0, cost: 0n, price: 0 };

  /**
   * Creates an instance.
   *
   * @param parts The runner's parts.
   */
  constructor(parts: BookRunnerParts) {
    this.inst = parts.inst;
    this.book = parts.book;
    this.sync = parts.sync;
    this.matching = parts.matching;
    this.guard = parts.guard;
    this.#checksum = parts.checksum;
    this.key = `${parts.inst.venue}:${parts.inst.symbol}`;
  }

  /** True when orders may be sent: synced, not halted, both sides present. */
  get tradable(): boolean {
    return this.sync.synced && !this.guard.halted && this.book.levelCount("bid") > 0 &&
      this.book.levelCount("ask") > 0;
  }

  /** Why the book is not tradable ("" when it is). */
  get haltReason(): string {
    if (!this.sync.synced) return "waiting for a snapshot";
    if (this.guard.halted) return this.guard.reason;
    return this.tradable ? "" : "a side of the book is empty";
  }

  /** The position of this instrument in `ledger` (cached object). */
  position(ledger: Ledger): Position {
    return this.#position ??= ledger.position(this.inst.venue, this.inst.symbol);
  }

  /** True when an order of this book is resting or in flight. */
  hasOpenOrder(): boolean {
    return this.matching.openCount() > 0;
  }

  /**
   * Applies a market event to the book, the matching simulator and the guard.
   *
   * @returns True when the book changed and is in sync (a decision point).
   */
  apply(e: MarketEvent, t: number): boolean {
    if (e.kind === "trade") {
      this.matching.onTrade(e);
      return false;
    }
    if (e.kind === "snapshot") {
      this.sync.onSnapshot(e);
      this.matching.onSnapshot();
      if (!this.sync.synced) {
        this.guard.onIntegrityFailure("gap", t, "buffered deltas did not bridge the snapshot");
        return false;
      }
      this.guard.onSnapshot(this.book, t);
      return true;
    }
    const outcome = this.sync.onDelta(e);
    if (outcome === "applied") {
      this.matching.onDelta(e);
      if (
        e.checksum !== undefined && this.#checksum !== undefined &&
        !this.book.verifyChecksum(e.checksum, this.#checksum)
      ) {
        this.guard.onIntegrityFailure(
          "checksum",
          t,
          `checksum mismatch after sequence ${e.lastSequence}`,
        );
        return false;
      }
      this.guard.onUpdate(this.book, t);
      return true;
    }
    if (outcome === "crossed") {
      this.matching.onDelta(e);
      this.guard.onIntegrityFailure("crossed", t, `book crossed after sequence ${e.lastSequence}`);
    } else if (outcome === "gap") {
      this.guard.onIntegrityFailure("gap", t, `sequence gap at ${e.firstSequence}`);
    }
    return false;
  }

  /** Halts or resumes the matching simulator to follow the guard. */
  syncHalt(): void {
    if (this.guard.halted) this.matching.halt(this.guard.reason);
    else if (this.matching.halted !== undefined) this.matching.resume();
  }

  /** Which exit rule fires for the held position at the current mid, if any. */
  exitSignal(ledger: Ledger, rules: ExitRules): ExitReason | undefined {
    const p = this.position(ledger);
    const mid = this.book.mid();
    if (p.qty <= 0 || mid === undefined) return undefined;
    if (this.#trailOpenedAt !== p.openedAt) {
      this.#trailOpenedAt = p.openedAt;
      this.#trail = { peak: 0, armed: false };
    }
    const e = this.#entry;
    if (e.qty !== p.qty || e.cost !== p.cost) {
      // Average entry price changes only with fills: convert the exact cost once per change.
      this.#entry = {
        qty: p.qty,
        cost: p.cost,
        price: amountToNumber(p.cost) / (p.qty / 10 ** this.inst.sizeDecimals),
      };
    }
    return checkExit(rules, this.#entry.price, mid / 10 ** this.inst.priceDecimals, this.#trail);
  }
}
