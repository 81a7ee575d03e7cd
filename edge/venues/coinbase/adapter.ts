import type { BookSync } from "../../../core/market/book_sync.ts";
import { CoinbaseBookSync } from "../../../core/market/coinbase_sync.ts";
import type { Trade } from "../../../core/market/events.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { type AdapterOptions, type SymbolFeed, VenueAdapter } from "../venue_adapter.ts";
import type { ParsedFrame } from "../venue_item.ts";
import { parseCoinbaseFrame } from "./parse.ts";

/**
 * Coinbase Advanced Trade public channels `level2` (+ `market_trades`, `heartbeats`
 * to keep the subscription open), no keys. `sequence_num` is a per-connection
 * counter, so a break cannot be pinned on one product; each product therefore gets
 * its own connection, and a break resubscribes that product's `level2` only (a
 * fresh snapshot), leaving the other products untouched.
 */
export class CoinbaseAdapter extends VenueAdapter {
  /** Venue id. */
  readonly venue = "coinbase" as const;
  readonly #lastSequence: (number | undefined)[] = [];
  readonly #lastTrade = new Map<string, number>();

  /** @param options URLs, instruments, sink and timing. */
  constructor(options: AdapterOptions) {
    super(options);
  }

  protected override groups(): Instrument[][] {
    return this.options.instruments.map((i) => [i]);
  }

  protected url(): string {
    return this.options.wsUrl;
  }

  protected override onGroupOpen(group: number): void {
    this.#lastSequence[group] = undefined;
  }

  protected subscribe(group: number, send: (text: string) => void): void {
    const product_ids = this.feedsOf(group).map((f) => f.inst.venueSymbol);
    for (const channel of ["heartbeats", "level2", "market_trades"]) {
      send(JSON.stringify({ type: "subscribe", product_ids, channel }));
    }
  }

  protected parse(text: string, receiveTime: number): ParsedFrame {
    return parseCoinbaseFrame(text, { receiveTime, lookup: this.lookup });
  }

  protected override onConnectionSequence(group: number, sequence: number): boolean {
    const last = this.#lastSequence[group];
    // A frame the connection repeated (or an older one): handled already, not a gap.
    if (last !== undefined && sequence <= last) {
      this.counters.repeatedFrames = (this.counters.repeatedFrames ?? 0) + 1;
      return false;
    }
    this.#lastSequence[group] = sequence;
    if (last === undefined || sequence === last + 1) return true;
    for (const f of this.feedsOf(group)) {
      if (f.sync instanceof CoinbaseBookSync) f.sync.onGap();
      f.health.gaps++;
      this.resync(f, "gap");
    }
    return true;
  }

  /** `market_trades` starts with a snapshot of recent trades: drop ids already seen. */
  protected override acceptTrade(trade: Trade): boolean {
    const id = Number(trade.tradeId);
    if (!Number.isSafeInteger(id)) return true;
    const last = this.#lastTrade.get(trade.symbol);
    if (last !== undefined && id <= last) return false;
    this.#lastTrade.set(trade.symbol, id);
    return true;
  }

  protected makeSync(inst: Instrument): BookSync {
    return new CoinbaseBookSync(new OrderBook(inst));
  }

  protected requestSnapshot(feed: SymbolFeed): void {
    const conn = this.connections[feed.group];
    const msg = (type: string) =>
      JSON.stringify({ type, product_ids: [feed.inst.venueSymbol], channel: "level2" });
    if (!conn?.send(msg("unsubscribe"))) {
      feed.pending = false;
      return;
    }
    conn.send(msg("subscribe"));
  }
}
