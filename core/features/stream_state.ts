import { BinanceBookSync } from "../market/binance_sync.ts";
import type { BookDelta, BookSnapshot, Trade } from "../market/events.ts";
import type { Instrument } from "../market/instrument.ts";
import { priceToNumber, sizeToNumber } from "../market/instrument.ts";
import { OrderBook } from "../market/order_book.ts";
import {
  bookSlope,
  depthWithin,
  imbalance,
  micropriceOffsetBps,
  midPrice,
  spreadBps,
  topOfBook,
} from "./book_features.ts";
import { ofiContribution, type TopOfBook } from "./ofi.ts";
import {
  bookFeatureNames,
  type FeatureConfig,
  type FeatureSpec,
  flowFeatureNames,
} from "./spec.ts";
import { streamPrefix } from "./spec.ts";
import { TimeWindow } from "./time_window.ts";
import { slotsOf, type VectorWriter } from "./vector_writer.ts";

/** The part of a venue's book sync the feature engine needs. */
export interface BookSyncLike {
  /** The maintained book. */
  readonly book: OrderBook;
  /** True when the book reflects the venue's book. */
  readonly synced: boolean;
  /** Applies a full snapshot (and anything buffered). */
  onSnapshot(snapshot: BookSnapshot): unknown;
  /** Applies or buffers a delta. */
  onDelta(delta: BookDelta): unknown;
  /** Drops the book; it is missing until the next snapshot. */
  reset(): void;
  /** Venue sequence reflected in the book, when the venue has one. */
  readonly lastUpdateId?: number | undefined;
}

/**
 * Sync for venues whose adapter already checked sequence and checksum: a snapshot
 * syncs the book, deltas apply while synced.
 */
export class PlainBookSync implements BookSyncLike {
  /** The maintained book. */
  readonly book: OrderBook;
  #synced = false;
  /** @param book The book to maintain. */
  constructor(book: OrderBook) {
    this.book = book;
  }
  /** True after a snapshot and until {@linkcode PlainBookSync.reset}. */
  get synced(): boolean {
    return this.#synced;
  }
  /** Replaces the book. */
  onSnapshot(snapshot: BookSnapshot): void {
    this.book.applySnapshot(snapshot);
    this.#synced = true;
  }
  /** Applies a delta when synced. */
  onDelta(delta: BookDelta): void {
    if (!this.#synced) return;
    this.book.applyLevels("bid", delta.bids);
    this.book.applyLevels("ask", delta.asks);
  }
  /** Drops the book. */
  reset(): void {
    this.#synced = false;
    this.book.clear();
  }
}

/** The book sync a venue uses: Binance's splice rule for Binance venues, plain otherwise. */
export function syncFor(inst: Instrument): BookSyncLike {
  const book = new OrderBook(inst);
  return inst.venue === "binance" || inst.venue === "binance_us"
    ? new BinanceBookSync(book)
    : new PlainBookSync(book);
}

/**
 * Incremental microstructure state of one venue/symbol: the synced book, the
 * order-flow imbalance and mid-return samples taken on every book event, and the
 * trades. Snapshot features are read from the book at vector time; windowed
 * features are sums over `(t - w, t]` and count as missing until the stream has
 * been observed for the whole window (no partial-window values).
 */
export class StreamState {
  /** The sync (and its book). */
  readonly sync: BookSyncLike;
  readonly #config: FeatureConfig;
  readonly #bookSlots: Int32Array;
  readonly #flowSlots: Int32Array;
  #prevTop: TopOfBook | undefined;
  #syncedSince: number | undefined;
  #tradesSince: number | undefined;
  #lastBookTime = -Infinity;
  readonly #ofi: TimeWindow;
  readonly #rv: TimeWindow;
  readonly #trades: TimeWindow;

  /**
   * @param spec The spec (for slots and windows).
   * @param inst The stream's instrument.
   * @param sync The book sync to use (default {@linkcode syncFor}).
   */
  constructor(spec: FeatureSpec, inst: Instrument, sync: BookSyncLike = syncFor(inst)) {
    const c = spec.config;
    this.#config = c;
    this.sync = sync;
    const p = streamPrefix(inst);
    this.#bookSlots = slotsOf(spec, `${p}.book`, bookFeatureNames(c));
    this.#flowSlots = slotsOf(spec, `${p}.flow`, flowFeatureNames(c));
    this.#ofi = new TimeWindow(Math.max(0, ...c.ofiWindowsMs));
    this.#rv = new TimeWindow(Math.max(0, ...c.rvWindowsMs));
    this.#trades = new TimeWindow(Math.max(0, ...c.flowWindowsMs, ...c.vwapWindowsMs));
  }

  /** Applies a book event at time `t` and samples OFI and the mid return. */
  onBook(event: BookSnapshot | BookDelta, t: number): void {
    if (this.#tradesSince === undefined) this.#tradesSince = t;
    if (event.kind === "snapshot") {
      this.sync.onSnapshot(event);
      this.#restart();
    } else {
      this.sync.onDelta(event);
    }
    const book = this.sync.book;
    if (!this.sync.synced || book.isCrossed()) {
      this.#restart();
      return;
    }
    const top = topOfBook(book);
    if (!top) return;
    this.#lastBookTime = t;
    if (this.#syncedSince === undefined) this.#syncedSince = t;
    const prev = this.#prevTop;
    if (prev) {
      this.#ofi.push(t, ofiContribution(prev, top), 0, 0);
      const r = Math.log(midPrice(top) / midPrice(prev));
      if (r !== 0) this.#rv.push(t, r * r, 0, 0);
    }
    this.#prevTop = top;
  }

  /** Records a trade at time `t`. */
  onTrade(trade: Trade, t: number): void {
    if (this.#tradesSince === undefined) this.#tradesSince = t;
    const inst = this.sync.book.instrument;
    const size = sizeToNumber(inst, trade.size);
    const price = priceToNumber(inst, trade.price);
    const buy = trade.takerSide === "buy";
    this.#trades.push(t, buy ? size : 0, buy ? 0 : size, price * size);
  }

  /** The feed of this stream went down: everything is missing until new events arrive. */
  onFeedDown(): void {
    this.sync.reset();
    this.#restart();
    this.#tradesSince = undefined;
    this.#trades.clear();
  }

  /** Mid at time `t`, or undefined when the book is missing (not synced, crossed or stale). */
  midAt(t: number): number | undefined {
    const top = this.#prevTop;
    if (!top || !this.sync.synced || t - this.#lastBookTime > this.#config.staleMs) {
      return undefined;
    }
    return midPrice(top);
  }

  /** Writes the book and flow groups of this stream for time `t`. */
  write(out: VectorWriter, t: number): void {
    const c = this.#config;
    const book = this.sync.book;
    const top = this.midAt(t) === undefined ? undefined : this.#prevTop;
    const bs = this.#bookSlots;
    const fs = this.#flowSlots;
    let k = 0;
    if (!top) {
      for (let i = 0; i < bs.length; i++) out.miss(bs[i] as number);
    } else {
      const mid = midPrice(top);
      out.set(bs[k++] as number, mid);
      out.set(bs[k++] as number, spreadBps(top));
      out.set(bs[k++] as number, micropriceOffsetBps(top));
      for (const n of c.imbalanceLevels) out.set(bs[k++] as number, imbalance(book, n));
      for (const b of c.depthBps) {
        out.set(bs[k++] as number, depthWithin(book, "bid", b));
        out.set(bs[k++] as number, depthWithin(book, "ask", b));
      }
      out.set(bs[k++] as number, bookSlope(book, "bid", c.slopeLevels, mid));
      out.set(bs[k++] as number, bookSlope(book, "ask", c.slopeLevels, mid));
    }
    k = 0;
    const bookAge = this.#syncedSince === undefined || !top ? -1 : t - this.#syncedSince;
    const tradeAge = this.#tradesSince === undefined ? -1 : t - this.#tradesSince;
    for (const w of c.ofiWindowsMs) {
      const slot = fs[k++] as number;
      if (bookAge < w) out.miss(slot);
      else out.set(slot, this.#ofi.sums(t, w).a);
    }
    const flows = c.flowWindowsMs.map((w) => (tradeAge < w ? undefined : this.#trades.sums(t, w)));
    for (const s of flows) {
      const slot = fs[k++] as number;
      if (!s) out.miss(slot);
      else out.set(slot, s.a + s.b === 0 ? 0 : (s.a - s.b) / (s.a + s.b));
    }
    c.flowWindowsMs.forEach((w, i) => {
      const s = flows[i];
      const slot = fs[k++] as number;
      if (!s) out.miss(slot);
      else out.set(slot, s.count / (w / 1000));
    });
    for (const w of c.vwapWindowsMs) {
      const slot = fs[k++] as number;
      const s = tradeAge < w || !top ? undefined : this.#trades.sums(t, w);
      if (!s || s.a + s.b === 0) out.miss(slot);
      else {
        const vwap = s.c / (s.a + s.b);
        out.set(slot, (midPrice(top as TopOfBook) - vwap) / vwap * 10_000);
      }
    }
    for (const w of c.rvWindowsMs) {
      const slot = fs[k++] as number;
      if (bookAge < w) out.miss(slot);
      else out.set(slot, Math.sqrt(this.#rv.sums(t, w).a) * 10_000);
    }
  }

  #restart(): void {
    this.#prevTop = undefined;
    this.#syncedSince = undefined;
    this.#ofi.clear();
    this.#rv.clear();
  }
}
