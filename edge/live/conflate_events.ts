/**
 * Conflation of a backlog of market events that the paper trader has not read yet (it waits,
 * e.g. on a full disk): consecutive deltas of one book become one delta that leaves the book
 * exactly as the sequence of deltas did — per price the newest size, the first delta's
 * `firstSequence` and the last one's `lastSequence` and checksum, KuCoin's per-record
 * sequences kept with their records — and of the trades of a book only the newest is kept
 * (the others are counted as skipped). Deltas of a book with a per-book sequence (Binance,
 * Binance.US, KuCoin) merge only when they are contiguous, so the trader's own book sync still
 * sees every gap; a snapshot ends a book's merge. Every kept event sits where its newest part
 * was, so receive times stay in order.
 *
 * @module
 */

import type { BookDelta, LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";

/** What {@linkcode conflateEvents} did. */
export interface Conflated {
  /** The backlog after conflation, in order. */
  readonly events: MarketEvent[];
  /** Deltas merged into a later one (no longer separate events). */
  readonly mergedDeltas: number;
  /** Trades dropped (a newer trade of the same book was kept). */
  readonly skippedTrades: number;
}

const SEQUENCED = new Set(["binance", "binance_us", "kucoin"]);

interface Side {
  /** price → [size, record sequence (KuCoin) or undefined] */
  levels: Map<number, [number, number | undefined]>;
}

interface Open {
  first: BookDelta;
  last: BookDelta;
  bids: Side;
  asks: Side;
  slot: number;
  parts: number;
}

type KucoinLike = BookDelta & {
  readonly bidSequences?: readonly number[];
  readonly askSequences?: readonly number[];
};

function add(side: Side, levels: readonly LevelUpdate[], seqs: readonly number[] | undefined) {
  levels.forEach(([p, s], i) => {
    side.levels.delete(p); // re-inserted last: the newest update of a price wins, in order
    side.levels.set(p, [s, seqs?.[i]]);
  });
}

function build(o: Open): BookDelta {
  if (o.parts === 1) return o.first;
  const out = (side: Side) => [...side.levels].map(([p, [s]]) => [p as Ticks, s as Lots] as const);
  const seqs = (side: Side) => [...side.levels.values()].map(([, q]) => q ?? 0);
  const kucoin = (o.first as KucoinLike).bidSequences !== undefined;
  const merged: KucoinLike = {
    ...o.last,
    firstSequence: o.first.firstSequence,
    lastSequence: o.last.lastSequence,
    bids: out(o.bids),
    asks: out(o.asks),
    ...(kucoin ? { bidSequences: seqs(o.bids), askSequences: seqs(o.asks) } : {}),
  };
  if (o.last.checksum === undefined) delete (merged as { checksum?: number }).checksum;
  return merged;
}

/**
 * Conflates a backlog; see the module documentation.
 *
 * @param events The backlog, oldest first.
 * @returns The conflated backlog and what was merged or skipped.
 *
 * @example Two deltas of one book become one
 * ```ts
 * import assert from "node:assert/strict";
 * import type { BookDelta } from "../../core/market/events.ts";
 * import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
 * import { conflateEvents } from "./conflate_events.ts";
 * const d = (f: number, size: number): BookDelta => ({
 *   kind: "delta", venue: "binance_us", symbol: "BTC/USDT", exchangeTime: f, receiveTime: f,
 *   firstSequence: f, lastSequence: f, bids: [[100 as Ticks, size as Lots]], asks: [],
 * });
 * const r = conflateEvents([d(1, 1), d(2, 0)]);
 * assert.equal(r.events.length, 1);
 * assert.deepEqual(r.events[0], { ...d(2, 0), firstSequence: 1 });
 * ```
 */
export function conflateEvents(events: readonly MarketEvent[]): Conflated {
  const slots: Array<MarketEvent | Open | undefined> = [];
  const open = new Map<string, Open>();
  const lastTrade = new Map<string, number>();
  let mergedDeltas = 0;
  let skippedTrades = 0;
  for (const e of events) {
    const key = `${e.venue} ${e.symbol}`;
    if (e.kind === "snapshot") {
      open.delete(key);
      slots.push(e);
    } else if (e.kind === "trade") {
      const prev = lastTrade.get(key);
      if (prev !== undefined) {
        slots[prev] = undefined;
        skippedTrades++;
      }
      lastTrade.set(key, slots.length);
      slots.push(e);
    } else {
      const o = open.get(key);
      const contiguous = o !== undefined &&
        (!SEQUENCED.has(e.venue) || e.firstSequence === o.last.lastSequence + 1);
      if (o && contiguous) {
        const k = e as KucoinLike;
        add(o.bids, e.bids, k.bidSequences);
        add(o.asks, e.asks, k.askSequences);
        o.last = e;
        o.parts++;
        mergedDeltas++;
        slots[o.slot] = undefined;
        o.slot = slots.length;
        slots.push(o);
      } else {
        const k = e as KucoinLike;
        const fresh: Open = {
          first: e,
          last: e,
          bids: { levels: new Map() },
          asks: { levels: new Map() },
          slot: slots.length,
          parts: 1,
        };
        add(fresh.bids, e.bids, k.bidSequences);
        add(fresh.asks, e.asks, k.askSequences);
        open.set(key, fresh);
        slots.push(fresh);
      }
    }
  }
  const out: MarketEvent[] = [];
  for (const s of slots) {
    if (s === undefined) continue;
    out.push("kind" in s ? s : build(s));
  }
  return { events: out, mergedDeltas, skippedTrades };
}
