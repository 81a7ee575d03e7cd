import { batch, computed, type ReadonlySignal, signal } from "@preact/signals";
import type {
  AlertView,
  ArbitrageView,
  BookDepth,
  ControlView,
  FeedHealthView,
  FillView,
  HeadlineView,
  LiveEvent,
  Overview,
  PortfolioPoint,
  TopOfBook,
  TradePrint,
} from "../live/types.ts";

/** Connection state of the event stream. */
export type LinkState = "connecting" | "live" | "reconnecting";

const MAX_FILLS = 200;
const MAX_TRADES = 40;
const MAX_ROWS = 50;
const MAX_CURVE = 5000;

/** Seconds without any event (heartbeats come every 5 s) after which the page says "stale". */
export const STALE_AFTER_MS = 12_000;

function prepend<T>(list: readonly T[], item: T, max: number, key: (x: T) => number): T[] {
  const k = key(item);
  return [item, ...list.filter((x) => key(x) !== k)].slice(0, max);
}

const byId = (x: { id: number }) => x.id;
const bySeq = (x: { seq: number }) => x.seq;

function upsertBy<T>(list: readonly T[], item: T, same: (a: T, b: T) => boolean): T[] {
  const i = list.findIndex((x) => same(x, item));
  if (i < 0) return [...list, item];
  const copy = [...list];
  copy[i] = item;
  return copy;
}

/**
 * The dashboard's state model: signals fed only by {@linkcode DashboardModel.load} (the overview)
 * and {@linkcode DashboardModel.apply} (live events); components read signals and call actions.
 */
export class DashboardModel {
  /** Last overview (static parts: instruments, sentiment, backtests, store status). */
  readonly overview = signal<Overview | null>(null);
  /** Latest portfolio row. */
  readonly portfolio = signal<PortfolioPoint | null>(null);
  /** Equity curve, oldest first. */
  readonly curve = signal<PortfolioPoint[]>([]);
  /** Held positions. */
  readonly positions = signal<Overview["positions"]>([]);
  /** Positions, exposure and P&L per traded stream and for the account. */
  readonly portfolioStreams = signal<Overview["portfolio_streams"] | null>(null);
  /** Working orders. */
  readonly orders = signal<Overview["open_orders"]>([]);
  /** Paper fills, newest first. */
  readonly fills = signal<FillView[]>([]);
  /** Top of book per venue/symbol. */
  readonly books = signal<TopOfBook[]>([]);
  /** Latest depth per "venue symbol". */
  readonly depth = signal<Record<string, BookDepth>>({});
  /** Public trades, newest first. */
  readonly trades = signal<TradePrint[]>([]);
  /** Latest model decision. */
  readonly decision = signal<Overview["decision"]>(null);
  /** Latest risk state. */
  readonly risk = signal<Overview["risk"]>(null);
  /** Alerts, newest first. */
  readonly alerts = signal<AlertView[]>([]);
  /** Feed health per venue/symbol. */
  readonly feeds = signal<FeedHealthView[]>([]);
  /** Arbitrage opportunities, newest first. */
  readonly arbitrage = signal<ArbitrageView[]>([]);
  /** Headlines, newest first. */
  readonly headlines = signal<HeadlineView[]>([]);
  /** Control log, newest first. */
  readonly controls = signal<ControlView[]>([]);
  /** Stream connection state. */
  readonly link = signal<LinkState>("connecting");
  /** Time of the last event or overview, ms (page clock). */
  readonly lastMessageAt = signal(0);
  /** Page clock, ticked by the page every second (for staleness). */
  readonly clock = signal(Date.now());
  /** The book the charts show ("venue symbol"). */
  readonly selectedBook = signal("");

  /** Whether nothing arrived for {@linkcode STALE_AFTER_MS}. */
  readonly stale: ReadonlySignal<boolean> = computed(() =>
    this.link.value !== "live" || this.clock.value - this.lastMessageAt.value > STALE_AFTER_MS
  );

  /** Drawdown curve (fraction below the running peak of equity). */
  readonly drawdownCurve: ReadonlySignal<{ time: number; value: number }[]> = computed(() => {
    let peak = -Infinity;
    return this.curve.value.map((p) => {
      peak = Math.max(peak, p.equity);
      return { time: p.time, value: peak > 0 ? (p.equity - peak) / peak : 0 };
    });
  });

  /** Replaces the state with an overview (page load and every reconnect). */
  load(o: Overview, now: number): void {
    batch(() => {
      this.overview.value = o;
      this.portfolio.value = o.portfolio;
      this.curve.value = o.equity_curve;
      this.positions.value = o.positions;
      this.portfolioStreams.value = o.portfolio_streams;
      this.orders.value = o.open_orders;
      this.fills.value = o.fills;
      this.books.value = o.books;
      this.trades.value = o.trades;
      this.decision.value = o.decision;
      this.risk.value = o.risk;
      this.alerts.value = o.alerts;
      this.feeds.value = o.feed_health;
      this.arbitrage.value = o.arbitrage;
      this.headlines.value = o.headlines;
      this.controls.value = o.controls;
      this.lastMessageAt.value = now;
      const keys = o.books.map((b) => `${b.venue} ${b.symbol}`);
      if (!keys.includes(this.selectedBook.value)) this.selectedBook.value = keys[0] ?? "";
    });
  }

  /** Applies live events in order. */
  apply(events: readonly LiveEvent[], now: number): void {
    batch(() => {
      for (const e of events) this.#apply(e);
      this.lastMessageAt.value = now;
    });
  }

  #apply(e: LiveEvent): void {
    switch (e.type) {
      case "portfolio":
        this.portfolio.value = e.data;
        if (this.curve.value.every((p) => p.id !== e.data.id)) {
          this.curve.value = [...this.curve.value, e.data].slice(-MAX_CURVE);
        }
        break;
      case "positions":
        this.positions.value = e.data;
        break;
      case "portfolio_streams":
        this.portfolioStreams.value = e.data;
        break;
      case "fill":
        this.fills.value = prepend(this.fills.value, e.data, MAX_FILLS, byId);
        break;
      case "orders":
        this.orders.value = e.data;
        break;
      case "decision":
        this.decision.value = e.data;
        break;
      case "book": {
        const { bids: _b, asks: _a, ...top } = e.data;
        const key = `${top.venue} ${top.symbol}`;
        this.books.value = upsertBy(
          this.books.value,
          top,
          (a, b) => a.venue === b.venue && a.symbol === b.symbol,
        );
        this.depth.value = { ...this.depth.value, [key]: e.data };
        if (!this.selectedBook.value) this.selectedBook.value = key;
        break;
      }
      case "trade":
        this.trades.value = prepend(this.trades.value, e.data, MAX_TRADES, bySeq);
        break;
      case "feed":
        this.feeds.value = upsertBy(
          this.feeds.value,
          e.data,
          (a, b) => a.venue === b.venue && a.symbol === b.symbol,
        );
        break;
      case "risk":
        this.risk.value = e.data;
        break;
      case "alert":
        this.alerts.value = prepend(this.alerts.value, e.data, MAX_ROWS, byId);
        break;
      case "arbitrage":
        this.arbitrage.value = prepend(this.arbitrage.value, e.data, MAX_ROWS, byId);
        break;
      case "headline":
        this.headlines.value = prepend(this.headlines.value, e.data, MAX_ROWS, byId);
        break;
      case "control": {
        const rest = this.controls.value.filter((c) => c.id !== e.data.id);
        this.controls.value = [e.data, ...rest].sort((a, b) => b.id - a.id).slice(0, MAX_ROWS);
        break;
      }
      case "store":
        if (this.overview.value) this.overview.value = { ...this.overview.value, store: e.data };
        break;
      case "heartbeat":
        break;
    }
  }
}
