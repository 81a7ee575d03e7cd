import type { Lots, Ticks } from "../../../core/market/fixed_point.ts";
import { formatPrice, formatSize, type Instrument } from "../../../core/market/instrument.ts";
import { krakenChecksum } from "../../../core/market/kraken_checksum.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import type { FrameFault } from "../faults.ts";
import type { MarketStep } from "../synthetic_market.ts";
import { type SimClient, type SimMarket, VenueServer } from "../venue_server.ts";

type View = Map<string, Map<number, number>>; // "bid"/"ask" -> price -> size

/**
 * Simulated Kraken WS v2 on `/v2`: `subscribe`/`unsubscribe` for `book` (one ack per
 * symbol, a snapshot, then updates of the subscribed depth window with the CRC32 of
 * the top 10; levels pushed out of the window get no delete, as on Kraken) and
 * `trade`; `heartbeat` every second; `ping` -> `pong`. Prices and quantities are
 * JSON numbers written with the pair's full precision.
 */
export class KrakenServer extends VenueServer {
  /** Venue simulated. */
  readonly venue = "kraken" as const;

  /** @param markets The venue's markets. */
  constructor(markets: readonly SimMarket[]) {
    super(markets);
    this.every(1000, () => {
      for (const c of this.clients) this.sendRaw(c, '{"channel":"heartbeat"}');
    });
  }

  /** Base URLs for the adapter. */
  urls(): { ws_url: string; rest_url: string } {
    return { ws_url: `${this.wsBase}/v2`, rest_url: this.httpBase };
  }

  protected rest(): Response {
    return this.json({ error: ["EGeneral:Unknown method"] }, 404);
  }

  protected onOpen(client: SimClient): void {
    if (client.url.pathname !== "/v2") client.socket.close(1008, "unknown path");
    else {
      this.sendRaw(
        client,
        JSON.stringify({
          channel: "status",
          type: "update",
          data: [{ api_version: "v2", connection_id: 1, system: "online", version: "2.0.0" }],
        }),
      );
    }
  }

  protected onText(client: SimClient, text: string): void {
    let msg: {
      method?: string;
      params?: { channel?: string; symbol?: string[]; depth?: number };
      req_id?: number;
    };
    try {
      msg = JSON.parse(text);
    } catch {
      this.sendRaw(client, JSON.stringify({ error: "Malformed request", success: false }));
      return;
    }
    const t = new Date().toISOString();
    if (msg.method === "ping") {
      this.sendRaw(
        client,
        JSON.stringify({ method: "pong", req_id: msg.req_id, time_in: t, time_out: t }),
      );
      return;
    }
    if (msg.method !== "subscribe" && msg.method !== "unsubscribe") return;
    const channel = msg.params?.channel ?? "";
    const depth = msg.params?.depth ?? 10;
    for (const symbol of msg.params?.symbol ?? []) {
      const m = this.markets.get(symbol);
      const ok = m !== undefined && (channel === "book" || channel === "trade");
      const reply: Record<string, unknown> = {
        method: msg.method,
        success: ok,
        time_in: t,
        time_out: t,
      };
      if (msg.req_id !== undefined) reply.req_id = msg.req_id;
      if (!ok) reply.error = "Currency pair not supported";
      else {reply.result = channel === "book"
          ? { channel, depth, snapshot: true, symbol }
          : { channel, symbol };}
      this.sendRaw(client, JSON.stringify(reply));
      if (!ok) continue;
      client.setSub(channel, symbol, msg.method === "subscribe");
      if (channel !== "book") continue;
      if (msg.method === "unsubscribe") {
        client.state.delete(`view:${symbol}`);
        continue;
      }
      client.state.set(`depth:${symbol}`, depth);
      const view = viewOf(m.market.book, depth);
      client.state.set(`view:${symbol}`, view);
      this.sendRaw(client, bookFrame("snapshot", m.inst, view, m.market.book, undefined).text);
    }
  }

  protected publish(m: SimMarket, step: MarketStep, time: number, fault?: FrameFault): void {
    const symbol = m.inst.symbol;
    for (const c of this.clients) {
      const old = c.state.get(`view:${symbol}`) as View | undefined;
      if (old && c.has("book", symbol)) {
        const view = viewOf(m.market.book, c.state.get(`depth:${symbol}`) as number);
        const changes = diffViews(old, view, m.market.book);
        c.state.set(`view:${symbol}`, view);
        if (changes.get("bid")!.size + changes.get("ask")!.size > 0) {
          const now = Date.now();
          const { text, checksum } = bookFrame(
            "update",
            m.inst,
            changes,
            m.market.book,
            fault,
            now,
          );
          this.sendBook(c, symbol, text, fault, `${now}|${checksum}`); // sent_log.ts
        }
      }
      if (step.trades.length === 0 || !c.has("trade", symbol)) continue;
      const data = step.trades.map((tr) =>
        `{"symbol":"${m.inst.venueSymbol}","side":"${tr.takerSide}","price":${
          formatPrice(m.inst, tr.price)
        },"qty":${
          formatSize(m.inst, tr.size)
        },"ord_type":"market","trade_id":${tr.id},"timestamp":"${new Date(time).toISOString()}"}`
      );
      this.sendRaw(c, `{"channel":"trade","type":"update","data":[${data.join(",")}]}`);
    }
  }
}

function viewOf(book: OrderBook, depth: number): View {
  return new Map([
    ["bid", new Map<number, number>(book.top("bid", depth))],
    ["ask", new Map<number, number>(book.top("ask", depth))],
  ]);
}

/** Levels new or changed in the window, and window levels deleted in the truth (size 0). */
function diffViews(old: View, now: View, truth: OrderBook): View {
  const out: View = new Map([["bid", new Map()], ["ask", new Map()]]);
  for (const side of ["bid", "ask"] as const) {
    const o = old.get(side)!;
    const n = now.get(side)!;
    for (const [p, s] of n) if (o.get(p) !== s) out.get(side)!.set(p, s);
    for (const p of o.keys()) {
      if (!n.has(p) && truth.sizeAt(side, p as Ticks) === 0) out.get(side)!.set(p, 0);
    }
  }
  return out;
}

function bookFrame(
  type: string,
  inst: Instrument,
  levels: View,
  truth: OrderBook,
  fault?: FrameFault,
  now = Date.now(),
): { text: string; checksum: number } {
  const side = (s: "bid" | "ask") =>
    [...levels.get(s)!].map(([p, q]) =>
      `{"price":${formatPrice(inst, p as Ticks)},"qty":${formatSize(inst, q as Lots)}}`
    ).join(",");
  let checksum = krakenChecksum(truth);
  if (fault?.kind === "corrupt_checksum") checksum = (checksum ^ 0x5a5a) >>> 0;
  const text =
    `{"channel":"book","type":"${type}","data":[{"symbol":"${inst.venueSymbol}","bids":[${
      side("bid")
    }],"asks":[${side("ask")}],"checksum":${checksum},"timestamp":"${
      new Date(now).toISOString()
    }"}]}`;
  return { text, checksum };
}
