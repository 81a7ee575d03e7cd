import { z } from "zod";
import type { AlertView, LockView, RiskView } from "./dashboard_views.ts";
import { parseJsonColumn } from "./json_column.ts";
import type { DashboardReader, Row } from "./store_reader.ts";

/** The configured risk limits the gauges compare against (config.yaml `risk`). */
export interface RiskLimitsView {
  /** Max drawdown, fraction. */
  max_drawdown: number;
  /** Daily loss limit, fraction. */
  daily_loss_limit: number;
}

// The paper trader's persisted RiskSnapshot (core/trading/risk/risk.ts on branch `trading`).
const SnapshotSchema = z.object({
  kill: z.string().nullable(),
  // Who paused entries (runs stored before the trader applied controls lack the key).
  paused: z.string().nullable().optional(),
  drawdown: z.string().nullable(),
  daily: z.string().nullable(),
  peak: z.number().nullable(),
  day: z.number(),
  dayStart: z.number().nullable(),
  losses: z.number(),
  cooldownUntil: z.number(),
});

const HaltSchema = z.object({
  halted: z.boolean(),
  reason: z.string(),
  time: z.number(),
  detail: z.string(),
});

/**
 * The run's risk state: its persisted snapshot (`paper_runs.risk`), the latest equity and
 * drawdown (`portfolio_state`), the books currently halted (`paper_risk_events` "book:*") and
 * whether entries are paused (the snapshot's `paused`; for runs stored without it, the last
 * pause/resume control not rejected).
 */
export async function riskView(
  reader: DashboardReader,
  runId: string | null,
  limits: RiskLimitsView,
): Promise<RiskView | null> {
  if (runId === null) return null;
  const run = await reader.get<{ risk: string; last_time: number }>(
    ["paper_runs"],
    "SELECT risk, last_time FROM paper_runs WHERE run_id = ?",
    runId,
  );
  if (!run) return null;
  const s = parseJsonColumn(run.risk, SnapshotSchema.nullable(), null);
  if (!s) return null;
  const p = await reader.get<{ equity: number; drawdown: number; timestamp: number }>(
    ["portfolio_state"],
    "SELECT equity, drawdown, timestamp FROM portfolio_state WHERE run_id = ? ORDER BY id DESC LIMIT 1",
    runId,
  );
  const equity = p?.equity ?? null;
  const dailyLoss = s.dayStart && equity !== null
    ? Math.max(0, (s.dayStart - equity) / s.dayStart)
    : 0;
  const locks: LockView[] = await haltedBooks(reader, runId);
  if (s.cooldownUntil > (p?.timestamp ?? run.last_time)) {
    locks.push({
      symbol: "all entries",
      until: s.cooldownUntil,
      reason: `cooldown after ${s.losses} losses`,
    });
  }
  const pause = await reader.get<{ command: string }>(
    ["control_commands"],
    `SELECT command FROM control_commands WHERE command IN ('pause_entries', 'resume')
       AND status != 'rejected' ORDER BY id DESC LIMIT 1`,
  );
  return {
    run_id: runId,
    time: p?.timestamp ?? run.last_time,
    state: s.kill !== null
      ? "HALTED"
      : (s.paused ?? null) !== null || s.drawdown !== null || s.daily !== null
      ? "REDUCING"
      : "ACTIVE",
    reason: [s.kill, s.paused ?? null, s.drawdown, s.daily].filter((r) => r !== null).join("; ") ||
      null,
    entries_paused: s.paused === undefined ? pause?.command === "pause_entries" : s.paused !== null,
    drawdown: p?.drawdown ?? 0,
    max_drawdown: limits.max_drawdown,
    daily_loss: dailyLoss,
    daily_loss_limit: limits.daily_loss_limit,
    consecutive_losses: s.losses,
    cooldown_until: s.cooldownUntil > 0 ? s.cooldownUntil : null,
    locks,
    correlations: {},
  };
}

/**
 * Halts still in force: the last `book:<reason>` event per reason says halted. (The trader's
 * halt events do not name the book; a run trades one book per venue/symbol it was given.)
 */
async function haltedBooks(reader: DashboardReader, runId: string): Promise<LockView[]> {
  const state = new Map<string, LockView | null>();
  for (
    const r of (await reader.all<{ detail: string }>(
      ["paper_risk_events"],
      "SELECT detail FROM paper_risk_events WHERE run_id = ? AND kind LIKE 'book:%' ORDER BY n",
      runId,
    ))
  ) {
    const h = parseJsonColumn(r.detail, HaltSchema.nullable(), null);
    if (!h) continue;
    state.set(
      h.reason,
      h.halted ? { symbol: "book", until: null, reason: `${h.reason}: ${h.detail}` } : null,
    );
  }
  return [...state.values()].filter((l): l is LockView => l !== null);
}

const AlertSchema = z.object({
  kind: z.string(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});
const StateSchema = z.object({ state: z.string(), reason: z.string() });

/** Decodes one `paper_risk_events` row as an alert (performance alert, state change or halt). */
export function alertView(r: Row): AlertView {
  const kind = String(r.kind);
  const base = { id: Number(r.rid), time: Number(r.time), value: null, threshold: null };
  if (kind.startsWith("alert:")) {
    const a = parseJsonColumn(r.detail, AlertSchema.nullable(), null);
    return {
      ...base,
      kind: kind.slice(6),
      severity: "warning",
      message: a?.message ?? String(r.detail),
      value: a?.value ?? null,
      threshold: a?.threshold ?? null,
    };
  }
  if (kind.startsWith("book:")) {
    const h = parseJsonColumn(r.detail, HaltSchema.nullable(), null);
    return {
      ...base,
      kind: `book ${kind.slice(5)}`,
      severity: h?.halted === false ? "info" : "warning",
      message: h ? `${h.halted ? "halted" : "resumed"}: ${h.detail}` : String(r.detail),
    };
  }
  const st = parseJsonColumn(r.detail, StateSchema.nullable(), null);
  return {
    ...base,
    kind: "risk state",
    severity: st?.state === "HALTED" ? "critical" : st?.state === "REDUCING" ? "warning" : "info",
    message: st ? `${st.state}: ${st.reason}` : String(r.detail),
  };
}

/** Alerts stored after rowid `afterId` oldest first, or the latest `limit` newest first when -1. */
export async function alertsAfter(
  reader: DashboardReader,
  afterId: number,
  limit = 50,
): Promise<AlertView[]> {
  return (await reader.rowsAfter({
    table: "paper_risk_events",
    columns: "rowid AS rid, *",
    key: "rowid",
    afterId,
    limit,
  })).map(alertView);
}
