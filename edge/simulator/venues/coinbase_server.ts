import type { LevelUpdate } from "../../../core/market/events.ts";
import { formatPrice, formatSize, type Instrument } from "../../../core/market/instrument.ts";
import type { FrameFault } from "../faults.ts";
import type { MarketStep } from "../synthetic_market.ts";
import { type SimClient, type SimMarket, VenueServer } from "../venue_server.ts";

/**
 * Simulated Coinbase Advanced Trade market data: subscribe / unsubscribe messages
 * per channel (`level2` answered on `l2_data` with a snapshot then updates, sides
 * "bid"/"offer"; `market_trades`; `heartbeats` every second), every message
 * carrying the connection's `sequence_num`.
 */
export class CoinbaseServer extends VenueServer {
  /** Venue simulated. */
  readonly venue = "coinbase" as const;
  #heartbeat = 0;

  /** @param markets The venue's markets. */
  constructor(markets: readonly SimMarket[]) {
    super(markets);
    this.every(1000, () => {
      this.#heartbeat++;
      for (const c of this.clients) {
        if ((c.subs.get("heartbeats")?.size ?? 0) === 0) continue;
        this.sendRaw(
          c,
          this.#envelope(c, "heartbeats", [{
            current_time: new Date().toISOString(),
            heartbeat_counter: this.#heartbeat,
          }]),
        );
      }
    });
  }

  /** Base URLs for the adapter. */
  urls(): { ws_url: string; rest_url: string } {
    return { ws_url: this.wsBase, rest_url: this.httpBase };
  }

  protected rest(): Response {
    return this.json({ error: "NOT_FOUND" }, 404);
  }

  protected onOpen(): void {}

  protected onText(client: SimClient, text: string): void {
    let msg: { type?: string; product_ids?: string[]; channel?: string };
    try {
      msg = JSON.parse(text);
    } catch {
      this.sendRaw(client, JSON.stringify({ type: "error", message: "malformed message" }));
      return;
    }
    const on = msg.type === "subscribe";
    if (!on && msg.type !== "unsubscribe") return;
    const channel = msg.channel ?? "";
    const markets = (msg.product_ids ?? []).map((id) => this.#byProduct(id));
    if (markets.some((m) => !m) || !["level2", "market_trades", "heartbeats"].includes(channel)) {
      this.sendRaw(client, JSON.stringify({ type: "error", message: "Failed to subscribe" }));
      return;
    }
    for (const m of markets as SimMarket[]) client.setSub(channel, m.inst.symbol, on);
    this.sendRaw(
      client,
      this.#envelope(client, "subscriptions", [{ subscriptions: { [channel]: msg.product_ids } }]),
    );
    if (!on) return;
    for (const m of markets as SimMarket[]) {
      if (channel === "level2") {
        const book = m.market.book;
        const updates = [
          ...sideUpdates(m.inst, "bid", book.top("bid")),
          ...sideUpdates(m.inst, "offer", book.top("ask")),
        ];
        this.sendRaw(
          client,
          this.#envelope(client, "l2_data", [{
            type: "snapshot",
            product_id: m.inst.venueSymbol,
            updates,
          }]),
        );
      } else if (channel === "market_trades") {
        this.sendRaw(
          client,
          this.#envelope(client, "market_trades", [{ type: "snapshot", trades: [] }]),
        );
      }
    }
  }

  protected publish(m: SimMarket, step: MarketStep, time: number, fault?: FrameFault): void {
    const updates = [
      ...sideUpdates(m.inst, "bid", step.bids),
      ...sideUpdates(m.inst, "offer", step.asks),
    ];
    for (const c of this.clients) {
      if (updates.length > 0 && c.has("level2", m.inst.symbol)) {
        const key = `${Math.floor(time)}|${c.sequence}`; // sent_log.ts
        const text = this.#envelope(c, "l2_data", [{
          type: "update",
          product_id: m.inst.venueSymbol,
          updates,
        }], time);
        this.sendBook(c, m.inst.symbol, text, fault, key);
      }
      if (step.trades.length > 0 && c.has("market_trades", m.inst.symbol)) {
        const trades = step.trades.map((t) => ({
          product_id: m.inst.venueSymbol,
          trade_id: String(t.id),
          price: formatPrice(m.inst, t.price),
          size: formatSize(m.inst, t.size),
          time: new Date(time).toISOString(),
          side: t.takerSide === "buy" ? "BUY" : "SELL",
        }));
        this.sendRaw(c, this.#envelope(c, "market_trades", [{ type: "update", trades }], time));
      }
    }
  }

  /** Builds a message; the connection's sequence number advances even if the frame is then dropped. */
  #envelope(c: SimClient, channel: string, events: unknown[], time = Date.now()): string {
    return JSON.stringify({
      channel,
      client_id: "",
      timestamp: new Date(time).toISOString(),
      sequence_num: c.sequence++,
      events,
    });
  }

  #byProduct(id: string): SimMarket | undefined {
    return [...this.markets.values()].find((m) => m.inst.venueSymbol === id);
  }
}

function sideUpdates(inst: Instrument, side: "bid" | "offer", levels: readonly LevelUpdate[]) {
  return levels.map(([p, s]) => ({
    side,
    event_time: new Date().toISOString(),
    price_level: formatPrice(inst, p),
    new_quantity: formatSize(inst, s),
  }));
}
