import { z } from "zod";
import type {
  ArbitrageView,
  BacktestReportView,
  FeedHealthView,
  HeadlineView,
  SentimentView,
} from "./intel_views.ts";
import type { BarView, TradePrint } from "./dashboard_views.ts";
import type { Decoder } from "./decoder.ts";
import { parseJsonColumn } from "./json_column.ts";
import { numOrNull } from "./row_values.ts";
import type { DashboardReader, Row } from "./store_reader.ts";

/** Decodes one `trades` row. */
export function tradeView(r: Row, decoder: Decoder): TradePrint {
  const venue = String(r.venue);
  const symbol = String(r.symbol);
  return {
    seq: Number(r.seq),
    venue,
    symbol,
    time: Number(r.receive_time),
    price: decoder.price(venue, symbol, Number(r.price)),
    size: decoder.size(venue, symbol, Number(r.size)),
    side: r.taker_side === "sell" ? "sell" : "buy",
  };
}

/**
 * Whether the trades carry the ingest counter `seq` the tape follows (SQLite's; PostgreSQL's
 * natural-key trades have none, so the tape reads empty there).
 */
function hasTape(reader: DashboardReader): Promise<boolean> {
  return reader.hasColumn("trades", "seq");
}

/** The latest `limit` public trades, newest first. */
export async function recentTrades(
  reader: DashboardReader,
  decoder: Decoder,
  limit = 50,
): Promise<TradePrint[]> {
  if (!(await hasTape(reader))) return [];
  return (await reader.all(["trades"], "SELECT * FROM trades ORDER BY seq DESC LIMIT ?", limit))
    .map((r) => tradeView(r, decoder));
}

/**
 * The latest `limit` trades after the global event `seq`, oldest first (older ones in between
 * are skipped: the dashboard shows the tape, not every print).
 */
export async function tradesAfter(
  reader: DashboardReader,
  decoder: Decoder,
  afterSeq: number,
  limit = 20,
): Promise<TradePrint[]> {
  if (!(await hasTape(reader))) return [];
  return (await reader.all(
    ["trades"],
    "SELECT * FROM trades WHERE seq > ? ORDER BY seq DESC LIMIT ?",
    afterSeq,
    limit,
  )).reverse().map((r) => tradeView(r, decoder));
}

/** Highest trade `seq` (0 when none). */
export async function lastTradeSeq(reader: DashboardReader): Promise<number> {
  if (!(await hasTape(reader))) return 0;
  return (await reader.get<{ s: number | null }>(["trades"], "SELECT MAX(seq) AS s FROM trades"))
    ?.s ?? 0;
}

/** The latest `limit` 1-minute bars of one book, oldest first (time in epoch seconds). */
export async function bars(
  reader: DashboardReader,
  decoder: Decoder,
  query: { venue: string; symbol: string; limit: number },
): Promise<BarView[]> {
  const { venue, symbol } = query;
  const rows = await reader.all(
    ["ohlcv"],
    "SELECT * FROM ohlcv WHERE venue = ? AND symbol = ? ORDER BY start DESC LIMIT ?",
    venue,
    symbol,
    query.limit,
  );
  return rows.reverse().map((r) => ({
    time: Math.floor(Number(r.start) / 1000),
    open: decoder.price(venue, symbol, Number(r.open)),
    high: decoder.price(venue, symbol, Number(r.high)),
    low: decoder.price(venue, symbol, Number(r.low)),
    close: decoder.price(venue, symbol, Number(r.close)),
    volume: decoder.size(venue, symbol, Number(r.volume)),
  }));
}

/** Decodes one `feed_health` row; `staleAfterMs` (config `risk.stale_after_s`) sets "stale". */
export function feedHealthView(r: Row, staleAfterMs: number): FeedHealthView {
  const age = numOrNull(r.age_ms);
  return {
    id: Number(r.id),
    time: Number(r.time),
    venue: String(r.venue),
    symbol: String(r.symbol),
    status: Number(r.synced) !== 1
      ? "syncing"
      : age !== null && age > staleAfterMs
      ? "stale"
      : "live",
    msgs: Number(r.msgs),
    msgs_per_s: Number(r.msgs_per_s),
    latency_p50_ms: numOrNull(r.latency_p50_ms),
    latency_p99_ms: numOrNull(r.latency_p99_ms),
    gaps: Number(r.gaps),
    resyncs: Number(r.resyncs),
    checksum_failures: Number(r.checksum_failures),
    crossed: Number(r.crossed),
    stale_drops: Number(r.stale),
    stale_resyncs: Number(r.stale_resyncs),
    age_ms: age,
  };
}

/** Latest feed-health row of every venue/symbol. */
export async function latestFeedHealth(
  reader: DashboardReader,
  staleAfterMs: number,
): Promise<FeedHealthView[]> {
  return (await reader.all(
    ["feed_health"],
    `SELECT * FROM feed_health WHERE id IN
       (SELECT MAX(id) FROM feed_health GROUP BY venue, symbol) ORDER BY venue, symbol`,
  )).map((r) => feedHealthView(r, staleAfterMs));
}

/** Feed-health rows after `afterId`, oldest first. */
export async function feedHealthAfter(
  reader: DashboardReader,
  afterId: number,
  staleAfterMs: number,
): Promise<FeedHealthView[]> {
  return (await reader.all(
    ["feed_health"],
    "SELECT * FROM feed_health WHERE id > ? ORDER BY id LIMIT 500",
    afterId,
  ))
    .map((r) => feedHealthView(r, staleAfterMs));
}

/** Decodes one `arbitrage_opportunities` row (prices and size are floats in that table). */
export function arbitrageView(r: Row): ArbitrageView {
  return {
    id: Number(r.id),
    symbol: String(r.symbol),
    buy_venue: String(r.buy_venue),
    sell_venue: String(r.sell_venue),
    start: Number(r.start),
    end: Number(r.end),
    duration_ms: Number(r.duration_ms),
    edge_bps_open: Number(r.edge_bps_open),
    edge_bps_max: Number(r.edge_bps_max),
    size_max: Number(r.size_max),
    buy_price: Number(r.buy_price),
    sell_price: Number(r.sell_price),
    reason: arbitrageReason(r.reason),
  };
}

const REASONS = new Set<unknown>(["gone", "stale", "open"]);

/** The stored close reason; anything the harvester does not write is a damaged row. */
function arbitrageReason(v: unknown): ArbitrageView["reason"] {
  if (REASONS.has(v)) return v as ArbitrageView["reason"];
  throw new RangeError(`arbitrage_opportunities.reason: expected gone, stale or open, got ${v}`);
}

/** Arbitrage rows after `afterId` oldest first, or the latest `limit` newest first when -1. */
export async function arbitrageAfter(
  reader: DashboardReader,
  afterId: number,
  limit = 50,
): Promise<ArbitrageView[]> {
  return (await reader.rowsAfter({
    table: "arbitrage_opportunities",
    columns: "*",
    key: "id",
    afterId,
    limit,
  })).map(arbitrageView);
}

const SymbolsSchema = z.array(z.string());

/** Decodes one `news_articles` row. Text is returned as stored; the UI renders it as text. */
export function headlineView(r: Row): HeadlineView {
  const url = String(r.url);
  return {
    id: Number(r.id),
    title: String(r.title),
    source: String(r.source),
    // Only http(s) links are ever rendered as links (no javascript: URLs).
    url: /^https?:\/\//i.test(url) ? url : "",
    published_at: Number(r.published_at),
    symbols: parseJsonColumn(r.symbols, SymbolsSchema, []),
    sentiment: numOrNull(r.sentiment),
  };
}

/** Headlines after `afterId` oldest first, or the latest `limit` by publication when -1. */
export async function headlinesAfter(
  reader: DashboardReader,
  afterId: number,
  limit = 30,
): Promise<HeadlineView[]> {
  return (await reader.rowsAfter({
    table: "news_articles",
    columns: "id, title, source, url, published_at, symbols, sentiment",
    key: "id",
    afterId,
    limit,
    latestBy: "published_at",
  })).map(headlineView);
}

/** Highest news article id (0 when none). */
export async function lastHeadlineId(reader: DashboardReader): Promise<number> {
  return (await reader.get<{ i: number | null }>(
    ["news_articles"],
    "SELECT MAX(id) AS i FROM news_articles",
  ))
    ?.i ?? 0;
}

/** The latest hourly sentiment per symbol. */
export async function latestSentiment(reader: DashboardReader): Promise<SentimentView[]> {
  return (await reader.all(
    ["news_sentiment_hourly"],
    `SELECT s.symbol, s.hour_start, s.count, s.mean, s.weighted_mean, s.regime
       FROM news_sentiment_hourly s
       JOIN (SELECT symbol, MAX(hour_start) AS h FROM news_sentiment_hourly GROUP BY symbol) m
         ON m.symbol = s.symbol AND m.h = s.hour_start
      ORDER BY s.symbol`,
  ));
}

const MetricsSchema = z.record(z.string(), z.union([z.number(), z.string(), z.null()]));

/** The latest `limit` backtest reports, newest first. */
export async function backtestReports(
  reader: DashboardReader,
  limit = 20,
): Promise<BacktestReportView[]> {
  return (await reader.all(
    ["backtest_reports"],
    "SELECT * FROM backtest_reports ORDER BY id DESC LIMIT ?",
    limit,
  )).map((r) => ({
    id: Number(r.id),
    created_at: Number(r.created_at),
    name: String(r.name),
    strategy: String(r.strategy),
    period_start: Number(r.period_start),
    period_end: Number(r.period_end),
    metrics: parseJsonColumn(r.metrics, MetricsSchema, {}),
  }));
}
