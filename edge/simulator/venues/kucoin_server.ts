import type { LevelUpdate } from "../../../core/market/events.ts";
import { formatPrice, formatSize, type Instrument } from "../../../core/market/instrument.ts";
import type { FrameFault } from "../faults.ts";
import type { MarketStep } from "../synthetic_market.ts";
import { type SimClient, type SimMarket, VenueServer } from "../venue_server.ts";

/**
 * Simulated KuCoin spot: `POST /api/v1/bullet-public` (token + endpoint + ping
 * timing), WebSocket `/endpoint?token=...&connectId=...` (welcome, subscribe ack,
 * ping/pong, `/market/level2` increments with `sequenceStart`/`sequenceEnd` and a
 * sequence per record, `/market/match`), and level-2 REST snapshots
 * (`/api/v1/market/orderbook/level2_100`, `/api/v3/market/orderbook/level2`).
 */
export class KucoinServer extends VenueServer {
  /** Venue simulated. */
  readonly venue = "kucoin" as const;
  readonly #sequence = new Map<string, number>();
  #tokens = 0;

  /** @param markets The venue's markets. */
  constructor(markets: readonly SimMarket[]) {
    super(markets);
    for (const m of markets) this.#sequence.set(m.inst.symbol, 1_614_000_000_000);
  }

  /** Base URLs for the adapter (the WebSocket endpoint comes from bullet-public). */
  urls(): { ws_url: string; rest_url: string } {
    return { ws_url: `${this.wsBase}/endpoint`, rest_url: this.httpBase };
  }

  protected rest(url: URL, req: Request): Response {
    if (url.pathname === "/api/v1/bullet-public" && req.method === "POST") {
      return this.json({
        code: "200000",
        data: {
          token: `sim-token-${++this.#tokens}`,
          instanceServers: [{
            endpoint: `${this.wsBase}/endpoint`,
            encrypt: false,
            protocol: "websocket",
            pingInterval: 18000,
            pingTimeout: 10000,
          }],
        },
      });
    }
    const depth = url.pathname === "/api/v1/market/orderbook/level2_100"
      ? 100
      : url.pathname === "/api/v3/market/orderbook/level2"
      ? Infinity
      : 0;
    if (depth === 0) return this.json({ code: "404000", msg: "Not Found" }, 404);
    const m = this.#bySymbol(url.searchParams.get("symbol") ?? "");
    if (!m) return this.json({ code: "400100", msg: "symbol not exists" }, 400);
    return this.json({
      code: "200000",
      data: {
        time: Date.now(),
        sequence: String(this.#sequence.get(m.inst.symbol)),
        bids: pairs(m.inst, m.market.book.top("bid", depth)),
        asks: pairs(m.inst, m.market.book.top("ask", depth)),
      },
    });
  }

  protected onOpen(client: SimClient): void {
    if (client.url.pathname !== "/endpoint" || !client.url.searchParams.get("token")) {
      client.socket.close(1008, "token required");
      return;
    }
    const id = client.url.searchParams.get("connectId") ?? "sim";
    this.sendRaw(client, JSON.stringify({ id, type: "welcome" }));
  }

  protected onText(client: SimClient, text: string): void {
    let msg: { id?: string; type?: string; topic?: string; response?: boolean };
    try {
      msg = JSON.parse(text);
    } catch {
      this.sendRaw(client, JSON.stringify({ type: "error", code: 400, data: "malformed" }));
      return;
    }
    if (msg.type === "ping") {
      this.sendRaw(client, JSON.stringify({ id: msg.id, type: "pong" }));
      return;
    }
    if (msg.type !== "subscribe" && msg.type !== "unsubscribe") return;
    const [prefix, list] = (msg.topic ?? "").split(":");
    const channel = prefix === "/market/level2"
      ? "level2"
      : prefix === "/market/match"
      ? "match"
      : "";
    const markets = (list ?? "").split(",").map((s) => this.#bySymbol(s));
    if (!channel || markets.some((m) => !m)) {
      this.sendRaw(
        client,
        JSON.stringify({ id: msg.id, type: "error", code: 404, data: "topic not found" }),
      );
      return;
    }
    for (const m of markets as SimMarket[]) {
      client.setSub(channel, m.inst.symbol, msg.type === "subscribe");
    }
    if (msg.response) this.sendRaw(client, JSON.stringify({ id: msg.id, type: "ack" }));
  }

  protected publish(m: SimMarket, step: MarketStep, time: number, fault?: FrameFault): void {
    const symbol = m.inst.symbol;
    let seq = this.#sequence.get(symbol) as number;
    const start = seq + 1;
    const rec = (lv: readonly LevelUpdate[]) =>
      lv.map(([p, s]) => [formatPrice(m.inst, p), formatSize(m.inst, s), String(++seq)]);
    const bids = rec(step.bids);
    const asks = rec(step.asks);
    this.#sequence.set(symbol, seq);
    const l2 = seq < start ? undefined : JSON.stringify({
      type: "message",
      topic: `/market/level2:${m.inst.venueSymbol}`,
      subject: "trade.l2update",
      data: {
        changes: { asks, bids },
        sequenceEnd: seq,
        sequenceStart: start,
        symbol: m.inst.venueSymbol,
        time: Math.floor(time),
      },
    });
    for (const c of this.clients) {
      if (l2 && c.has("level2", symbol)) this.sendBook(c, symbol, l2, fault, `${start}-${seq}`);
      if (!c.has("match", symbol)) continue;
      for (const t of step.trades) {
        this.sendRaw(
          c,
          JSON.stringify({
            type: "message",
            topic: `/market/match:${m.inst.venueSymbol}`,
            subject: "trade.l3match",
            data: {
              symbol: m.inst.venueSymbol,
              sequence: String(seq),
              side: t.takerSide,
              size: formatSize(m.inst, t.size),
              price: formatPrice(m.inst, t.price),
              takerOrderId: `t${t.id}`,
              time: `${Math.floor(time)}000000`,
              type: "match",
              makerOrderId: `m${t.id}`,
              tradeId: `sim${t.id}`,
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

function pairs(inst: Instrument, lv: readonly LevelUpdate[]): [string, string][] {
  return lv.map(([p, s]) => [formatPrice(inst, p), formatSize(inst, s)]);
}
