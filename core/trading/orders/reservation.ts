/**
 * How much an order locks in the ledger while it is open.
 *
 * @module
 */

import type { Ticks } from "../../market/fixed_point.ts";
import type { Instrument } from "../../market/instrument.ts";
import type { Amount } from "./money.ts";
import type { OrderRequest } from "./order.ts";

/** Funds an order locks: quote at the limit (or band price) plus taker fee for buys, base size for sells. */
export function reservationOf(
  inst: Instrument,
  req: OrderRequest,
  touch: Ticks,
  bandBps: number,
  takerPpm: number,
): Amount {
  if (req.side === "sell") return BigInt(req.size) * 10n ** BigInt(18 - inst.sizeDecimals);
  const price = req.type === "limit"
    ? (req.price as number)
    : Math.ceil(touch * (1 + bandBps / 10_000));
  const notional = BigInt(price) * BigInt(req.size) *
    10n ** BigInt(18 - inst.priceDecimals - inst.sizeDecimals);
  return notional + (notional * BigInt(Math.max(0, takerPpm))) / 1_000_000n + 1n;
}
