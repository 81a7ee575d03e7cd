/**
 * A canonical SHA-256 digest of an engine's persistent state and fills, to compare a
 * restored run with the stored one (or two runs with each other).
 *
 * @module
 */

import type { EngineState } from "../../core/trading/engine/engine_state.ts";
import { fillLine } from "../../core/trading/orders/fingerprint.ts";
import type { Fill } from "../../core/trading/orders/order.ts";
import { sha256Hex } from "../../core/hash.ts";

/** Digest of balances, positions, round trips, counters, fees, risk state, open orders and fills. */
export function stateDigest(state: EngineState, fills: readonly Fill[]): Promise<string> {
  const l = state.ledger;
  const canon = {
    counters: state.counters,
    fees: state.fees,
    entry_seq: l.entrySeq,
    balances: [...l.balances].filter(([, , v]) => v !== 0n).sort((a, b) =>
      `${a[0]}:${a[1]}` < `${b[0]}:${b[1]}` ? -1 : 1
    ),
    positions: [...l.positions].map((p) => ({
      ...p,
      position: { ...p.position, openedAt: p.position.openedAt ?? null },
    }))
      .filter((p) =>
        p.position.qty !== 0 || p.position.realizedGross !== 0n || p.position.fees !== 0n
      )
      .sort((a, b) =>
        `${a.position.venue}:${a.position.symbol}` < `${b.position.venue}:${b.position.symbol}`
          ? -1
          : 1
      ),
    trips: l.trips,
    risk: state.risk,
    open_orders: state.openOrders.map((o) => [o.id, o.status, o.filled]).sort(),
    fills: fills.map(fillLine),
  };
  const text = JSON.stringify(canon, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  return Promise.resolve(sha256Hex(text));
}
