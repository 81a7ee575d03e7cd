/**
 * SHA-256 fingerprint of a run's fills, so replays can prove they produced the same
 * executions (determinism checks in tests and CI, backtest vs paper-trader parity).
 *
 * @module
 */

import type { Fill } from "./order.ts";
import { sha256Hex } from "../../hash.ts";

/** The canonical text line of a fill (every field that defines the execution). */
export function fillLine(f: Fill): string {
  return [
    f.seq,
    f.orderId,
    f.venue,
    f.symbol,
    f.side,
    f.price,
    f.size,
    f.notional,
    f.fee,
    f.liquidity,
    f.time,
    f.tag,
  ].join(",");
}

/**
 * Hex SHA-256 of the fills' canonical lines joined with "\n" (the hash of "" when none).
 *
 * @example Same fills, same fingerprint
 * ```ts
 * import assert from "node:assert/strict";
 * import { fingerprintFills } from "./fingerprint.ts";
 * assert.equal((await fingerprintFills([])).length, 64);
 * ```
 */
export function fingerprintFills(fills: readonly Fill[]): Promise<string> {
  return Promise.resolve(sha256Hex(fills.map(fillLine).join("\n")));
}
