import {
  type DecisionCursor,
  latestDecision,
} from "../../infra/store/dashboard/decision_queries.ts";
import { Decoder, readInstruments } from "../../infra/store/dashboard/decoder.ts";
import {
  arbitrageAfter,
  feedHealthAfter,
  headlinesAfter,
  lastHeadlineId,
  lastTradeSeq,
  tradesAfter,
} from "../../infra/store/dashboard/market_queries.ts";
import {
  type DashboardLimits,
  DEFAULT_LIMITS,
  portfolioOf,
  storeStatus,
} from "../data/overview.ts";
import { alertsAfter, riskView } from "../../infra/store/dashboard/risk_queries.ts";
import type { DashboardReader } from "../../infra/store/dashboard/store_reader.ts";
import {
  controlsChanged,
  instrumentCount,
  pollEnds,
} from "../../infra/store/dashboard/poll_queries.ts";
import {
  fillsAfter,
  openOrders,
  portfolioAfter,
  positions,
} from "../../infra/store/dashboard/trading_queries.ts";
import { LiveBooks } from "./live_books.ts";
import type { ControlView, InstrumentView, LiveEvent } from "./types.ts";

/** Something that yields the live events that happened since its last call. */
export interface LiveSource {
  /**
   * @param now Current time, ms (for heartbeats).
   * @returns New events, oldest first.
   */
  poll(now: number): Promise<LiveEvent[]>;
}

/** Options of {@linkcode StorePoller}. */
export interface StorePollerOptions {
  /** Depth levels per side in `book` events. Default 25. */
  depthLevels?: number;
  /** Most public trades per poll (the latest ones). Default 20. */
  maxTradesPerPoll?: number;
  /** Heartbeat period, ms. Default 5000. */
  heartbeatMs?: number;
  /** Configured limits (risk gauges, feed staleness). */
  limits?: DashboardLimits;
}

/**
 * Turns what the edge appends to the store into typed {@linkcode LiveEvent}s: it remembers the
 * last id/seq/rowid it saw of each append-only table and on every {@linkcode poll} reads only
 * the rows beyond; small derived states (open orders, positions, risk) are re-read and sent
 * when they differ. Book tops come from {@linkcode LiveBooks} (core's order book).
 */
export class StorePoller implements LiveSource {
  readonly #reader: DashboardReader;
  readonly #books: LiveBooks;
  readonly #depth: number;
  readonly #maxTrades: number;
  readonly #heartbeatMs: number;
  /** Configured limits. */
  readonly limits: DashboardLimits;
  #instruments: InstrumentView[] = [];
  #decoder = new Decoder([]);
  #primed = false;
  #lastHeartbeat = 0;
  #run: string | null = null;
  #storeKey = "";
  #decision: DecisionCursor = { model: 0, strategy: 0 };
  #c = {
    portfolio: 0,
    fill: 0,
    trade: 0,
    feed: 0,
    alert: 0,
    arb: 0,
    news: 0,
    control: 0,
    handled: 0,
  };
  #sig = { orders: "", positions: "", portfolio_streams: "", risk: "" };

  /**
   * @param reader The store.
   * @param options Limits.
   */
  constructor(reader: DashboardReader, options: StorePollerOptions = {}) {
    this.#reader = reader;
    this.#books = new LiveBooks(reader);
    this.#depth = options.depthLevels ?? 25;
    this.#maxTrades = options.maxTradesPerPoll ?? 20;
    this.#heartbeatMs = options.heartbeatMs ?? 5000;
    this.limits = options.limits ?? DEFAULT_LIMITS;
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
  async poll(now: number): Promise<LiveEvent[]> {
    const r = this.#reader;
    const out: LiveEvent[] = [];
    const status = await storeStatus(r);
    const statusKey = JSON.stringify(status);
    if (statusKey !== this.#storeKey) {
      this.#storeKey = statusKey;
      this.#run = status.run_id;
      out.push({ type: "store", data: status });
    }
    if (!status.available) return out;
    await this.#refreshInstruments();
    if (!this.#primed) {
      await this.#prime();
      this.#primed = true;
    }
    const c = this.#c;
    const d = this.#decoder;
    for (const key of (await this.#books.advance(this.#instruments))) {
      const depth = this.#books.depth(key, this.#depth);
      if (depth) out.push({ type: "book", data: depth });
    }
    const points = await portfolioAfter(r, c.portfolio, 500);
    if (points.length > 0) c.portfolio = points[points.length - 1]!.id;
    for (const p of points.slice(-50)) out.push({ type: "portfolio", data: p });
    for (const f of (await fillsAfter(r, d, c.fill))) {
      c.fill = f.id;
      out.push({ type: "fill", data: f });
    }
    this.#changed(out, "orders", await openOrders(r, d, this.#run));
    this.#changed(
      out,
      "positions",
      await positions(r, d, this.#run, (k) => this.#books.top(k)?.mid),
    );
    this.#changed(
      out,
      "portfolio_streams",
      await portfolioOf(r, d, this.#run, this.#books, this.limits),
    );
    const risk = await riskView(r, this.#run, this.limits);
    if (risk) this.#changed(out, "risk", risk);
    const decision = await latestDecision(r, this.#decision);
    if (decision) out.push({ type: "decision", data: decision });
    const trades = await tradesAfter(r, d, c.trade, this.#maxTrades);
    if (trades.length > 0) c.trade = trades[trades.length - 1]!.seq;
    for (const t of trades) out.push({ type: "trade", data: t });
    for (const f of (await feedHealthAfter(r, c.feed, this.limits.stale_after_ms))) {
      c.feed = f.id;
      out.push({ type: "feed", data: f });
    }
    for (const a of (await alertsAfter(r, c.alert))) {
      c.alert = a.id;
      out.push({ type: "alert", data: a });
    }
    for (const a of (await arbitrageAfter(r, c.arb))) {
      c.arb = a.id;
      out.push({ type: "arbitrage", data: a });
    }
    for (const h of (await headlinesAfter(r, c.news))) {
      c.news = h.id;
      out.push({ type: "headline", data: h });
    }
    for (const k of (await this.#controls())) out.push({ type: "control", data: k });
    if (now - this.#lastHeartbeat >= this.#heartbeatMs) {
      this.#lastHeartbeat = now;
      out.push({ type: "heartbeat", data: { time: now } });
    }
    return out;
  }

  /** Pushes a derived state when it differs from the last one sent. */
  #changed<T extends "orders" | "positions" | "portfolio_streams" | "risk">(
    out: LiveEvent[],
    type: T,
    data: Extract<LiveEvent, { type: T }>["data"],
  ): void {
    const sig = JSON.stringify(data);
    if (sig === this.#sig[type]) return;
    this.#sig[type] = sig;
    out.push({ type, data } as LiveEvent);
  }

  async #controls(): Promise<ControlView[]> {
    const c = this.#c;
    const rows = await controlsChanged(this.#reader, c.control, c.handled);
    for (const k of rows) {
      c.control = Math.max(c.control, k.id);
      c.handled = Math.max(c.handled, k.handled_at ?? 0);
    }
    return rows.map((k) => ({ ...k }));
  }

  /**
   * Sets the append-only cursors to the store's current end; the current state (books, latest
   * portfolio, orders, positions, risk, decision) still goes out on this first poll, so pages
   * connected before the store appeared catch up.
   */
  async #prime(): Promise<void> {
    const r = this.#reader;
    const c = this.#c;
    const ends = await pollEnds(r);
    c.portfolio = Math.max(0, ends.portfolio - 1);
    c.fill = ends.fill;
    c.trade = await lastTradeSeq(r);
    c.feed = ends.feed;
    c.alert = ends.alert;
    c.arb = ends.arb;
    c.news = await lastHeadlineId(r);
    c.control = ends.control;
    c.handled = ends.handled;
  }

  async #refreshInstruments(): Promise<void> {
    const n = await instrumentCount(this.#reader);
    if (n === this.#instruments.length) return;
    this.#instruments = await readInstruments(this.#reader);
    this.#decoder = new Decoder(this.#instruments);
  }
}
