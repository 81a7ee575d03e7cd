import type { BookDelta, LevelUpdate } from "../../core/market/events.ts";
import { type BookSync, needsResync } from "../../core/market/book_sync.ts";
import { makeInstrument, type VenueId } from "../../core/market/instrument.ts";
import type { OrderBook } from "../../core/market/order_book.ts";
import { storedVenueSync } from "../../core/market/venue_book_sync.ts";
import { scaledToNumber } from "../../core/market/fixed_point.ts";
import type { DashboardReader } from "../../infra/store/dashboard/store_reader.ts";
import {
  bookEventsAfter,
  firstDeltaSince,
  hasBookTables,
  lastPictureId,
  latestPictures,
  periodicPicturesAfter,
  type SnapshotRow,
} from "../../infra/store/dashboard/book_queries.ts";
import type { BookDepth, InstrumentView, TopOfBook } from "./types.ts";

interface LiveBook {
  sync: BookSync;
  /** Receive time of the last snapshot or delta applied. */
  time: number;
  /** Deltas received before this time are older than the seeding picture (skipped). */
  since: number;
  /** Splice venues: the latest deltas, re-fed after a resync snapshot (see `#reset`). */
  recent: BookDelta[] | undefined;
}

/** Deltas kept per splice-venue book for a resync. */
const RECENT = 2_000;

/**
 * Rebuilds each venue's order book from the store through the venue's own core book
 * sync (the one its adapter runs: Binance's splice, KuCoin's sequence, Coinbase's
 * sequence_num, Kraken's truncation to depth and checksum), so the dashboard's book is the
 * adapter's book: the stored venue snapshots and deltas in ingest order, a gap or a failed
 * checksum clearing the book, a venue snapshot (resync) resetting it. A tracker that
 * starts on an existing store seeds each book from its latest picture.
 */
export class LiveBooks {
  readonly #reader: DashboardReader;
  readonly #books = new Map<string, LiveBook>();
  #snapCursor = 0;
  #cursor = 0;
  #seeded = false;
  /** Most rows applied per {@linkcode advance} (the rest follow on the next call). */
  readonly batchLimit: number;

  /**
   * @param reader The store.
   * @param batchLimit Most deltas per call.
   */
  constructor(reader: DashboardReader, batchLimit = 20_000) {
    this.#reader = reader;
    this.batchLimit = batchLimit;
  }

  /**
   * Applies what the store gained since the last call.
   *
   * @param instruments Known instruments (decimals).
   * @returns Keys ("venue symbol") of the books that changed.
   */
  async advance(instruments: readonly InstrumentView[]): Promise<Set<string>> {
    const changed = new Set<string>();
    if (!this.#seeded) {
      if (!(await hasBookTables(this.#reader))) return changed;
      await this.#seed(instruments, changed);
      this.#seeded = true;
    }
    // Periodic pictures only start books not tracked yet; venue snapshots come in order below.
    const snaps = await periodicPicturesAfter(this.#reader, this.#snapCursor);
    for (const s of snaps) {
      this.#snapCursor = s.id;
      if (!this.#books.has(`${s.venue} ${s.symbol}`) && this.#reset(s, instruments)) {
        changed.add(`${s.venue} ${s.symbol}`);
      }
    }
    const rows = await bookEventsAfter(this.#reader, this.#cursor, this.batchLimit);
    for (const r of rows) {
      this.#cursor = r.seq;
      const key = `${r.venue} ${r.symbol}`;
      if (r.k === 1) {
        // A venue snapshot the seeding picture already reflects is not applied again.
        if (r.receive_time <= (this.#books.get(key)?.since ?? -Infinity)) continue;
        if (this.#reset({ ...r, id: 0, source: "venue", sequence: r.last_sequence }, instruments)) {
          changed.add(key);
        }
        continue;
      }
      const live = this.#books.get(key) ?? this.#create(r.venue, r.symbol, 0, instruments);
      if (!live || r.receive_time < live.since) continue;
      const delta: BookDelta = {
        kind: "delta",
        venue: r.venue as VenueId,
        symbol: r.symbol,
        exchangeTime: 0,
        receiveTime: r.receive_time,
        firstSequence: r.first_sequence,
        lastSequence: r.last_sequence,
        bids: JSON.parse(r.bids) as LevelUpdate[],
        asks: JSON.parse(r.asks) as LevelUpdate[],
        ...(r.checksum === null ? {} : { checksum: r.checksum }),
      };
      if (live.recent) {
        live.recent.push(delta);
        if (live.recent.length > RECENT) live.recent.splice(0, live.recent.length - RECENT);
      }
      const outcome = live.sync.onDelta(delta);
      // The adapter drops the book on these and resyncs: so does the dashboard.
      if (needsResync(outcome) && live.sync.synced) live.sync.reset();
      live.time = r.receive_time;
      changed.add(key);
    }
    return changed;
  }

  /** The book of `key` as rebuilt (tests compare it with the adapter's). */
  book(key: string): OrderBook | undefined {
    return this.#books.get(key)?.sync.book;
  }

  /** Keys of the books being tracked. */
  keys(): string[] {
    return [...this.#books.keys()].sort();
  }

  /** Top of book of `key`, decoded. */
  top(key: string): TopOfBook | undefined {
    const live = this.#books.get(key);
    if (!live) return undefined;
    const book = live.sync.book;
    const inst = book.instrument;
    const price = (v: number) => scaledToNumber(v, inst.priceDecimals);
    const size = (v: number) => scaledToNumber(v, inst.sizeDecimals);
    const bid = book.best("bid");
    const ask = book.best("ask");
    const mid = bid && ask ? (price(bid.price) + price(ask.price)) / 2 : null;
    return {
      venue: inst.venue,
      symbol: inst.symbol,
      time: live.time,
      bid: bid ? price(bid.price) : null,
      ask: ask ? price(ask.price) : null,
      bid_size: bid ? size(bid.size) : null,
      ask_size: ask ? size(ask.size) : null,
      mid,
      spread_bps: bid && ask && mid ? ((price(ask.price) - price(bid.price)) / mid) * 10_000 : null,
    };
  }

  /** Top of book plus cumulative depth of `levels` levels per side. */
  depth(key: string, levels: number): BookDepth | undefined {
    const top = this.top(key);
    const live = this.#books.get(key);
    if (!top || !live) return undefined;
    const inst = live.sync.book.instrument;
    const cumulative = (side: "bid" | "ask"): [number, number][] => {
      let sum = 0;
      return live.sync.book.top(side, levels).map(([p, s]) => {
        sum += s;
        return [scaledToNumber(p, inst.priceDecimals), scaledToNumber(sum, inst.sizeDecimals)];
      });
    };
    return { ...top, bids: cumulative("bid"), asks: cumulative("ask") };
  }

  async #seed(instruments: readonly InstrumentView[], changed: Set<string>): Promise<void> {
    const latest = await latestPictures(this.#reader);
    let from = Infinity;
    for (const s of latest) {
      if (!this.#reset(s, instruments)) continue;
      changed.add(`${s.venue} ${s.symbol}`);
      const first = await firstDeltaSince(this.#reader, s.venue, s.symbol, s.receive_time);
      if (first !== null) from = Math.min(from, first - 1);
    }
    this.#snapCursor = await lastPictureId(this.#reader);
    // No picture yet: every stored delta and snapshot counts (a Binance book is spliced
    // from the diffs stored before its first snapshot), so start from the first row.
    this.#cursor = Number.isFinite(from) ? from : 0;
  }

  #create(
    venue: string,
    symbol: string,
    levels: number,
    instruments: readonly InstrumentView[],
  ): LiveBook | undefined {
    const info = instruments.find((i) => i.venue === venue && i.symbol === symbol);
    if (!info) return undefined;
    const inst = makeInstrument({
      venue: venue as VenueId,
      symbol,
      priceDecimals: info.price_decimals,
      sizeDecimals: info.size_decimals,
    });
    // Kraken keeps the subscribed depth: its snapshots hold that many levels (10 at least).
    const sync = storedVenueSync(inst, { krakenDepth: Math.max(10, levels) });
    const splice = venue === "binance" || venue === "binance_us" || venue === "kucoin";
    const live: LiveBook = { sync, time: 0, since: 0, recent: splice ? [] : undefined };
    this.#books.set(`${venue} ${symbol}`, live);
    return live;
  }

  #reset(s: SnapshotRow, instruments: readonly InstrumentView[]): boolean {
    const bids = JSON.parse(s.bids) as LevelUpdate[];
    const asks = JSON.parse(s.asks) as LevelUpdate[];
    const live = this.#books.get(`${s.venue} ${s.symbol}`) ??
      this.#create(s.venue, s.symbol, Math.max(bids.length, asks.length), instruments);
    if (!live) return false;
    // The adapter resynced (a venue snapshot): it had dropped its book and buffered what
    // came since, so it ends on the snapshot plus the deltas after it. A sync that saw no
    // gap is reset and given the latest deltas again (the stale ones are dropped by it).
    const refeed = live.sync.synced && s.source === "venue" ? live.recent : undefined;
    if (live.sync.synced) live.sync.reset();
    live.sync.onSnapshot({
      kind: "snapshot",
      venue: s.venue as VenueId,
      symbol: s.symbol,
      exchangeTime: 0,
      receiveTime: s.receive_time,
      sequence: s.sequence,
      bids,
      asks,
    });
    for (const d of refeed ?? []) if (d.lastSequence > s.sequence) live.sync.onDelta(d);
    live.time = s.receive_time;
    if (s.source === "periodic") live.since = s.receive_time;
    return true;
  }
}
