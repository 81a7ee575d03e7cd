/**
 * Shared machinery of the simulated venues: an HTTP + WebSocket server on
 * 127.0.0.1, the connected clients, one truth market per symbol, and fault
 * injection at the point where book frames are sent.
 *
 * @module
 */

import { metadataBody } from "./metadata_bodies.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import type { Fault, FrameFault } from "./faults.ts";
import type { MarketSource, MarketStep } from "./synthetic_market.ts";

/** A connected WebSocket client of a simulated venue. */
export class SimClient {
  /** Server side of the socket. */
  readonly socket: WebSocket;
  /** Request URL the client connected with. */
  readonly url: URL;
  /** Venue-specific subscription state. */
  readonly subs: Map<string, Set<string>> = new Map();
  /** Connection-level message counter (Coinbase `sequence_num`). */
  sequence = 0;
  /** Frames held back by a reorder fault, by symbol. */
  readonly held: Map<string, string> = new Map();
  /** Sent-log keys of the held frames, by symbol. */
  readonly heldKeys: Map<string, string | undefined> = new Map();
  /** Venue-specific per-client state. */
  readonly state: Map<string, unknown> = new Map();

  /**
   * @param socket Server side of the socket.
   * @param url Request URL.
   */
  constructor(socket: WebSocket, url: URL) {
    this.socket = socket;
    this.url = url;
  }

  /** True when the client subscribed `channel` for `symbol`. */
  has(channel: string, symbol: string): boolean {
    return this.subs.get(channel)?.has(symbol) ?? false;
  }

  /** Adds or removes a subscription. */
  setSub(channel: string, symbol: string, on: boolean): void {
    let set = this.subs.get(channel);
    if (!set) this.subs.set(channel, set = new Set());
    if (on) set.add(symbol);
    else set.delete(symbol);
  }
}

/** A simulated market for one symbol of a venue. */
export interface SimMarket {
  /** Instrument (the venue's precision and symbol). */
  readonly inst: Instrument;
  /** The truth and its driver. */
  readonly market: MarketSource;
}

/** Counters of a simulated venue. */
export interface SimCounters {
  /** Frames sent. */
  sent: number;
  /** Book frames dropped, reordered, duplicated or corrupted on purpose. */
  faulted: number;
  /** WebSocket connections accepted. */
  connections: number;
  /** REST requests served. */
  rest: number;
}

/** Base of the simulated venues. */
export abstract class VenueServer {
  /** Venue simulated. */
  abstract readonly venue: VenueId;
  /** Markets by normalized symbol. */
  readonly markets: Map<string, SimMarket>;
  /** Connected clients. */
  readonly clients: Set<SimClient> = new Set();
  /** Counters. */
  readonly counters: SimCounters = { sent: 0, faulted: 0, connections: 0, rest: 0 };
  /** Called with every frame sent (recording, fuzzing corpora). */
  tap: ((text: string) => void) | undefined;
  /** Called with the sent-log key of every book delta sent (sent_log.ts). */
  sentLog: ((symbol: string, key: string) => void) | undefined;
  #server: Deno.HttpServer | undefined;
  #port = 0;
  #faults: FrameFault[] = [];
  #faultUsed = false;
  #stalledUntil = 0;
  #symbolStalls = new Map<string, number>();
  #timers = new Set<ReturnType<typeof setInterval>>();

  /** @param markets The venue's markets. */
  constructor(markets: readonly SimMarket[]) {
    this.markets = new Map(markets.map((m) => [m.inst.symbol, m]));
  }

  /** Listening port (after {@linkcode VenueServer.start}). */
  get port(): number {
    return this.#port;
  }

  /** `http://127.0.0.1:PORT`. */
  get httpBase(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** `ws://127.0.0.1:PORT`. */
  get wsBase(): string {
    return `ws://127.0.0.1:${this.#port}`;
  }

  /** The base URLs an adapter is configured with (`ws_url`, `rest_url`). */
  abstract urls(): { ws_url: string; rest_url: string };

  /** Answers a REST request. */
  protected abstract rest(url: URL, req: Request): Response | Promise<Response>;
  /** A client connected. */
  protected abstract onOpen(client: SimClient): void;
  /** A client sent a text frame. */
  protected abstract onText(client: SimClient, text: string): void;
  /** Encodes and sends one market step of a symbol to the subscribed clients. */
  protected abstract publish(
    m: SimMarket,
    step: MarketStep,
    time: number,
    fault?: FrameFault,
  ): void;

  /** Listens on 127.0.0.1 (port 0 = any free port). */
  start(port = 0): Promise<void> {
    const ready = Promise.withResolvers<void>();
    this.#server = Deno.serve({
      hostname: "127.0.0.1",
      port,
      onListen: (addr) => {
        this.#port = (addr as Deno.NetAddr).port;
        ready.resolve();
      },
    }, (req) => this.#handle(req));
    return ready.promise;
  }

  /** Closes every client and the server. */
  async stop(): Promise<void> {
    for (const t of this.#timers) clearInterval(t);
    for (const c of this.clients) {
      try {
        c.socket.close(1001, "simulator stopping");
      } catch { /* closed */ }
    }
    this.clients.clear();
    await this.#server?.shutdown();
  }

  /** Advances every market one step and publishes it. */
  step(time: number): void {
    for (const m of this.markets.values()) {
      const step = m.market.step();
      if ((this.#symbolStalls.get(m.inst.symbol) ?? 0) > time) {
        // A silently stopped subscription: the venue's sequences move on, frames are lost.
        this.publish(m, step, time, { kind: "drop", symbol: m.inst.symbol });
        continue;
      }
      const i = this.#faults.findIndex((f) => f.symbol === m.inst.symbol);
      const fault = i >= 0 ? this.#faults[i] : undefined;
      this.#faultUsed = false;
      this.publish(m, step, time, fault);
      // A fault applies to a frame actually sent (Kraken sends nothing when the window is unchanged).
      if (fault && this.#faultUsed) {
        this.#faults.splice(i, 1);
        this.counters.faulted++;
      }
    }
  }

  /** Injects a fault (frame faults apply to the symbol's next book frame). */
  inject(fault: Fault, now: number): void {
    switch (fault.kind) {
      case "drop":
      case "reorder":
      case "duplicate":
      case "corrupt_checksum":
        this.#faults.push(fault);
        break;
      case "symbol_stall":
        this.#symbolStalls.set(fault.symbol, now + fault.ms);
        break;
      case "stall":
        this.#stalledUntil = now + fault.ms;
        break;
      case "malformed":
        for (const c of this.clients) this.sendRaw(c, '{"type":"l2update","product_id":', true);
        break;
      case "disconnect":
      case "close_24h":
        for (const c of this.clients) {
          try {
            if (fault.kind === "close_24h") c.socket.close(1000, "24h connection limit");
            else c.socket.close(4000, "simulated disconnect");
          } catch { /* closed */ }
        }
        break;
    }
  }

  /** Sends a frame unless the venue is stalled; true when sent. */
  protected sendRaw(client: SimClient, text: string, force = false): boolean {
    if (!force && Date.now() < this.#stalledUntil) return false;
    if (client.socket.readyState !== WebSocket.OPEN) return false;
    client.socket.send(text);
    this.counters.sent++;
    this.tap?.(text);
    return true;
  }

  /**
   * Sends a book frame, applying a frame fault.
   *
   * @param key The delta's sent-log key (sent_log.ts); none for snapshots.
   */
  protected sendBook(
    client: SimClient,
    symbol: string,
    text: string,
    fault?: FrameFault,
    key?: string,
  ): void {
    const held = client.held.get(symbol);
    if (fault) this.#faultUsed = true;
    if (fault?.kind === "drop") return;
    if (fault?.kind === "reorder") {
      client.held.set(symbol, text);
      client.heldKeys.set(symbol, key);
      return;
    }
    if (this.sendRaw(client, text) && key !== undefined) this.sentLog?.(symbol, key);
    if (fault?.kind === "duplicate") this.sendRaw(client, text); // the same delta, repeated
    if (held !== undefined) {
      const heldKey = client.heldKeys.get(symbol);
      client.held.delete(symbol);
      client.heldKeys.delete(symbol);
      if (this.sendRaw(client, held) && heldKey !== undefined) this.sentLog?.(symbol, heldKey);
    }
  }

  /** Runs `fn` every `ms` until stop. */
  protected every(ms: number, fn: () => void): void {
    this.#timers.add(setInterval(fn, ms));
  }

  /** JSON response. */
  protected json(body: unknown, status = 200): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json" },
    });
  }

  #handle(req: Request): Response | Promise<Response> {
    const url = new URL(req.url);
    if (req.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      this.counters.rest++;
      const meta = metadataBody(
        this.venue,
        url.pathname,
        [...this.markets.values()].map((m) => m.inst),
      );
      return meta === undefined ? this.rest(url, req) : this.json(meta);
    }
    const { socket, response } = Deno.upgradeWebSocket(req);
    const client = new SimClient(socket, url);
    socket.onopen = () => {
      this.clients.add(client);
      this.counters.connections++;
      this.onOpen(client);
    };
    socket.onmessage = (ev) => {
      if (typeof ev.data === "string") this.onText(client, ev.data);
    };
    socket.onclose = () => this.clients.delete(client);
    socket.onerror = () => this.clients.delete(client);
    return response;
  }
}
