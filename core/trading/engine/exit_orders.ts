/**
 * Orders the engine sends on its own: per-position exits (stop-loss, take-profit,
 * trailing stop), the operator's flatten-all and the kill switch (cancel all,
 * optionally flatten, then HALTED).
 *
 * @module
 */

import type { Lots } from "../../market/fixed_point.ts";
import { formatSize } from "../../market/instrument.ts";
import type { BookRunner, FlattenRequest } from "../books/book_runner.ts";
import type { EngineConfig } from "./engine_config.ts";
import type { Books, Journal, OrderSender } from "./engine_ports.ts";
import type { Ledger } from "../ledger/ledger.ts";
import { baseAmountOf } from "../orders/money.ts";
import type { RiskManager } from "../risk/risk.ts";

/** What the engine's own orders need: settings, the books, the ledger and order entry. */
export interface ExitPorts {
  /** Settings (exit rules, latency). */
  readonly cfg: EngineConfig;
  /** The books. */
  readonly books: Books;
  /** Balances and positions. */
  readonly ledger: Ledger;
  /** Order entry. */
  readonly orders: OrderSender;
}

/** What the kill switch needs besides {@linkcode ExitPorts}: the risk manager and the journal. */
export interface KillPorts extends ExitPorts {
  /** The risk manager (set HALTED). */
  readonly risk: Pick<RiskManager, "kill">;
  /** The risk journal. */
  readonly journal: Journal;
}

/**
 * Sends a reduce-only market exit when an exit rule fires for the held position of `r`,
 * or while an operator flatten is under way on it. Other open orders on the book are
 * cancelled first; the exit goes out once their cancels have reached the book.
 */
export function checkExits(ports: ExitPorts, r: BookRunner, t: number): void {
  const { cfg, ledger } = ports;
  const signal = r.exitSignal(ledger, cfg.exits); // keeps the trailing state current
  const reason = r.flatten?.tag ?? signal;
  if (reason === undefined) return;
  const open = [...r.matching.resting(), ...r.matching.inFlight()];
  if (open.some((o) => o.request.reduceOnly && o.request.type === "market")) return; // exit under way
  for (const o of open) {
    if (o.cancelAt === undefined) r.matching.cancel(o, t + cfg.latency.next(), t);
  }
  if (r.hasOpenOrder()) return;
  ports.orders.submit(
    {
      venue: r.inst.venue,
      symbol: r.inst.symbol,
      side: "sell",
      type: "market",
      size: r.position(ledger).qty,
      reduceOnly: true,
      tag: reason,
    },
    t,
    r.flatten?.force === true,
  );
}

/** What {@linkcode flattenAll} did. */
export interface FlattenResult {
  /** Open orders whose cancel was sent. */
  readonly cancelled: number;
  /** One line per held position: instrument, size and the exit sent (or why not yet). */
  readonly positions: readonly string[];
}

/**
 * Cancels every open order and sells every position with reduce-only market orders.
 * Only what open orders do not lock is sold at once; the book keeps the request
 * ({@linkcode BookRunner.flatten}), so the rest (and anything a protection band left, or a
 * book not tradable yet) is sold by {@linkcode checkExits} on later book updates.
 *
 * @param request Exit tag and whether the exits bypass the risk manager.
 * @param flatten False: cancel only.
 */
export function flattenAll(
  ports: ExitPorts,
  now: number,
  request: FlattenRequest,
  flatten = true,
): FlattenResult {
  const { cfg, books, ledger } = ports;
  let cancelled = 0;
  const positions: string[] = [];
  for (const r of books.runners()) {
    for (const o of [...r.matching.resting(), ...r.matching.inFlight()]) {
      if (o.cancelAt !== undefined) continue;
      r.matching.cancel(o, now + cfg.latency.next(), now);
      cancelled++;
    }
    const held = r.position(ledger).qty;
    if (!flatten || held <= 0) continue;
    r.flatten = request;
    const free = ledger.available(r.inst.venue, r.inst.base) /
      baseAmountOf(r.inst, 1 as Lots);
    const lots = Math.min(held, Number(free));
    const size = (lots - (lots % r.inst.lotSize)) as Lots;
    const what = `${r.key} ${formatSize(r.inst, held as Lots)} ${r.inst.base}`;
    if (!r.tradable) {
      positions.push(`${what}: exit when the book is tradable (${r.haltReason})`);
      continue;
    }
    if (size <= 0) {
      positions.push(`${what}: exit once the cancels reach the book`);
      continue;
    }
    const res = ports.orders.submit(
      {
        venue: r.inst.venue,
        symbol: r.inst.symbol,
        side: "sell",
        type: "market",
        size,
        reduceOnly: true,
        tag: request.tag,
      },
      now,
      request.force,
    );
    positions.push(
      "ok" in res
        ? `${what}: exit refused (${res.reason}), retried on book updates`
        : `${what}: ${
          size === held ? "" : `${formatSize(r.inst, size)} now, the rest later; `
        }exit order ${res.id}`,
    );
  }
  return { cancelled, positions };
}

/**
 * The kill switch: cancels every open order, optionally sells every position with
 * market orders that bypass the risk manager (book halts still apply; see
 * {@linkcode flattenAll}), then sets HALTED.
 */
export function killSwitch(
  ports: KillPorts,
  now: number,
  reason: string,
  options: { flatten: boolean },
): FlattenResult {
  const res = flattenAll(ports, now, { tag: "kill_switch", force: true }, options.flatten);
  ports.risk.kill(now, reason);
  ports.journal.flushRisk();
  return res;
}
