/**
 * What a Binance recording replay reports: per symbol and for the whole replay.
 *
 * @module
 */

import type { BookSync } from "../../core/market/book_sync.ts";
import { formatPrice, type Instrument } from "../../core/market/instrument.ts";

/** Facts about one symbol after a replay. */
export interface SymbolSummary {
  depth_msgs: number;
  applied: number;
  stale: number;
  gaps: number;
  crossed: number;
  snapshots: number;
  trades: number;
  trade_id_gaps: number;
  last_update_id: number | null;
  best_bid: string | null;
  best_ask: string | null;
  best_bid_size: string | null;
  best_ask_size: string | null;
  bid_levels: number;
  ask_levels: number;
  /** True when the book reflects a snapshot at the end of the replay. */
  synced: boolean;
  /** Snapshots older than the book they would have replaced (ignored, never rolled back). */
  stale_snapshots: number;
}

/** Summary of a whole replay: the facts of the (first) symbol at top level, then all symbols. */
export interface ReplaySummary extends SymbolSummary {
  files: number;
  lines: number;
  bad_lines: number;
  ignored: number;
  errors: string[];
  /** Receive times that went backwards (line order), across files in the given order. */
  time_regressions: number;
  /** Why the result is not trustworthy (file, symbol, reason); empty when it is. */
  problems: string[];
  /** False when `problems` is not empty: do not use the result as data. */
  usable: boolean;
  symbols: Record<string, SymbolSummary>;
}

/** What a replay tracks of one symbol. */
export interface SymbolState {
  inst: Instrument;
  sync: BookSync & {
    readonly lastUpdateId: number | undefined;
    readonly counters: { readonly staleSnapshots?: number };
  };
  depthMsgs: number;
  snapshots: number;
  trades: number;
  tradeIdGaps: number;
  lastTradeId: number | undefined;
  nextSnapshotAt: number;
}

/** The summary of one symbol's replay. */
export function summarize(st: SymbolState): SymbolSummary {
  const book = st.sync.book;
  const bid = book.best("bid");
  const ask = book.best("ask");
  const fmtSize = (s: number) => (s / 10 ** st.inst.sizeDecimals).toFixed(st.inst.sizeTextDecimals);
  return {
    depth_msgs: st.depthMsgs,
    applied: st.sync.counters.applied,
    stale: st.sync.counters.stale,
    gaps: st.sync.counters.gaps,
    crossed: st.sync.counters.crossed,
    snapshots: st.snapshots,
    trades: st.trades,
    trade_id_gaps: st.tradeIdGaps,
    last_update_id: st.sync.lastUpdateId ?? null,
    best_bid: bid ? formatPrice(st.inst, bid.price) : null,
    best_ask: ask ? formatPrice(st.inst, ask.price) : null,
    best_bid_size: bid ? fmtSize(bid.size) : null,
    best_ask_size: ask ? fmtSize(ask.size) : null,
    bid_levels: book.levelCount("bid"),
    ask_levels: book.levelCount("ask"),
    synced: st.sync.synced,
    stale_snapshots: st.sync.counters.staleSnapshots ?? 0,
  };
}

/** The summary of a replay that met no symbol. */
export function emptySummary(): SymbolSummary {
  return {
    depth_msgs: 0,
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    snapshots: 0,
    trades: 0,
    trade_id_gaps: 0,
    last_update_id: null,
    best_bid: null,
    best_ask: null,
    best_bid_size: null,
    best_ask_size: null,
    bid_levels: 0,
    ask_levels: 0,
    synced: false,
    stale_snapshots: 0,
  };
}
