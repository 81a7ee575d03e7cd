import { Decoder, readInstruments } from "../data/decoder.ts";
import {
  arbitrageAfter,
  feedHealthAfter,
  headlinesAfter,
  lastHeadlineId,
  lastTradeSeq,
  tradesAfter,
} from "../data/market_queries.ts";
import { storeStatus } from "../data/overview.ts";
import type { StoreReader } from "../data/store_reader.ts";
import {
  alertsAfter,
  decisionsAfter,
  decisionView,
  fillsAfter,
  latestPortfolio,
  latestPositions,
  openOrders,
  ordersVersion,
  portfolioAfter,
  riskAfter,
} from "../data/trading_queries.ts";
import { LiveBooks } from "./live_books.ts";
import type { ControlView, InstrumentView, LiveEvent } from "./types.ts";

/** Something that yields the live events that happened since its last call. */
export interface LiveSource {
  /**
   * @param now Current time, ms (for heartbeats).
   * @returns New events, oldest first.
   */
  poll(now: number): LiveEvent[];
}

/** Options of {@linkcode StorePoller}. */
export interface StorePollerOptions {
  /** Depth levels per side in `book` events. Default 25. */
  depthLevels?: number;
  /** Most public trades per poll (the latest ones). Default 20. */
  maxTradesPerPoll?: number;
  /** Heartbeat period, ms. Default 5000. */
  heartbeatMs?: number;
}

const MAX_ID = (reader: StoreReader, table: string, col: string): number =>
  reader.get<{ v: number | null }>([table], `SELECT MAX(${col}) AS v FROM ${table}`)?.v ?? 0;

/**
 * Turns what the edge appends to the store into typed {@linkcode LiveEvent}s: it remembers the
 * last id/seq it saw of each table and on every {@linkcode poll} reads only the rows beyond.
 * Book tops come from {@linkcode LiveBooks} (core's order book over snapshots and deltas).
 */
export class StorePoller implements LiveSource {
  readonly #reader: StoreReader;
  readonly #books: LiveBooks;
  readonly #depth: number;
  readonly #maxTrades: number;
  readonly #heartbeatMs: number;
  #instruments: InstrumentView[] = [];
  #decoder = new Decoder([]);
  #primed = false;
  #storeKey = "";
  #lastHeartbeat = 0;
  #c = {
    portfolio: 0,
    fill: 0,
    orders: "",
    decision: 0,
    trade: 0,
    feed: 0,
    risk: 0,
    alert: 0,
    arb: 0,
    news: 0,
    control: 0,
    controlHandled: 0,
  };

  /**
   * @param reader The store.
   * @param options Limits.
   */
  constructor(reader: StoreReader, options: StorePollerOptions = {}) {
    this.#reader = reader;
    this.#books = new LiveBooks(reader);
    this.#depth = options.depthLevels ?? 25;
    this.#maxTrades = options.maxTradesPerPoll ?? 20;
    this.#heartbeatMs = options.heartbeatMs ?? 5000;
  }

  /** The live books (for the depth API). */
  get books(): LiveBooks {
    return this.#books;
  }

  /** The current decoder. */
  get decoder(): Decoder {
    return this.#decoder;
  }

  /** Reads new rows and returns them as events (the first call: the current state). */
  poll(now: number): LiveEvent[] {
    const r = this.#reader;
    const out: LiveEvent[] = [];
    const status = storeStatus(r);
    const statusKey = JSON.stringify(status);
    if (statusKey !== this.#storeKey) {
      this.#storeKey = statusKey;
      out.push({ type: "store", data: status });
    }
    if (!status.available) return out;
    this.#refreshInstruments();
    if (!this.#primed) {
      this.#prime(out);
      this.#primed = true;
      return out;
    }
    const c = this.#c;
    const points = portfolioAfter(r, c.portfolio, 500);
    for (const p of points.slice(-50)) out.push({ type: "portfolio", data: p });
    if (points.length > 0) {
      c.portfolio = points[points.length - 1]!.id;
      out.push({ type: "positions", data: latestPositions(r, this.#decoder) });
    }
    for (const f of fillsAfter(r, this.#decoder, c.fill)) {
      c.fill = f.seq;
      out.push({ type: "fill", data: f });
    }
    const version = ordersVersion(r);
    if (version !== c.orders) {
      c.orders = version;
      out.push({ type: "orders", data: openOrders(r, this.#decoder) });
    }
    const lastDecision = r.get(
      ["predictions"],
      "SELECT * FROM predictions WHERE id > ? ORDER BY id DESC LIMIT 1",
      c.decision,
    );
    if (lastDecision) {
      const d = decisionView(lastDecision);
      c.decision = d.id;
      out.push({ type: "decision", data: d });
    }
    for (const key of this.#books.advance(this.#instruments)) {
      const depth = this.#books.depth(key, this.#depth);
      if (depth) out.push({ type: "book", data: depth });
    }
    const trades = tradesAfter(r, this.#decoder, c.trade, this.#maxTrades);
    if (trades.length > 0) c.trade = trades[trades.length - 1]!.seq;
    for (const t of trades) out.push({ type: "trade", data: t });
    for (const f of feedHealthAfter(r, c.feed)) {
      c.feed = f.id;
      out.push({ type: "feed_health", data: f });
    }
    for (const k of riskAfter(r, c.risk)) {
      c.risk = Math.max(c.risk, k.id);
      out.push({ type: "risk", data: k });
    }
    c.risk = Math.max(c.risk, MAX_ID(r, "risk_state", "id"));
    for (const a of alertsAfter(r, c.alert)) {
      c.alert = a.id;
      out.push({ type: "alert", data: a });
    }
    for (const a of arbitrageAfter(r, this.#decoder, c.arb)) {
      c.arb = a.id;
      out.push({ type: "arbitrage", data: a });
    }
    for (const h of headlinesAfter(r, c.news)) {
      c.news = h.id;
      out.push({ type: "headline", data: h });
    }
    for (const k of this.#controls()) out.push({ type: "control", data: k });
    if (now - this.#lastHeartbeat >= this.#heartbeatMs) {
      this.#lastHeartbeat = now;
      out.push({ type: "heartbeat", data: { time: now } });
    }
    return out;
  }

  #controls(): ControlView[] {
    const c = this.#c;
    const rows = this.#reader.all<ControlView>(
      ["control_commands"],
      `SELECT id, ts, command, source, status, handled_at, detail FROM control_commands
        WHERE id > ? OR handled_at > ? ORDER BY id LIMIT 200`,
      c.control,
      c.controlHandled,
    );
    for (const k of rows) {
      c.control = Math.max(c.control, k.id);
      c.controlHandled = Math.max(c.controlHandled, k.handled_at ?? 0);
    }
    return rows.map((k) => ({ ...k }));
  }

  /**
   * Sets every cursor to the store's current end and emits the current state (books, portfolio,
   * positions, orders, decision, risk), so pages connected before the store appeared catch up.
   */
  #prime(out: LiveEvent[]): void {
    const r = this.#reader;
    const c = this.#c;
    for (const key of this.#books.advance(this.#instruments)) {
      const depth = this.#books.depth(key, this.#depth);
      if (depth) out.push({ type: "book", data: depth });
    }
    const p = latestPortfolio(r);
    if (p) {
      out.push({ type: "portfolio", data: p });
      out.push({ type: "positions", data: latestPositions(r, this.#decoder) });
    }
    if (r.hasTable("paper_orders")) {
      out.push({ type: "orders", data: openOrders(r, this.#decoder) });
    }
    const d = decisionsAfter(r, -1)[0];
    if (d) out.push({ type: "decision", data: d });
    const k = riskAfter(r, -1)[0];
    if (k) out.push({ type: "risk", data: k });
    c.portfolio = MAX_ID(r, "portfolio_state", "id");
    c.fill = MAX_ID(r, "paper_fills", "seq");
    c.orders = ordersVersion(r);
    c.decision = MAX_ID(r, "predictions", "id");
    c.trade = lastTradeSeq(r);
    c.feed = MAX_ID(r, "feed_health", "id");
    c.risk = MAX_ID(r, "risk_state", "id");
    c.alert = MAX_ID(r, "alerts", "id");
    c.arb = MAX_ID(r, "arbitrage_opportunities", "id");
    c.news = lastHeadlineId(r);
    c.control = MAX_ID(r, "control_commands", "id");
    c.controlHandled = MAX_ID(r, "control_commands", "handled_at");
  }

  #refreshInstruments(): void {
    const n =
      this.#reader.get<{ n: number }>(["instruments"], "SELECT COUNT(*) AS n FROM instruments")
        ?.n ?? 0;
    if (n === this.#instruments.length) return;
    this.#instruments = readInstruments(this.#reader);
    this.#decoder = new Decoder(this.#instruments);
  }
}
