/**
 * The checks an order passes before the engine sends it: a tradable book, the venue's
 * rules, reduce-only against the held position, the risk manager, and a reservation of
 * the funds it may spend.
 *
 * @module
 */

import type { Ticks } from "../../market/fixed_point.ts";
import type { BookRunner } from "../books/book_runner.ts";
import { type EngineConfig, feesFor, rulesFor } from "./engine_config.ts";
import type { Books } from "./engine_ports.ts";
import type { Ledger } from "../ledger/ledger.ts";
import { amountToNumber } from "../orders/money.ts";
import { type OrderRequest, reject, type Rejection, validateOrder } from "../orders/order.ts";
import { reservationOf } from "../orders/reservation.ts";
import type { RiskManager } from "../risk/risk.ts";

/** What order entry reads: settings, the books, the ledger and the risk manager's check. */
export interface EntryPorts {
  /** Settings (rules, fees, protection band). */
  readonly cfg: EngineConfig;
  /** The books. */
  readonly books: Books;
  /** Balances, positions and reservations. */
  readonly ledger: Ledger;
  /** The account risk check. */
  readonly risk: Pick<RiskManager, "check">;
}

/** How an order is entered. */
export interface OrderEntry {
  /** Id the order will get (its reservation is booked under it). */
  readonly id: string;
  /** Submission time. */
  readonly now: number;
  /** Skip the risk manager (kill-switch flattening only); book halts still apply. */
  readonly force: boolean;
}

/**
 * Checks `req` and reserves the funds it may spend (quote for buys, base for sells).
 *
 * @returns The runner of the order's book once the funds are reserved, or the first
 * check that refused it.
 */
export function admitOrder(
  ports: EntryPorts,
  req: OrderRequest,
  entry: OrderEntry,
): BookRunner | Rejection {
  const { cfg, books, ledger, risk } = ports;
  const r = books.runner(req.venue, req.symbol);
  if (!r) return reject("instrument", `no book for ${req.venue} ${req.symbol}`);
  if (!r.tradable) {
    return reject("book_halted", `book ${r.book.label} is not tradable: ${r.haltReason}`);
  }
  const inst = r.inst;
  const ref = req.side === "buy" ? r.book.bestAskPrice() : r.book.bestBidPrice();
  const valid = validateOrder(req, { inst, rules: rulesFor(cfg, inst), refPrice: ref });
  if (!valid.ok) return valid;
  const pos = r.position(ledger);
  if (req.reduceOnly && (req.side !== "sell" || req.size > pos.qty)) {
    return reject(
      "reduce_only",
      `reduce-only order of ${req.size} exceeds the position ${pos.qty}`,
    );
  }
  if (!entry.force) {
    const held = books.runners().filter((x) => x.position(ledger).qty > 0).map((x) => x.key);
    const check = risk.check(
      { key: r.key, reduceOnly: req.reduceOnly === true, held },
      entry.now,
    );
    if (!check.ok) return check;
  }
  const reserved = reservationOf(
    inst,
    req,
    ref as Ticks,
    cfg.maxSlippageBps,
    feesFor(cfg, inst.venue).takerPpm,
  );
  const asset = req.side === "buy" ? inst.quote : inst.base;
  if (!ledger.reserve(entry.id, inst.venue, asset, reserved)) {
    return reject(
      "balance",
      `not enough ${asset} on ${inst.venue}: need ${amountToNumber(reserved)}, available ${
        amountToNumber(ledger.available(inst.venue, asset))
      }`,
    );
  }
  return r;
}
