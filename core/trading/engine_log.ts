/**
 * What the engine logs besides trading: risk events, book halts and alerts in one
 * ordered log (each also passed to the sink), and the market events it refused as
 * malformed.
 *
 * @module
 */

import type { MarketEvent } from "../market/events.ts";
import type { BookRunner } from "./book_runner.ts";
import type { TradingEngine } from "./engine.ts";

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

/** Moves pending risk events, then pending alerts, into the engine's risk log. */
export function logRiskChanges(engine: TradingEngine): void {
  for (const e of engine.risk.events.splice(0)) log(engine, e);
  for (const a of engine.monitor.pending.splice(0)) log(engine, a);
}

/** Moves the book guard's halt changes of `r` into the risk log and makes matching follow the guard. */
export function logGuardChanges(engine: TradingEngine, r: BookRunner): void {
  if (r.guard.changes.length === 0) return;
  for (const c of r.guard.changes.splice(0)) log(engine, c);
  r.syncHalt();
}

function log(engine: TradingEngine, c: TradingEngine["riskLog"][number]): void {
  engine.riskLog.push(c);
  engine.sink.onRisk?.(c, engine);
}

function isPositiveInt(x: number): boolean {
  return Number.isSafeInteger(x) && x > 0;
}
