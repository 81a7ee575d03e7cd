import type { BookSync } from "../../../core/market/book_sync.ts";
import { type Instrument, makeInstrument } from "../../../core/market/instrument.ts";
import { KrakenBookSync } from "../../../core/market/kraken_sync.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { type AdapterOptions, type SymbolFeed, VenueAdapter } from "../venue_adapter.ts";
import type { ParsedFrame } from "../venue_item.ts";
import { type KrakenSnapshot, parseKrakenFrame } from "./parse.ts";

/** Options of {@linkcode KrakenAdapter}. */
export interface KrakenOptions extends AdapterOptions {
  /** Subscribed book depth (10, 25, 100, 500, 1000). Default 10. */
  readonly depth?: number;
}

/**
 * Kraken WS v2: `book` (snapshot + updates, CRC32 over the top 10 levels after
 * truncating to the subscribed depth) and `trade`. A checksum failure or crossed
 * book unsubscribes and resubscribes that symbol's book only, for a fresh snapshot.
 */
export class KrakenAdapter extends VenueAdapter {
  /** Venue id. */
  readonly venue = "kraken" as const;
  readonly #depth: number;
  #req = 0;

  /** @param options URLs, instruments, sink, timing and depth. */
  constructor(options: KrakenOptions) {
    super(options);
    this.#depth = options.depth ?? 10;
  }

  protected url(): string {
    return this.options.wsUrl;
  }

  protected subscribe(_group: number, send: (text: string) => void): void {
    const symbol = this.options.instruments.map((i) => i.venueSymbol);
    send(this.#book("subscribe", symbol));
    send(JSON.stringify({
      method: "subscribe",
      params: { channel: "trade", symbol, snapshot: false },
      req_id: ++this.#req,
    }));
  }

  protected parse(text: string, receiveTime: number): ParsedFrame {
    const parsed = parseKrakenFrame(text, { receiveTime, lookup: this.lookup, widen: true });
    for (const item of parsed.items) {
      if (item.kind === "snapshot") this.#checkPrecision(item as KrakenSnapshot);
    }
    return parsed;
  }

  /**
   * The checksum needs the pair's exact text precision. A snapshot written with more
   * decimals than the instrument's text (trailing zeros included) widens the text decimals:
   * the book is rebuilt on the wider instrument (logged once, counted) and this snapshot
   * lands in it, so its checksum verifies.
   */
  #checkPrecision(snap: KrakenSnapshot): void {
    const inst = this.feeds.get(snap.symbol)?.inst;
    const dec = snap.textDecimals;
    if (!inst || !dec) return;
    if (dec.price > inst.priceTextDecimals || dec.qty > inst.sizeTextDecimals) {
      const wide = makeInstrument({
        ...inst,
        priceTextDecimals: Math.max(dec.price, inst.priceTextDecimals),
        sizeTextDecimals: Math.max(dec.qty, inst.sizeTextDecimals),
      });
      this.applyInstrument(
        wide,
        `${snap.symbol} is written with ${dec.price} price / ${dec.qty} qty decimals but the ` +
          `instrument had ${inst.priceTextDecimals} / ${inst.sizeTextDecimals}: text widened`,
        "precision",
      );
    }
  }

  protected makeSync(inst: Instrument): BookSync {
    return new KrakenBookSync(new OrderBook(inst), { depth: this.#depth });
  }

  protected requestSnapshot(feed: SymbolFeed): void {
    const conn = this.connections[feed.group];
    const symbol = [feed.inst.venueSymbol];
    if (!conn?.send(this.#book("unsubscribe", symbol))) {
      feed.pending = false; // the reconnect will subscribe afresh
      return;
    }
    conn.send(this.#book("subscribe", symbol));
  }

  #book(method: "subscribe" | "unsubscribe", symbol: string[]): string {
    const params = method === "subscribe"
      ? { channel: "book", symbol, depth: this.#depth, snapshot: true }
      : { channel: "book", symbol, depth: this.#depth };
    return JSON.stringify({ method, params, req_id: ++this.#req });
  }
}
