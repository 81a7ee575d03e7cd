import { z } from "zod";
import type {
  AlertView,
  ControlView,
  DecisionView,
  FillView,
  OrderView,
  PortfolioPoint,
  PositionView,
  RiskView,
} from "../live/types.ts";
import type { Decoder } from "./decoder.ts";
import { parseJsonColumn } from "./json_column.ts";
import { numOrNull, strOrNull } from "./row_values.ts";
import type { Row, StoreReader } from "./store_reader.ts";

const PORTFOLIO_COLUMNS =
  "id, timestamp AS time, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown";

/** Latest `portfolio_state` row. */
export function latestPortfolio(reader: StoreReader): PortfolioPoint | null {
  return reader.get<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_state ORDER BY id DESC LIMIT 1`,
  ) ?? null;
}

/** `portfolio_state` rows after `afterId`, oldest first. */
export function portfolioAfter(
  reader: StoreReader,
  afterId: number,
  limit = 1000,
): PortfolioPoint[] {
  return reader.all<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_state WHERE id > ? ORDER BY id LIMIT ?`,
    afterId,
    limit,
  );
}

/**
 * The equity curve, thinned to at most `points` rows (every n-th row plus the last), oldest first.
 */
export function equityCurve(reader: StoreReader, points = 2000): PortfolioPoint[] {
  const n = reader.get<{ n: number; lo: number | null; hi: number | null }>(
    ["portfolio_state"],
    "SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM portfolio_state",
  );
  if (!n || n.n === 0) return [];
  const step = Math.max(1, Math.ceil(n.n / points));
  return reader.all<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_state
      WHERE (id - ?) % ? = 0 OR id = ? ORDER BY id`,
    n.lo ?? 0,
    step,
    n.hi ?? 0,
  );
}

const PositionsSchema = z.array(z.object({
  venue: z.string(),
  symbol: z.string(),
  qty: z.number(),
  avg_price: z.number().nullable().optional(),
  unrealized_pnl: z.number().nullable().optional(),
}));

/**
 * Positions held in the latest portfolio row (`positions` JSON: `[{venue, symbol, qty (lots),
 * avg_price?, unrealized_pnl?}]`); flat positions are left out.
 */
export function positionsOf(
  row: { positions?: unknown } | undefined,
  decoder: Decoder,
): PositionView[] {
  const list = parseJsonColumn(row?.positions, PositionsSchema, []);
  return list.filter((p) => p.qty !== 0).map((p) => ({
    venue: p.venue,
    symbol: p.symbol,
    qty: decoder.size(p.venue, p.symbol, p.qty),
    avg_price: p.avg_price ?? null,
    unrealized_pnl: p.unrealized_pnl ?? null,
  }));
}

/** Positions of the latest portfolio row. */
export function latestPositions(reader: StoreReader, decoder: Decoder): PositionView[] {
  return positionsOf(
    reader.get(
      ["portfolio_state"],
      "SELECT positions FROM portfolio_state ORDER BY id DESC LIMIT 1",
    ),
    decoder,
  );
}

/** Decodes one `paper_orders` row. */
export function orderView(r: Row, decoder: Decoder): OrderView {
  const venue = String(r.venue);
  const symbol = String(r.symbol);
  return {
    id: String(r.id),
    venue,
    symbol,
    side: r.side === "sell" ? "sell" : "buy",
    type: String(r.type),
    tif: String(r.tif),
    price: r.price === null ? null : decoder.price(venue, symbol, Number(r.price)),
    size: decoder.size(venue, symbol, Number(r.size)),
    filled: decoder.size(venue, symbol, Number(r.filled)),
    status: String(r.status),
    queue_ahead: r.queue_ahead === null ? null : decoder.size(venue, symbol, Number(r.queue_ahead)),
    tag: String(r.tag),
    reason: strOrNull(r.reason),
    submit_time: Number(r.submit_time),
    updated_at: Number(r.updated_at),
  };
}

/** Orders still working (in flight or resting), oldest first. */
export function openOrders(reader: StoreReader, decoder: Decoder): OrderView[] {
  return reader.all(
    ["paper_orders"],
    `SELECT * FROM paper_orders WHERE status IN ('in_flight', 'open') ORDER BY submit_time LIMIT 500`,
  ).map((r) => orderView(r, decoder));
}

/** Latest change time and count of orders (to detect changes cheaply). */
export function ordersVersion(reader: StoreReader): string {
  const r = reader.get<{ t: number | null; n: number }>(
    ["paper_orders"],
    "SELECT MAX(updated_at) AS t, COUNT(*) AS n FROM paper_orders",
  );
  return r ? `${r.t ?? 0}:${r.n}` : "0:0";
}

/** Decodes one `paper_fills` row. */
export function fillView(r: Row, decoder: Decoder): FillView {
  const venue = String(r.venue);
  const symbol = String(r.symbol);
  return {
    seq: Number(r.seq),
    order_id: String(r.order_id),
    venue,
    symbol,
    side: r.side === "sell" ? "sell" : "buy",
    price: decoder.price(venue, symbol, Number(r.price)),
    size: decoder.size(venue, symbol, Number(r.size)),
    notional: Number(r.notional),
    fee: Number(r.fee),
    liquidity: String(r.liquidity),
    time: Number(r.time),
    tag: String(r.tag),
    realized_pnl: numOrNull(r.realized_pnl),
  };
}

/** The latest `limit` fills, newest first. */
export function recentFills(reader: StoreReader, decoder: Decoder, limit = 100): FillView[] {
  return reader.all(["paper_fills"], "SELECT * FROM paper_fills ORDER BY seq DESC LIMIT ?", limit)
    .map((r) => fillView(r, decoder));
}

/** Fills after `afterSeq`, oldest first. */
export function fillsAfter(
  reader: StoreReader,
  decoder: Decoder,
  afterSeq: number,
  limit = 1000,
): FillView[] {
  return reader.all(
    ["paper_fills"],
    "SELECT * FROM paper_fills WHERE seq > ? ORDER BY seq LIMIT ?",
    afterSeq,
    limit,
  ).map((r) => fillView(r, decoder));
}

const ProbsSchema = z.union([
  z.record(z.string(), z.number()),
  z.array(z.number()).transform((a) =>
    Object.fromEntries(a.map((p, i) => [["hold", "buy", "sell"][i] ?? `a${i}`, p]))
  ),
]);
const MatrixSchema = z.array(z.array(z.number())).max(512);

/** Decodes one `predictions` row (`action_probs` as `{name: p}` or `[hold, buy, sell]`). */
export function decisionView(r: Row): DecisionView {
  return {
    id: Number(r.id),
    time: Number(r.timestamp),
    venue: String(r.venue),
    symbol: String(r.symbol),
    model_version: String(r.model_version),
    action: String(r.action),
    action_probs: parseJsonColumn(r.action_probs, ProbsSchema, {}),
    position_size: Number(r.position_size),
    risk_score: Number(r.risk_score),
    latency_ms: numOrNull(r.latency_ms),
    attention: parseJsonColumn(r.attention, MatrixSchema.nullable(), null),
  };
}

/** Decisions after `afterId` (the latest one when `afterId` is -1), oldest first. */
export function decisionsAfter(reader: StoreReader, afterId: number, limit = 200): DecisionView[] {
  if (afterId < 0) {
    return reader.all(["predictions"], "SELECT * FROM predictions ORDER BY id DESC LIMIT 1")
      .map(decisionView);
  }
  return reader.all(
    ["predictions"],
    "SELECT * FROM predictions WHERE id > ? ORDER BY id LIMIT ?",
    afterId,
    limit,
  ).map(decisionView);
}

const LocksSchema = z.array(z.object({
  symbol: z.string(),
  until: z.number().nullable().optional(),
  reason: z.string(),
}));
const CorrelationsSchema = z.record(z.string(), z.number());

/** Decodes one `risk_state` row. */
export function riskView(r: Row): RiskView {
  return {
    id: Number(r.id),
    time: Number(r.time),
    state: String(r.state),
    reason: strOrNull(r.reason),
    entries_paused: Number(r.entries_paused) !== 0,
    drawdown: Number(r.drawdown),
    max_drawdown: Number(r.max_drawdown),
    daily_loss: Number(r.daily_loss),
    daily_loss_limit: Number(r.daily_loss_limit),
    consecutive_losses: Number(r.consecutive_losses),
    cooldown_until: numOrNull(r.cooldown_until),
    locks: parseJsonColumn(r.locks, LocksSchema, []).map((l) => ({
      symbol: l.symbol,
      until: l.until ?? null,
      reason: l.reason,
    })),
    correlations: parseJsonColumn(r.correlations, CorrelationsSchema, {}),
  };
}

/** Risk rows after `afterId` (the latest one when -1). */
export function riskAfter(reader: StoreReader, afterId: number): RiskView[] {
  const sql = afterId < 0
    ? "SELECT * FROM risk_state ORDER BY id DESC LIMIT 1"
    : "SELECT * FROM risk_state WHERE id > ? ORDER BY id DESC LIMIT 1";
  return (afterId < 0 ? reader.all(["risk_state"], sql) : reader.all(["risk_state"], sql, afterId))
    .map(riskView);
}

/** Alerts after `afterId` oldest first, or the latest `limit` newest first when -1. */
export function alertsAfter(reader: StoreReader, afterId: number, limit = 50): AlertView[] {
  const cols = "id, time, kind, severity, message, value, threshold";
  return afterId < 0
    ? reader.all(["alerts"], `SELECT ${cols} FROM alerts ORDER BY id DESC LIMIT ?`, limit)
    : reader.all(
      ["alerts"],
      `SELECT ${cols} FROM alerts WHERE id > ? ORDER BY id LIMIT ?`,
      afterId,
      limit,
    );
}

/** Control commands after `afterId` oldest first, or the latest `limit` newest first when -1. */
export function controlsAfter(reader: StoreReader, afterId: number, limit = 50): ControlView[] {
  const cols = "id, ts, command, source, status, handled_at, detail";
  return afterId < 0
    ? reader.all(
      ["control_commands"],
      `SELECT ${cols} FROM control_commands ORDER BY id DESC LIMIT ?`,
      limit,
    )
    : reader.all(
      ["control_commands"],
      `SELECT ${cols} FROM control_commands WHERE id > ? ORDER BY id LIMIT ?`,
      afterId,
      limit,
    );
}
