/**
 * What the engine logs besides trading: risk events, book halts and alerts in one
 * ordered log (each also passed to the sink), and the market events it refused as
 * malformed.
 *
 * @module
 */

import type { MarketEvent } from "../../market/events.ts";
import type { PerformanceMonitor } from "../risk/alerts.ts";
import type { BookRunner } from "../books/book_runner.ts";
import type { Journal, Outbox } from "./engine_ports.ts";
import type { RiskLogEntry } from "./engine_types.ts";
import type { RiskManager } from "../risk/risk.ts";

/** Events refused as malformed: count and the first 20 reasons. */
export interface BadEvents {
  /** Events refused. */
  count: number;
  /** Why, for the first 20. */
  reasons: string[];
}

/**
 * Why the engine refuses `e` before it reaches a book: a non-finite receive time, or a
 * trade whose price or size is not a positive integer.
 *
 * @returns The reason, or undefined when the event is well formed.
 */
export function malformedReason(e: MarketEvent): string | undefined {
  const t = e.receiveTime;
  if (!Number.isFinite(t)) return `receive time is not a finite number: ${t}`;
  if (e.kind === "trade" && !(isPositiveInt(e.price) && isPositiveInt(e.size))) {
    return `trade price and size must be positive integers: ${e.price} x ${e.size}`;
  }
  return undefined;
}

/** Counts a refused event and keeps its reason while fewer than 20 are kept. */
export function noteBadEvent(bad: BadEvents, e: MarketEvent, reason: string): void {
  bad.count++;
  if (bad.reasons.length < 20) {
    bad.reasons.push(`${e.venue} ${e.symbol} ${e.kind}: ${reason}`);
  }
}

/** What the risk journal moves into the log. */
export interface JournalParts {
  /** The risk manager (its pending events). */
  readonly risk: RiskManager;
  /** The performance monitor (its pending alerts). */
  readonly monitor: PerformanceMonitor;
  /** The ordered risk log the entries go to. */
  readonly log: RiskLogEntry[];
  /** Receives each entry after it is logged (the sink). */
  readonly out: Pick<Outbox, "risk">;
}

/** The engine's {@linkcode Journal}: one ordered log of risk events, book halts and alerts. */
export class RiskJournal implements Journal {
  readonly #parts: JournalParts;

  /**
   * Creates a journal.
   *
   * @param parts Where pending entries come from and go to.
   */
  constructor(parts: JournalParts) {
    this.#parts = parts;
  }

  /** Moves pending risk events, then pending alerts, into the risk log. */
  flushRisk(): void {
    for (const e of this.#parts.risk.events.splice(0)) this.#log(e);
    for (const a of this.#parts.monitor.pending.splice(0)) this.#log(a);
  }

  /** Moves the book guard's halt changes of `r` into the risk log and makes matching follow the guard. */
  guardChanged(r: BookRunner): void {
    if (r.guard.changes.length === 0) return;
    for (const c of r.guard.changes.splice(0)) this.#log(c);
    r.syncHalt();
  }

  #log(c: RiskLogEntry): void {
    this.#parts.log.push(c);
    this.#parts.out.risk(c);
  }
}

function isPositiveInt(x: number): boolean {
  return Number.isSafeInteger(x) && x > 0;
}
