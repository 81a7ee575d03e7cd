/**
 * SQL of operator controls: the dashboard's `control_commands` queue (market-store
 * migration 4) and the trader's `paper_controls` record of what each run applied.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { sqliteHasTable } from "../sqlite_repositories.ts";
import type { ControlCommand, ControlOutcome } from "../../../core/trading/engine/controls.ts";

/** A control a run handled, as recorded in `paper_controls`. */
export interface HandledControl {
  /** The command row. */
  readonly command: ControlCommand;
  /** Event cursor the command was applied after (a replay re-applies it there). */
  readonly cursor: number;
  /** Engine time it was applied at, ms. */
  readonly time: number;
  /** What became of it. */
  readonly outcome: ControlOutcome;
  /** Wall-clock time it was handled, ms. */
  readonly handledAt: number;
}

/** True when the store has the dashboard's `control_commands` table. */
export function hasControlTable(db: DatabaseSync): boolean {
  return sqliteHasTable(db, "control_commands");
}

/** Pending commands, oldest first. */
export function pendingControls(db: DatabaseSync, limit: number): ControlCommand[] {
  return (db.prepare(
    "SELECT id, command, source FROM control_commands WHERE status = 'pending' ORDER BY id LIMIT ?",
  ).all(limit) as { id: number; command: string; source: string }[]).map(toCommand);
}

/** The command `id` if it is still pending (call inside the write transaction). */
export function stillPending(db: DatabaseSync, id: number): ControlCommand | undefined {
  const r = db.prepare(
    "SELECT id, command, source FROM control_commands WHERE id = ? AND status = 'pending'",
  ).get(id) as { id: number; command: string; source: string } | undefined;
  return r && toCommand(r);
}

/** Marks the command handled and records it for the run (inside the write transaction). */
export function writeHandled(db: DatabaseSync, runId: string, h: HandledControl): void {
  db.prepare(
    "UPDATE control_commands SET status = ?, handled_at = ?, detail = ? WHERE id = ? AND status = 'pending'",
  ).run(h.outcome.status, h.handledAt, h.outcome.detail, h.command.id);
  const n = db.prepare("SELECT COUNT(*) AS n FROM paper_controls WHERE run_id = ?").get(runId) as {
    n: number;
  };
  db.prepare("INSERT INTO paper_controls VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").run(
    runId,
    Number(n.n) + 1,
    h.command.id,
    h.cursor,
    h.time,
    h.command.command,
    h.command.source,
    h.outcome.status,
    h.outcome.detail,
    h.handledAt,
  );
}

/** The controls a run handled, in the order it handled them. */
export function handledControls(db: DatabaseSync, runId: string): HandledControl[] {
  return (db.prepare("SELECT * FROM paper_controls WHERE run_id = ? ORDER BY n").all(
    runId,
  ) as Record<string, string | number>[]).map((r) => ({
    command: { id: Number(r.command_id), command: String(r.command), source: String(r.source) },
    cursor: Number(r.cursor),
    time: Number(r.time),
    outcome: {
      status: r.status === "applied" ? "applied" : "rejected",
      detail: String(r.detail),
    },
    handledAt: Number(r.handled_at),
  }));
}

function toCommand(r: { id: number; command: string; source: string }): ControlCommand {
  return { id: Number(r.id), command: String(r.command), source: String(r.source) };
}
