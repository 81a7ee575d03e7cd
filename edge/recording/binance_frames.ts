/**
 * Normalized events back to Binance recording lines (`<receive ns> <frame JSON>`), the format
 * of the bundled recordings that `replay`, `backtest`, `features` and `train` read. Used by
 * `export-recording` and by the storage archive.
 *
 * Frames carry what the Binance readers need (`@depth@100ms` diffs with `U`/`u`, `@trade`
 * trades, bare REST snapshots) plus, only when an event has them, fields those readers ignore:
 * `X` (a venue checksum), `I` (a trade id that is not a safe integer, e.g. a UUID), and `s` and
 * `E` on a snapshot (its symbol and exchange time), so another venue's events round-trip exactly
 * and every book's snapshots name their book.
 *
 * @module
 */

import type { LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import { formatPrice, formatSize, type Instrument } from "../../core/market/instrument.ts";

/**
 * The recording-line time prefix of a receive time (epoch ms with a sub-ms fraction), in ns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { receiveNs } from "./binance_frames.ts";
 * assert.equal(receiveNs(1795507964662.25), "1795507964662250000");
 * ```
 */
export function receiveNs(receiveTime: number): string {
  const ms = Math.floor(receiveTime);
  const sub = Math.round((receiveTime - ms) * 1e6);
  return String(BigInt(ms) * 1_000_000n + BigInt(sub));
}

/** One recording line (without newline) of an event of `inst`. */
export function recordingLine(e: MarketEvent, inst: Instrument): string {
  return `${receiveNs(e.receiveTime)} ${JSON.stringify(binanceFrameOf(e, inst))}`;
}

/**
 * The Binance-format frame of a normalized event (see the module documentation).
 *
 * @throws {RangeError} When a trade id is empty.
 */
export function binanceFrameOf(e: MarketEvent, inst: Instrument): unknown {
  const s = inst.venueSymbol;
  const lv = (levels: readonly LevelUpdate[]) =>
    levels.map(([p, q]) => [formatPrice(inst, p), formatSize(inst, q)]);
  if (e.kind === "snapshot") {
    return {
      lastUpdateId: e.sequence,
      s,
      bids: lv(e.bids),
      asks: lv(e.asks),
      ...(e.exchangeTime ? { E: e.exchangeTime } : {}),
    };
  }
  const stream = s.toLowerCase();
  if (e.kind === "delta") {
    return {
      stream: `${stream}@depth@100ms`,
      data: {
        e: "depthUpdate",
        E: e.exchangeTime,
        s,
        U: e.firstSequence,
        u: e.lastSequence,
        b: lv(e.bids),
        a: lv(e.asks),
        ...(e.checksum !== undefined ? { X: e.checksum } : {}),
      },
    };
  }
  if (e.tradeId === "") throw new RangeError(`Cannot record a trade without an id: ${s}`);
  const n = Number(e.tradeId);
  const exact = Number.isSafeInteger(n) && n >= 0 && String(n) === e.tradeId;
  return {
    stream: `${stream}@trade`,
    data: {
      e: "trade",
      E: e.exchangeTime,
      s,
      t: exact ? n : 0,
      p: formatPrice(inst, e.price),
      q: formatSize(inst, e.size),
      T: e.exchangeTime,
      m: e.takerSide === "sell",
      ...(exact ? {} : { I: e.tradeId }),
    },
  };
}
