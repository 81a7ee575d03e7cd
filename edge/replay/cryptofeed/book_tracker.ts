import type { BookSync, SyncOutcome } from "../../../core/market/book_sync.ts";
import type { MarketEvent } from "../../../core/market/events.ts";
import { formatPrice, formatSize, type Instrument } from "../../../core/market/instrument.ts";

/** Per-symbol facts printed by the cryptofeed replay. */
export interface SymbolReplaySummary {
  snapshots: number;
  deltas: number;
  applied: number;
  stale: number;
  buffered: number;
  unsynced: number;
  gaps: number;
  crossed: number;
  checksum_ok: number;
  checksum_failed: number;
  trades: number;
  synced: boolean;
  best_bid: string | null;
  best_ask: string | null;
  best_bid_size: string | null;
  best_ask_size: string | null;
  bid_levels: number;
  ask_levels: number;
}

interface State {
  inst: Instrument;
  sync: BookSync;
  snapshots: number;
  deltas: number;
  trades: number;
  outcomes: Record<SyncOutcome, number>;
}

const NO_OUTCOMES: Record<SyncOutcome, number> = {
  buffered: 0,
  unsynced: 0,
  stale: 0,
  applied: 0,
  crossed: 0,
  gap: 0,
  checksum_failed: 0,
};

/**
 * Routes normalized events to one {@linkcode BookSync} per symbol and counts the
 * outcomes. Snapshot applications count as applied only through deltas: `applied`
 * is the number of deltas (updates) that reached the book.
 */
export class BookTracker {
  readonly #states = new Map<string, State>();
  readonly #instrument: (symbol: string) => Instrument | undefined;
  readonly #makeSync: (inst: Instrument) => BookSync;

  /**
   * @param instrument Instrument of a normalized symbol.
   * @param makeSync Builds the venue's sync for a new symbol.
   */
  constructor(
    instrument: (symbol: string) => Instrument | undefined,
    makeSync: (inst: Instrument) => BookSync,
  ) {
    this.#instrument = instrument;
    this.#makeSync = makeSync;
  }

  /** Feeds one event; returns the outcomes it caused (none for trades). */
  feed(event: MarketEvent): readonly SyncOutcome[] {
    const st = this.#state(event.symbol);
    if (event.kind === "trade") {
      st.trades++;
      return [];
    }
    let outcomes: readonly SyncOutcome[];
    if (event.kind === "snapshot") {
      st.snapshots++;
      outcomes = st.sync.onSnapshot(event);
    } else {
      st.deltas++;
      outcomes = [st.sync.onDelta(event)];
    }
    for (const o of outcomes) st.outcomes[o]++;
    return outcomes;
  }

  /** The sync of a symbol, if it has seen events. */
  syncOf(symbol: string): BookSync | undefined {
    return this.#states.get(symbol)?.sync;
  }

  /** Summaries of every symbol seen, by normalized symbol. */
  summaries(): Record<string, SymbolReplaySummary> {
    const out: Record<string, SymbolReplaySummary> = {};
    for (const [symbol, st] of [...this.#states].sort(([a], [b]) => a.localeCompare(b))) {
      out[symbol] = summarize(st);
    }
    return out;
  }

  #state(symbol: string): State {
    let st = this.#states.get(symbol);
    if (!st) {
      const inst = this.#instrument(symbol);
      if (!inst) throw new RangeError(`Cannot track ${symbol}: no instrument`);
      st = {
        inst,
        sync: this.#makeSync(inst),
        snapshots: 0,
        deltas: 0,
        trades: 0,
        outcomes: { ...NO_OUTCOMES },
      };
      this.#states.set(symbol, st);
    }
    return st;
  }
}

function summarize(st: State): SymbolReplaySummary {
  const book = st.sync.book;
  const bid = book.best("bid");
  const ask = book.best("ask");
  const c = st.sync.counters as BookSync["counters"] & {
    checksumOk?: number;
    checksumFailed?: number;
  };
  const pending = (st.sync as { buffered?: number }).buffered ?? 0;
  return {
    snapshots: st.snapshots,
    deltas: st.deltas,
    applied: c.applied,
    stale: c.stale,
    buffered: pending,
    unsynced: st.outcomes.unsynced,
    gaps: c.gaps,
    crossed: c.crossed,
    checksum_ok: c.checksumOk ?? 0,
    checksum_failed: c.checksumFailed ?? 0,
    trades: st.trades,
    synced: st.sync.synced,
    best_bid: bid ? formatPrice(st.inst, bid.price) : null,
    best_ask: ask ? formatPrice(st.inst, ask.price) : null,
    best_bid_size: bid ? formatSize(st.inst, bid.size) : null,
    best_ask_size: ask ? formatSize(st.inst, ask.size) : null,
    bid_levels: book.levelCount("bid"),
    ask_levels: book.levelCount("ask"),
  };
}
