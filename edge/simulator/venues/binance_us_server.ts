import { formatPrice, formatSize } from "../../../core/market/instrument.ts";
import type { LevelUpdate } from "../../../core/market/events.ts";
import type { Instrument } from "../../../core/market/instrument.ts";
import type { FrameFault } from "../faults.ts";
import type { MarketStep } from "../synthetic_market.ts";
import { type SimClient, type SimMarket, VenueServer } from "../venue_server.ts";

/**
 * Simulated Binance.US: `GET /stream?streams=<sym>@depth@100ms/<sym>@trade/...`
 * (combined-stream envelopes with `U`/`u` update ids) and `GET /api/v3/depth`
 * snapshots with `lastUpdateId`.
 */
export class BinanceUsServer extends VenueServer {
  /** Venue simulated. */
  readonly venue = "binance_us" as const;
  readonly #updateId = new Map<string, number>();

  /** @param markets The venue's markets. */
  constructor(markets: readonly SimMarket[]) {
    super(markets);
    for (const m of markets) this.#updateId.set(m.inst.symbol, 1_000_000);
  }

  /** Base URLs for the adapter. */
  urls(): { ws_url: string; rest_url: string } {
    return { ws_url: this.wsBase, rest_url: this.httpBase };
  }

  protected rest(url: URL): Response {
    if (url.pathname !== "/api/v3/depth") return this.json({ code: -1, msg: "not found" }, 404);
    const m = this.#bySymbol(url.searchParams.get("symbol") ?? "");
    if (!m) return this.json({ code: -1121, msg: "Invalid symbol." }, 400);
    const limit = Math.min(5000, Number(url.searchParams.get("limit") ?? "100"));
    const book = m.market.book;
    return this.json({
      lastUpdateId: this.#updateId.get(m.inst.symbol),
      bids: levels(m.inst, book.top("bid", limit)),
      asks: levels(m.inst, book.top("ask", limit)),
    });
  }

  protected onOpen(client: SimClient): void {
    if (client.url.pathname !== "/stream") {
      client.socket.close(1008, "unknown path");
      return;
    }
    for (const stream of (client.url.searchParams.get("streams") ?? "").split("/")) {
      const [sym, channel] = stream.split("@");
      const m = this.#bySymbol((sym ?? "").toUpperCase());
      if (m && channel) client.setSub(channel, m.inst.symbol, true);
    }
  }

  protected onText(): void {}

  protected publish(m: SimMarket, step: MarketStep, time: number, fault?: FrameFault): void {
    const sym = m.inst.venueSymbol;
    const lower = sym.toLowerCase();
    const first = (this.#updateId.get(m.inst.symbol) as number) + 1;
    const last = first + step.bids.length + step.asks.length - 1;
    if (last >= first) this.#updateId.set(m.inst.symbol, last);
    const depth = last < first ? undefined : JSON.stringify({
      stream: `${lower}@depth@100ms`,
      data: {
        e: "depthUpdate",
        E: Math.floor(time),
        s: sym,
        U: first,
        u: last,
        b: levels(m.inst, step.bids),
        a: levels(m.inst, step.asks),
      },
    });
    for (const c of this.clients) {
      if (depth && c.has("depth", m.inst.symbol)) {
        this.sendBook(c, m.inst.symbol, depth, fault, `${first}-${last}`);
      }
      if (!c.has("trade", m.inst.symbol)) continue;
      for (const t of step.trades) {
        this.sendRaw(
          c,
          JSON.stringify({
            stream: `${lower}@trade`,
            data: {
              e: "trade",
              E: Math.floor(time),
              s: sym,
              t: t.id,
              p: formatPrice(m.inst, t.price),
              q: formatSize(m.inst, t.size),
              T: Math.floor(time),
              m: t.takerSide === "sell",
              M: true,
            },
          }),
        );
      }
    }
  }

  #bySymbol(venueSymbol: string): SimMarket | undefined {
    return [...this.markets.values()].find((m) => m.inst.venueSymbol === venueSymbol);
  }
}

function levels(inst: Instrument, lv: readonly LevelUpdate[]): [string, string][] {
  return lv.map(([p, s]) => [formatPrice(inst, p), formatSize(inst, s)]);
}
