/**
 * Cross-venue arbitrage monitor: for each symbol and each ordered pair of venues,
 * buying at one venue's best ask and selling at another's best bid, net of both
 * taker fees, with a minimum size and a staleness guard. An opportunity opens
 * when the net edge turns positive (above `minEdgeBps`) and closes when it goes
 * away or a book turns stale; closed opportunities carry their size, edge and
 * duration. Prices of different venues have different decimals, so edges and
 * sizes are computed as floats: they are metrics, never order quantities.
 *
 * @module
 */

/** The top of one venue's book for a symbol. */
export interface BookTop {
  /** Venue. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Best bid price, or undefined. */
  readonly bid: number | undefined;
  /** Size at the best bid (base units). */
  readonly bidSize: number;
  /** Best ask price, or undefined. */
  readonly ask: number | undefined;
  /** Size at the best ask (base units). */
  readonly askSize: number;
  /** Whether the book is synced (a book being resynced must not count). */
  readonly synced: boolean;
  /** Receive time of the book's last update, epoch ms. */
  readonly time: number;
}

/** A closed (or still open) opportunity, as stored (snake_case). */
export interface ArbitrageOpportunity {
  symbol: string;
  buy_venue: string;
  sell_venue: string;
  /** When the net edge first exceeded the threshold, epoch ms. */
  start: number;
  /** When it went away (or the last time it was seen, while open), epoch ms. */
  end: number;
  duration_ms: number;
  /** Net edge when it opened, bps of the buy price. */
  edge_bps_open: number;
  /** Largest net edge seen, bps. */
  edge_bps_max: number;
  /** Largest executable size seen (min of the two touch sizes), base units. */
  size_max: number;
  /** Buy (ask) and sell (bid) prices when it opened. */
  buy_price: number;
  sell_price: number;
  /** Why it closed: "gone", "stale" or "open". */
  reason: "gone" | "stale" | "open";
}

/** Options of {@linkcode ArbitrageMonitor}. */
export interface ArbitrageOptions {
  /** Taker fee per venue, bps. A venue without a fee is not used. */
  readonly takerFeeBps: Readonly<Record<string, number>>;
  /** Least executable size, base units, per symbol or as a default. Default 0. */
  readonly minSize?: number | Readonly<Record<string, number>>;
  /** Least net edge to count, bps. Default 0. */
  readonly minEdgeBps?: number;
  /** A book older than this is stale, ms. Default 5,000. */
  readonly staleAfterMs?: number;
}

/** See the module documentation. */
export class ArbitrageMonitor {
  readonly #o: ArbitrageOptions;
  readonly #tops = new Map<string, Map<string, BookTop>>(); // symbol -> venue -> top
  readonly #open = new Map<string, ArbitrageOpportunity>();
  #closed: ArbitrageOpportunity[] = [];

  /** @param options Fees, minimum size and edge, staleness. */
  constructor(options: ArbitrageOptions) {
    this.#o = options;
  }

  /** Records a venue's new book top and re-evaluates that symbol at `now`. */
  update(top: BookTop, now: number): void {
    let venues = this.#tops.get(top.symbol);
    if (!venues) this.#tops.set(top.symbol, venues = new Map());
    venues.set(top.venue, top);
    this.#evaluate(top.symbol, now);
  }

  /** Re-evaluates every symbol (closes opportunities whose books went stale). */
  tick(now: number): void {
    for (const symbol of this.#tops.keys()) this.#evaluate(symbol, now);
  }

  /** Opportunities open now. */
  open(): ArbitrageOpportunity[] {
    return [...this.#open.values()].map((o) => ({ ...o }));
  }

  /** Takes the opportunities closed since the last call. */
  drainClosed(): ArbitrageOpportunity[] {
    const out = this.#closed;
    this.#closed = [];
    return out;
  }

  /** Closes every open opportunity (at shutdown) and returns all not yet drained. */
  closeAll(now: number): ArbitrageOpportunity[] {
    for (const [key, o] of this.#open) this.#close(key, o, now, "open");
    return this.drainClosed();
  }

  #evaluate(symbol: string, now: number): void {
    const venues = this.#tops.get(symbol);
    if (!venues) return;
    const stale = this.#o.staleAfterMs ?? 5_000;
    const minEdge = this.#o.minEdgeBps ?? 0;
    const minSize = typeof this.#o.minSize === "number"
      ? this.#o.minSize
      : this.#o.minSize?.[symbol] ?? 0;
    const seen = new Set<string>();
    for (const buy of venues.values()) {
      for (const sell of venues.values()) {
        if (buy.venue === sell.venue) continue;
        const key = `${symbol}|${buy.venue}|${sell.venue}`;
        const fb = this.#o.takerFeeBps[buy.venue];
        const fs = this.#o.takerFeeBps[sell.venue];
        const fresh = buy.synced && sell.synced && now - buy.time <= stale &&
          now - sell.time <= stale;
        if (!fresh || fb === undefined || fs === undefined || !buy.ask || !sell.bid) {
          const o = this.#open.get(key);
          if (o) this.#close(key, o, now, fresh ? "gone" : "stale");
          continue;
        }
        const edge = ((sell.bid * (1 - fs / 10_000) - buy.ask * (1 + fb / 10_000)) / buy.ask) *
          10_000;
        const size = Math.min(buy.askSize, sell.bidSize);
        if (edge <= minEdge || size < minSize) continue;
        seen.add(key);
        const o = this.#open.get(key);
        if (o) {
          o.end = now;
          o.duration_ms = now - o.start;
          o.edge_bps_max = Math.max(o.edge_bps_max, edge);
          o.size_max = Math.max(o.size_max, size);
        } else {
          this.#open.set(key, {
            symbol,
            buy_venue: buy.venue,
            sell_venue: sell.venue,
            start: now,
            end: now,
            duration_ms: 0,
            edge_bps_open: edge,
            edge_bps_max: edge,
            size_max: size,
            buy_price: buy.ask,
            sell_price: sell.bid,
            reason: "open",
          });
        }
      }
    }
    for (const [key, o] of this.#open) {
      if (o.symbol === symbol && !seen.has(key)) this.#close(key, o, now, "gone");
    }
  }

  #close(
    key: string,
    o: ArbitrageOpportunity,
    now: number,
    reason: ArbitrageOpportunity["reason"],
  ) {
    this.#open.delete(key);
    o.end = now;
    o.duration_ms = now - o.start;
    o.reason = reason;
    this.#closed.push(o);
  }
}
