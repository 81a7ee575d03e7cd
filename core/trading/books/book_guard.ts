/**
 * Per-book health: halts trading on a book when its data cannot be trusted
 * (stale, sequence gap, checksum failure, crossed) or looks anomalous (spread
 * blow-out, a price jump beyond k sigma). Integrity halts clear only on a fresh
 * snapshot; the spread halt clears when the spread is back inside the limit; the
 * jump halt clears after a pause.
 *
 * @module
 */

import type { OrderBook } from "../../market/order_book.ts";

/** Why a book is halted. */
export type BookHaltReason =
  | "stale"
  | "gap"
  | "checksum"
  | "crossed"
  | "bad_data"
  | "spread"
  | "jump";

/** Book-guard settings (config `risk.book`). */
export interface BookGuardConfig {
  /** Halt when no update arrived for this long, ms. */
  readonly staleMs: number;
  /** Halt while the spread is wider than this, bps of mid. */
  readonly maxSpreadBps: number;
  /** Mid is sampled every this many ms for the jump detector. */
  readonly jumpSampleMs: number;
  /** Halt when a sampled mid return exceeds this many rolling standard deviations. */
  readonly jumpSigma: number;
  /** Samples in the rolling window. */
  readonly jumpWindow: number;
  /** Samples needed before the jump detector arms. */
  readonly jumpMinSamples: number;
  /** How long a jump halt lasts, ms. */
  readonly jumpPauseMs: number;
}

/** Defaults: stale after 5 s, spread 50 bps, 15-sigma 1 s jumps over 5 minutes, 60 s pause. */
export const DEFAULT_BOOK_GUARD: BookGuardConfig = {
  staleMs: 5_000,
  maxSpreadBps: 50,
  jumpSampleMs: 1_000,
  jumpSigma: 15,
  jumpWindow: 300,
  jumpMinSamples: 60,
  jumpPauseMs: 60_000,
};

/** A change of halt state, for logs and the store. */
export interface BookHaltChange {
  /** True when the book became halted, false when it resumed. */
  readonly halted: boolean;
  /** The reason that was set or cleared. */
  readonly reason: BookHaltReason;
  /** Time, ms. */
  readonly time: number;
  /** Details. */
  readonly detail: string;
}

/** Health of one book. */
export class BookGuard {
  readonly #cfg: BookGuardConfig;
  #reasons = new Set<BookHaltReason>();
  #lastUpdate = -Infinity;
  #jumpUntil = 0;
  #nextSample = -Infinity;
  #lastMid: number | undefined;
  #returns: number[] = [];
  #sum = 0;
  #sumSq = 0;
  /** Halt changes not yet taken by the caller. */
  readonly changes: BookHaltChange[] = [];

  /**
   * Creates an instance.
   *
   * @param config Thresholds.
   */
  constructor(config: BookGuardConfig = DEFAULT_BOOK_GUARD) {
    this.#cfg = config;
  }

  /** True when any halt reason is set. */
  get halted(): boolean {
    return this.#reasons.size > 0;
  }

  /** The current halt reasons, joined ("" when trading is allowed). */
  get reason(): string {
    return [...this.#reasons].join(",");
  }

  /** Time of the last book update. */
  get lastUpdate(): number {
    return this.#lastUpdate;
  }

  /** A fresh snapshot was applied: integrity halts clear. */
  onSnapshot(book: OrderBook, time: number): void {
    this.#lastUpdate = time;
    for (const r of ["stale", "gap", "checksum", "crossed", "bad_data"] as const) {
      this.#clear(r, time, "fresh snapshot");
    }
    this.#lastMid = undefined;
    this.#check(book, time);
  }

  /** A delta was applied in sequence. */
  onUpdate(book: OrderBook, time: number): void {
    this.#lastUpdate = time;
    this.#check(book, time);
  }

  /** The feed reported an integrity failure (gap, checksum mismatch, crossed after sync). */
  onIntegrityFailure(
    reason: "gap" | "checksum" | "crossed" | "bad_data",
    time: number,
    detail: string,
  ): void {
    this.#set(reason, time, detail);
  }

  /** Clock tick without an update of this book: staleness and jump pause expiry. */
  tick(time: number): void {
    if (time - this.#lastUpdate > this.#cfg.staleMs && this.#lastUpdate > -Infinity) {
      this.#set("stale", time, `no update for ${Math.round(time - this.#lastUpdate)} ms`);
    }
    if (this.#reasons.has("jump") && time >= this.#jumpUntil) {
      this.#clear("jump", time, "pause over");
    }
  }

  #check(book: OrderBook, time: number): void {
    const bid = book.bestBidPrice();
    const ask = book.bestAskPrice();
    if (this.#reasons.has("jump") && time >= this.#jumpUntil) {
      this.#clear("jump", time, "pause over");
    }
    if (bid === undefined || ask === undefined) return;
    const mid = (bid + ask) / 2;
    const spreadBps = ((ask - bid) / mid) * 10_000;
    if (spreadBps > this.#cfg.maxSpreadBps) {
      this.#set("spread", time, `spread ${spreadBps.toFixed(1)} bps > ${this.#cfg.maxSpreadBps}`);
    } else if (this.#reasons.has("spread")) {
      this.#clear("spread", time, `spread ${spreadBps.toFixed(1)} bps`);
    }
    if (time < this.#nextSample) return;
    this.#nextSample = time + this.#cfg.jumpSampleMs;
    const last = this.#lastMid;
    this.#lastMid = mid;
    if (last === undefined) return;
    const r = Math.log(mid / last);
    const n = this.#returns.length;
    if (n >= this.#cfg.jumpMinSamples) {
      const mean = this.#sum / n;
      const sd = Math.sqrt(Math.max(0, this.#sumSq / n - mean * mean));
      if (sd > 0 && Math.abs(r - mean) > this.#cfg.jumpSigma * sd) {
        this.#jumpUntil = time + this.#cfg.jumpPauseMs;
        this.#set(
          "jump",
          time,
          `mid return ${(r * 1e4).toFixed(1)} bps is ${(Math.abs(r - mean) / sd).toFixed(1)} sigma`,
        );
      }
    }
    this.#returns.push(r);
    this.#sum += r;
    this.#sumSq += r * r;
    if (this.#returns.length > this.#cfg.jumpWindow) {
      const old = this.#returns.shift() as number;
      this.#sum -= old;
      this.#sumSq -= old * old;
    }
  }

  #set(reason: BookHaltReason, time: number, detail: string): void {
    if (this.#reasons.has(reason)) return;
    this.#reasons.add(reason);
    this.changes.push({ halted: true, reason, time, detail });
  }

  #clear(reason: BookHaltReason, time: number, detail: string): void {
    if (!this.#reasons.delete(reason)) return;
    this.changes.push({ halted: false, reason, time, detail });
  }
}
