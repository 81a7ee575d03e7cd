import type { FillView, OrderView, PortfolioPoint, PositionView } from "./dashboard_views.ts";
import type { ControlView } from "../trading/control_writer.ts";
import type { Decoder } from "./decoder.ts";
import { amountToNumber, numOrNull, strOrNull } from "./row_values.ts";
import type { DashboardReader, Row } from "./store_reader.ts";

/**
 * Queries over the paper trader's tables (branch `trading`: paper_runs, paper_orders,
 * paper_fills, paper_positions, paper_decisions) and the seed's portfolio_state/predictions.
 * Everything is scoped to the active run: the run of the newest `portfolio_state` row.
 *
 * @module
 */

/** The run the dashboard shows: that of the newest portfolio row, else the latest run. */
export async function activeRun(reader: DashboardReader): Promise<string | null> {
  const p = await reader.get<{ run_id: string }>(
    ["portfolio_state"],
    "SELECT run_id FROM portfolio_state ORDER BY id DESC LIMIT 1",
  );
  if (p) return p.run_id;
  return (await reader.get<{ run_id: string }>(
    ["paper_runs"],
    "SELECT run_id FROM paper_runs ORDER BY last_time DESC LIMIT 1",
  ))?.run_id ?? null;
}

const PORTFOLIO_COLUMNS =
  "id, timestamp AS time, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown";

/** Latest `portfolio_state` row. */
export async function latestPortfolio(reader: DashboardReader): Promise<PortfolioPoint | null> {
  return (await reader.get<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_state ORDER BY id DESC LIMIT 1`,
  )) ?? null;
}

/** `portfolio_state` rows after `afterId`, oldest first. */
export async function portfolioAfter(
  reader: DashboardReader,
  afterId: number,
  limit = 1000,
): Promise<PortfolioPoint[]> {
  return (await reader.all<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM portfolio_state WHERE id > ? ORDER BY id LIMIT ?`,
    afterId,
    limit,
  ));
}

/** The active run's equity curve, thinned to at most `points` rows (plus the last), oldest first. */
export async function equityCurve(
  reader: DashboardReader,
  runId: string | null,
  points = 2000,
): Promise<PortfolioPoint[]> {
  if (runId === null) return [];
  const n = await reader.get<{ n: number; hi: number | null }>(
    ["portfolio_state"],
    "SELECT COUNT(*) AS n, MAX(id) AS hi FROM portfolio_state WHERE run_id = ?",
    runId,
  );
  if (!n || n.n === 0) return [];
  const step = Math.max(1, Math.ceil(n.n / points));
  return (await reader.all<PortfolioPoint>(
    ["portfolio_state"],
    `SELECT ${PORTFOLIO_COLUMNS} FROM (
       SELECT *, ROW_NUMBER() OVER (ORDER BY id) AS k FROM portfolio_state WHERE run_id = ?
     ) AS t WHERE (k - 1) % ? = 0 OR id = ? ORDER BY id`,
    runId,
    step,
    n.hi ?? 0,
  ));
}

/**
 * Positions held by the run (`paper_positions` with qty > 0), marked to `mid` when given.
 *
 * @param mid Mid price of "venue symbol", or undefined.
 * @param flat Also the streams the run holds nothing of now (their realized P&L).
 */
export async function positions(
  reader: DashboardReader,
  decoder: Decoder,
  runId: string | null,
  mid: (key: string) => number | null | undefined = () => undefined,
  flat = false,
): Promise<PositionView[]> {
  if (runId === null) return [];
  return (await reader.all(
    ["paper_positions"],
    `SELECT * FROM paper_positions WHERE run_id = ?${
      flat ? "" : " AND qty > 0"
    } ORDER BY venue, symbol`,
    runId,
  )).map((r) => {
    const venue = String(r.venue);
    const symbol = String(r.symbol);
    const qty = decoder.size(venue, symbol, Number(r.qty));
    const cost = amountToNumber(r.cost);
    const avg = qty > 0 ? cost / qty : null;
    const m = mid(`${venue} ${symbol}`);
    return {
      venue,
      symbol,
      qty,
      avg_price: avg,
      cost,
      realized_pnl: amountToNumber(r.realized_gross) - amountToNumber(r.fees),
      unrealized_pnl: m !== null && m !== undefined && avg !== null ? (m - avg) * qty : null,
      opened_at: numOrNull(r.opened_at),
    };
  });
}

/** Decodes one `paper_orders` row. */
export function orderView(r: Row, decoder: Decoder): OrderView {
  const venue = String(r.venue);
  const symbol = String(r.symbol);
  return {
    run_id: String(r.run_id),
    id: String(r.id),
    venue,
    symbol,
    side: r.side === "sell" ? "sell" : "buy",
    type: String(r.type),
    tif: strOrNull(r.tif),
    reduce_only: Number(r.reduce_only) === 1,
    price: r.price === null ? null : decoder.price(venue, symbol, Number(r.price)),
    size: decoder.size(venue, symbol, Number(r.size)),
    filled: decoder.size(venue, symbol, Number(r.filled)),
    status: String(r.status),
    queue_ahead: r.queue_ahead === null ? null : decoder.size(venue, symbol, Number(r.queue_ahead)),
    tag: strOrNull(r.tag),
    reason: strOrNull(r.reason),
    submit_time: Number(r.submit_time),
    arrival_time: Number(r.arrival_time),
  };
}

/** The run's working orders (in flight or resting), oldest first. */
export async function openOrders(
  reader: DashboardReader,
  decoder: Decoder,
  runId: string | null,
): Promise<OrderView[]> {
  if (runId === null) return [];
  return (await reader.all(
    ["paper_orders"],
    `SELECT * FROM paper_orders WHERE run_id = ? AND status IN ('in_flight', 'open')
      ORDER BY submit_time LIMIT 500`,
    runId,
  )).map((r) => orderView(r, decoder));
}

/** Decodes one `paper_fills` row (with its rowid as `id`). */
export function fillView(r: Row, decoder: Decoder): FillView {
  const venue = String(r.venue);
  const symbol = String(r.symbol);
  return {
    id: Number(r.rid),
    run_id: String(r.run_id),
    seq: Number(r.seq),
    order_id: String(r.order_id),
    venue,
    symbol,
    side: r.side === "sell" ? "sell" : "buy",
    price: decoder.price(venue, symbol, Number(r.price)),
    size: decoder.size(venue, symbol, Number(r.size)),
    notional: amountToNumber(r.notional),
    fee: amountToNumber(r.fee),
    liquidity: String(r.liquidity),
    time: Number(r.time),
    tag: String(r.tag),
  };
}

/** The run's latest `limit` fills, newest first. */
export async function recentFills(
  reader: DashboardReader,
  decoder: Decoder,
  runId: string | null,
  limit = 100,
): Promise<FillView[]> {
  if (runId === null) return [];
  return (await reader.all(
    ["paper_fills"],
    "SELECT rowid AS rid, * FROM paper_fills WHERE run_id = ? ORDER BY seq DESC LIMIT ?",
    runId,
    limit,
  )).map((r) => fillView(r, decoder));
}

/** Fills (any run) stored after rowid `afterId`, oldest first. */
export async function fillsAfter(
  reader: DashboardReader,
  decoder: Decoder,
  afterId: number,
  limit = 1000,
): Promise<FillView[]> {
  return (await reader.all(
    ["paper_fills"],
    "SELECT rowid AS rid, * FROM paper_fills WHERE rowid > ? ORDER BY rowid LIMIT ?",
    afterId,
    limit,
  )).map((r) => fillView(r, decoder));
}

/** Control commands after `afterId` oldest first, or the latest `limit` newest first when -1. */
export async function controlsAfter(
  reader: DashboardReader,
  afterId: number,
  limit = 50,
): Promise<ControlView[]> {
  return (await reader.rowsAfter({
    table: "control_commands",
    columns: "id, ts, command, source, status, handled_at, detail",
    key: "id",
    afterId,
    limit,
  })).map((r) => ({ ...r }) as unknown as ControlView);
}
