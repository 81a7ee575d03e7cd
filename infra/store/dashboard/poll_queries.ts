/**
 * What the dashboard's live poller reads besides the panel queries: the append-only tables'
 * ends (its cursors on connect), control commands new or settled since a cursor, and the
 * instrument count (to notice new instruments).
 *
 * @module
 */

import type { ControlView } from "../trading/control_writer.ts";
import type { DashboardReader } from "./store_reader.ts";

/** Where the poller's append-only cursors start: each table's end. */
export interface PollEnds {
  /** Last `portfolio_state` id. */
  portfolio: number;
  /** Last `paper_fills` rowid. */
  fill: number;
  /** Last `feed_health` id. */
  feed: number;
  /** Last `paper_risk_events` rowid. */
  alert: number;
  /** Last `arbitrage_opportunities` id. */
  arb: number;
  /** Last `control_commands` id. */
  control: number;
  /** Latest `control_commands.handled_at`. */
  handled: number;
}

const maxOf = async (reader: DashboardReader, table: string, col: string): Promise<number> =>
  (await reader.get<{ v: number | null }>([table], `SELECT MAX(${col}) AS v FROM ${table}`))?.v ??
    0;

/** The append-only tables' ends (0 for a missing or empty table). */
export async function pollEnds(reader: DashboardReader): Promise<PollEnds> {
  return {
    portfolio: await maxOf(reader, "portfolio_state", "id"),
    fill: await maxOf(reader, "paper_fills", "rowid"),
    feed: await maxOf(reader, "feed_health", "id"),
    alert: await maxOf(reader, "paper_risk_events", "rowid"),
    arb: await maxOf(reader, "arbitrage_opportunities", "id"),
    control: await maxOf(reader, "control_commands", "id"),
    handled: await maxOf(reader, "control_commands", "handled_at"),
  };
}

/** Control commands logged after `afterId` or handled after `handledAfter`, by id (at most 200). */
export async function controlsChanged(
  reader: DashboardReader,
  afterId: number,
  handledAfter: number,
): Promise<ControlView[]> {
  return (await reader.all<ControlView>(
    ["control_commands"],
    `SELECT id, ts, command, source, status, handled_at, detail FROM control_commands
        WHERE id > ? OR handled_at > ? ORDER BY id LIMIT 200`,
    afterId,
    handledAfter,
  ));
}

/** Number of recorded instruments. */
export async function instrumentCount(reader: DashboardReader): Promise<number> {
  return (await reader.get<{ n: number }>(["instruments"], "SELECT COUNT(*) AS n FROM instruments"))
    ?.n ??
    0;
}
