/**
 * Orders the engine sends on its own: per-position exits (stop-loss, take-profit,
 * trailing stop) and the kill switch (cancel all, optionally flatten, then HALTED).
 *
 * @module
 */

import type { Lots } from "../market/fixed_point.ts";
import type { BookRunner } from "./book_runner.ts";
import type { TradingEngine } from "./engine.ts";
import { baseAmountOf } from "./money.ts";

/**
 * Sends a reduce-only market exit when an exit rule fires for the held position of `r`.
 * Other open orders on the book are cancelled first; the exit goes out once their
 * cancels have reached the book.
 */
export function checkExits(engine: TradingEngine, r: BookRunner, t: number): void {
  const reason = r.exitSignal(engine.ledger, engine.cfg.exits);
  if (reason === undefined) return;
  const open = [...r.matching.resting(), ...r.matching.inFlight()];
  if (open.some((o) => o.request.reduceOnly && o.request.type === "market")) return; // exit under way
  for (const o of open) {
    if (o.cancelAt === undefined) r.matching.cancel(o, t + engine.cfg.latency.next(), t);
  }
  if (r.hasOpenOrder()) return;
  engine.submit({
    venue: r.inst.venue,
    symbol: r.inst.symbol,
    side: "sell",
    type: "market",
    size: r.position(engine.ledger).qty,
    reduceOnly: true,
    tag: reason,
  }, t);
}

/**
 * The kill switch: cancels every open order, optionally sells every position with
 * market orders that bypass the risk manager (book halts still apply), then sets
 * HALTED. Only what open orders do not lock is sold when cancels are still in flight.
 */
export function killSwitch(
  engine: TradingEngine,
  now: number,
  reason: string,
  options: { flatten: boolean },
): void {
  for (const r of engine.runners()) {
    for (const o of [...r.matching.resting(), ...r.matching.inFlight()]) {
      if (o.cancelAt === undefined) r.matching.cancel(o, now + engine.cfg.latency.next(), now);
    }
    const free = engine.ledger.available(r.inst.venue, r.inst.base) /
      baseAmountOf(r.inst, 1 as Lots);
    const lots = Math.min(r.position(engine.ledger).qty, Number(free));
    const size = (lots - (lots % r.inst.lotSize)) as Lots;
    if (options.flatten && size > 0 && r.tradable) {
      engine.submit(
        {
          venue: r.inst.venue,
          symbol: r.inst.symbol,
          side: "sell",
          type: "market",
          size,
          reduceOnly: true,
          tag: "kill_switch",
        },
        now,
        true,
      );
    }
  }
  engine.risk.kill(now, reason);
  engine.flushRisk();
}
