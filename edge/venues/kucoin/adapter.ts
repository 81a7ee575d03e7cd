import type { BookSync } from "../../../core/market/book_sync.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import { KucoinBookSync } from "../../../core/market/kucoin_sync.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { type AdapterOptions, type SymbolFeed, VenueAdapter } from "../venue_adapter.ts";
import type { ControlItem, ParsedFrame } from "../venue_item.ts";
import { parseKucoinBullet, parseKucoinFrame, parseKucoinSnapshot } from "./parse.ts";
import { retryAfterDelay } from "../../../core/backoff.ts";

/** Options of {@linkcode KucoinAdapter}. */
export interface KucoinOptions extends AdapterOptions {
  /** REST snapshot path. Default the public `/api/v1/market/orderbook/level2_100` (top 100; the full v3 book needs keys). */
  readonly snapshotPath?: string;
}

/**
 * KuCoin spot: `POST /api/v1/bullet-public` for a token and endpoint on every
 * connect, subscribe after `welcome`, ping every `pingInterval`, `/market/level2`
 * increments spliced into REST snapshots by {@linkcode KucoinBookSync}, and
 * `/market/match` trades.
 */
export class KucoinAdapter extends VenueAdapter {
  /** Venue id. */
  readonly venue = "kucoin" as const;
  readonly #o: KucoinOptions;
  #pingInterval = 18_000;
  #ping: ReturnType<typeof setInterval> | undefined;
  #send: ((text: string) => void) | undefined;
  #id = 0;

  /** @param options URLs, instruments, sink and timing. */
  constructor(options: KucoinOptions) {
    super(options);
    this.#o = options;
  }

  protected async url(): Promise<string> {
    const res = await this.request(`${this.options.restUrl}/api/v1/bullet-public`, {
      method: "POST",
    });
    const bullet = parseKucoinBullet(await res.text());
    this.#pingInterval = bullet.pingInterval;
    const sep = bullet.endpoint.includes("?") ? "&" : "?";
    return `${bullet.endpoint}${sep}token=${encodeURIComponent(bullet.token)}&connectId=${++this
      .#id}`;
  }

  protected subscribe(_group: number, send: (text: string) => void): void {
    this.#send = send; // subscriptions go out once the welcome arrives
    clearInterval(this.#ping);
    this.#ping = setInterval(
      () => send(JSON.stringify({ id: String(++this.#id), type: "ping" })),
      this.#pingInterval,
    );
  }

  protected override onControl(_group: number, item: ControlItem): void {
    if (item.type !== "welcome" || !this.#send) return;
    const symbols = this.options.instruments.map((i) => i.venueSymbol).join(",");
    for (const topic of [`/market/level2:${symbols}`, `/market/match:${symbols}`]) {
      this.#send(JSON.stringify({
        id: String(++this.#id),
        type: "subscribe",
        topic,
        privateChannel: false,
        response: true,
      }));
    }
  }

  protected override snapshotLimit(): number | undefined {
    const path = this.#o.snapshotPath ?? "/api/v1/market/orderbook/level2_100";
    const m = /level2_(\d+)$/.exec(path);
    return m ? Number(m[1]) : undefined; // the v3 endpoint returns the full book
  }

  protected parse(text: string, receiveTime: number): ParsedFrame {
    return parseKucoinFrame(text, { receiveTime, lookup: this.lookup, widen: true });
  }

  protected makeSync(inst: Instrument): BookSync {
    return new KucoinBookSync(new OrderBook(inst));
  }

  override async stop(): Promise<void> {
    clearInterval(this.#ping);
    await super.stop();
  }

  protected requestSnapshot(feed: SymbolFeed): void {
    void this.#fetch(feed);
  }

  async #fetch(feed: SymbolFeed): Promise<void> {
    const gen = this.generation[feed.group];
    const path = this.#o.snapshotPath ?? "/api/v1/market/orderbook/level2_100";
    let body: string;
    try {
      const res = await this.request(
        `${this.options.restUrl}${path}?symbol=${feed.inst.venueSymbol}`,
      );
      body = await res.text();
      if (res.status === 429) {
        // Rate limited: wait as asked (seconds or an HTTP date, clamped), 60 s when not said.
        this.noteProblem(`snapshot ${feed.inst.venueSymbol}: HTTP 429, backing off`, "request");
        const wait = retryAfterDelay(res.headers.get("retry-after"), this.now());
        this.later(wait, () => void this.#fetch(feed));
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      this.noteProblem(`snapshot ${feed.inst.venueSymbol}: ${(e as Error).message}`, "request");
      this.later(this.options.resyncIntervalMs ?? 1000, () => void this.#fetch(feed));
      return;
    }
    if (this.generation[feed.group] !== gen) return;
    // A snapshot finer than the instrument widens it and is parsed again, never dropped.
    for (let widened = 0;; widened++) {
      try {
        const drops = { n: 0, widen: true };
        const snap = parseKucoinSnapshot(body, feed.inst, this.now(), drops);
        this.counters.droppedLevels += drops.n;
        this.route(snap);
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
