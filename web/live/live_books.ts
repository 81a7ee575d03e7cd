import type { LevelUpdate } from "../../core/market/events.ts";
import { makeInstrument, type VenueId } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { scaledToNumber } from "../../core/market/fixed_point.ts";
import type { StoreReader } from "../data/store_reader.ts";
import type { BookDepth, InstrumentView, TopOfBook } from "./types.ts";

interface SnapshotRow {
  id: number;
  venue: string;
  symbol: string;
  source: string;
  receive_time: number;
  sequence: number;
  bids: string;
  asks: string;
}

interface DeltaRow {
  seq: number;
  venue: string;
  symbol: string;
  receive_time: number;
  last_sequence: number;
  bids: string;
  asks: string;
}

interface LiveBook {
  book: OrderBook;
  lastSequence: number;
  time: number;
}

const SNAPSHOT_COLUMNS = "id, venue, symbol, source, receive_time, sequence, bids, asks";
const DELTA_COLUMNS = "seq, venue, symbol, receive_time, last_sequence, bids, asks";

/**
 * Rebuilds each venue's live order book from the store with core's {@linkcode OrderBook}: the
 * latest `order_books` picture, then the `book_deltas` after it (skipping deltas whose
 * `last_sequence` the picture already covers). A venue snapshot (resync) resets its book.
 */
export class LiveBooks {
  readonly #reader: StoreReader;
  readonly #books = new Map<string, LiveBook>();
  #snapCursor = 0;
  #deltaCursor = 0;
  #seeded = false;
  /** Most deltas applied per {@linkcode advance} (the rest follow on the next call). */
  readonly batchLimit: number;

  /**
   * @param reader The store.
   * @param batchLimit Most deltas per call.
   */
  constructor(reader: StoreReader, batchLimit = 20_000) {
    this.#reader = reader;
    this.batchLimit = batchLimit;
  }

  /**
   * Applies what the store gained since the last call.
   *
   * @param instruments Known instruments (decimals).
   * @returns Keys ("venue symbol") of the books that changed.
   */
  advance(instruments: readonly InstrumentView[]): Set<string> {
    const changed = new Set<string>();
    if (!this.#seeded) {
      if (!this.#reader.hasTable("order_books") || !this.#reader.hasTable("book_deltas")) {
        return changed;
      }
      this.#seed(instruments, changed);
      this.#seeded = true;
    }
    const snaps = this.#reader.all<SnapshotRow>(
      ["order_books"],
      `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id > ? ORDER BY id`,
      this.#snapCursor,
    );
    for (const s of snaps) {
      this.#snapCursor = s.id;
      const key = `${s.venue} ${s.symbol}`;
      if (s.source === "venue" || !this.#books.has(key)) {
        if (this.#reset(s, instruments)) changed.add(key);
      }
    }
    const deltas = this.#reader.all<DeltaRow>(
      ["book_deltas"],
      `SELECT ${DELTA_COLUMNS} FROM book_deltas WHERE seq > ? ORDER BY seq LIMIT ?`,
      this.#deltaCursor,
      this.batchLimit,
    );
    for (const d of deltas) {
      this.#deltaCursor = d.seq;
      const key = `${d.venue} ${d.symbol}`;
      const live = this.#books.get(key);
      if (!live) continue;
      if (
        live.lastSequence > 0 ? d.last_sequence <= live.lastSequence : d.receive_time < live.time
      ) {
        continue;
      }
      live.book.applyLevels("bid", JSON.parse(d.bids) as LevelUpdate[]);
      live.book.applyLevels("ask", JSON.parse(d.asks) as LevelUpdate[]);
      live.lastSequence = d.last_sequence;
      live.time = d.receive_time;
      changed.add(key);
    }
    return changed;
  }

  /** Keys of the books being tracked. */
  keys(): string[] {
    return [...this.#books.keys()].sort();
  }

  /** Top of book of `key`, decoded. */
  top(key: string): TopOfBook | undefined {
    const live = this.#books.get(key);
    if (!live) return undefined;
    const { book } = live;
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
    const inst = live.book.instrument;
    const cumulative = (side: "bid" | "ask"): [number, number][] => {
      let sum = 0;
      return live.book.top(side, levels).map(([p, s]) => {
        sum += s;
        return [scaledToNumber(p, inst.priceDecimals), scaledToNumber(sum, inst.sizeDecimals)];
      });
    };
    return { ...top, bids: cumulative("bid"), asks: cumulative("ask") };
  }

  #seed(instruments: readonly InstrumentView[], changed: Set<string>): void {
    const latest = this.#reader.all<SnapshotRow>(
      ["order_books"],
      `SELECT ${SNAPSHOT_COLUMNS} FROM order_books WHERE id IN
         (SELECT MAX(id) FROM order_books GROUP BY venue, symbol) ORDER BY id`,
    );
    let from = Infinity;
    for (const s of latest) {
      if (!this.#reset(s, instruments)) continue;
      changed.add(`${s.venue} ${s.symbol}`);
      const first = this.#reader.get<{ seq: number | null }>(
        ["book_deltas"],
        `SELECT MIN(seq) AS seq FROM book_deltas
          WHERE venue = ? AND symbol = ? AND receive_time >= ?`,
        s.venue,
        s.symbol,
        s.receive_time,
      );
      if (typeof first?.seq === "number") from = Math.min(from, first.seq - 1);
    }
    const maxSnap = this.#reader.get<{ id: number | null }>(
      ["order_books"],
      "SELECT MAX(id) AS id FROM order_books",
    );
    this.#snapCursor = maxSnap?.id ?? 0;
    const maxDelta = this.#reader.get<{ seq: number | null }>(
      ["book_deltas"],
      "SELECT MAX(seq) AS seq FROM book_deltas",
    );
    this.#deltaCursor = Number.isFinite(from) ? from : maxDelta?.seq ?? 0;
  }

  #reset(s: SnapshotRow, instruments: readonly InstrumentView[]): boolean {
    const key = `${s.venue} ${s.symbol}`;
    const info = instruments.find((i) => i.venue === s.venue && i.symbol === s.symbol);
    if (!info) return false;
    let live = this.#books.get(key);
    if (!live) {
      const inst = makeInstrument({
        venue: s.venue as VenueId,
        symbol: s.symbol,
        priceDecimals: info.price_decimals,
        sizeDecimals: info.size_decimals,
      });
      live = { book: new OrderBook(inst), lastSequence: 0, time: 0 };
      this.#books.set(key, live);
    }
    live.book.applySnapshot({
      bids: JSON.parse(s.bids) as LevelUpdate[],
      asks: JSON.parse(s.asks) as LevelUpdate[],
    });
    live.lastSequence = s.sequence;
    live.time = s.receive_time;
    return true;
  }
}
