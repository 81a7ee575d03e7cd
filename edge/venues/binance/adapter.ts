import { BinanceBookSync } from "../../../core/market/binance_sync.ts";
import type { BookSync } from "../../../core/market/book_sync.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { type AdapterOptions, type SymbolFeed, VenueAdapter } from "../venue_adapter.ts";
import type { ParsedFrame } from "../venue_item.ts";
import { parseBinanceFrame } from "./parse.ts";
import { retryAfterDelay } from "../../../core/backoff.ts";

/** Options of {@linkcode BinanceUsAdapter}. */
export interface BinanceUsOptions extends AdapterOptions {
  /** REST snapshot depth (weight 10 at 1000, 50 at 5000). Default 1000. */
  readonly snapshotLimit?: number;
  /** Delay between the snapshot requests of successive symbols, ms. Default 250. */
  readonly snapshotStaggerMs?: number;
}

/**
 * Binance.US: combined streams `<sym>@depth@100ms` + `<sym>@trade` named in the URL
 * (no outbound control messages, so the 5 messages/s inbound limit is never
 * approached), REST `/api/v3/depth` snapshots spliced by {@linkcode BinanceBookSync},
 * staggered per symbol and backed off on HTTP 429/418 (`Retry-After`). The 24 h
 * server close is an ordinary reconnect.
 */
export class BinanceUsAdapter extends VenueAdapter {
  /** Venue id. */
  readonly venue = "binance_us" as const;
  readonly #o: BinanceUsOptions;

  /** @param options URLs, instruments, sink and timing. */
  constructor(options: BinanceUsOptions) {
    super(options);
    this.#o = options;
  }

  protected url(): string {
    const streams = this.options.instruments.flatMap((i) => {
      const s = i.venueSymbol.toLowerCase();
      return [`${s}@depth@100ms`, `${s}@trade`];
    });
    return `${this.options.wsUrl}/stream?streams=${streams.join("/")}`;
  }

  protected subscribe(): void {}

  protected override snapshotLimit(): number {
    return this.#o.snapshotLimit ?? 1000;
  }

  protected parse(text: string, receiveTime: number): ParsedFrame {
    const ev = parseBinanceFrame(text, { venue: this.venue, receiveTime, lookup: this.lookup });
    return ev.kind === "ignored"
      ? { items: [{ kind: "control", type: "ignored", detail: ev.stream }] }
      : { items: [ev] };
  }

  protected makeSync(inst: Instrument): BookSync {
    return new BinanceBookSync(new OrderBook(inst));
  }

  protected requestSnapshot(feed: SymbolFeed): void {
    const index = this.options.instruments.findIndex((i) => i.symbol === feed.inst.symbol);
    this.later(Math.max(0, index) * (this.#o.snapshotStaggerMs ?? 250), () => this.#fetch(feed));
  }

  async #fetch(feed: SymbolFeed): Promise<void> {
    const gen = this.generation[feed.group];
    const url = `${this.options.restUrl}/api/v3/depth?symbol=${feed.inst.venueSymbol}&limit=${
      this.#o.snapshotLimit ?? 1000
    }`;
    const retry = (ms: number) => this.later(ms, () => void this.#fetch(feed));
    let body: string;
    try {
      const res = await this.request(url);
      body = await res.text();
      if (res.status === 429 || res.status === 418) {
        // Seconds or an HTTP date, clamped to 1 s .. 10 min, 60 s when absent (never NaN).
        retry(retryAfterDelay(res.headers.get("retry-after"), this.now()));
        this.noteProblem(
          `snapshot ${feed.inst.venueSymbol}: HTTP ${res.status}, backing off`,
          "request",
        );
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      this.noteProblem(`snapshot ${feed.inst.venueSymbol}: ${(e as Error).message}`, "request");
      retry(this.options.resyncIntervalMs ?? 1000);
      return;
    }
    if (this.generation[feed.group] !== gen) return;
    // A snapshot finer than the instrument widens it (the book is rebuilt at the new scale)
    // and is parsed again at that scale, never dropped.
    for (let widened = 0;; widened++) {
      try {
        const ev = parseBinanceFrame(body, {
          venue: this.venue,
          receiveTime: this.now(),
          lookup: this.lookup,
          snapshotInstrument: feed.inst,
        });
        if (ev.kind === "snapshot") this.route(ev);
        return;
      } catch (e) {
        if (widened < 4 && this.widen(feed, e)) continue;
        this.noteProblem(`snapshot ${feed.inst.venueSymbol}: ${(e as Error).message}`);
        feed.pending = false;
        return;
      }
    }
  }
}
