/**
 * Which paper run the live edge continues, and its process sessions. `live_runs` names every
 * live account (one is current); `live_sessions` has one row per process start with the
 * previous session's end, so every restart and its downtime is on record (a session without
 * `ended_at` was killed or crashed; its last stored event marks where the gap began).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { SQLITE_LIVE_TABLES } from "../sqlite_migrations.ts";

/** The live run a process trades. */
export interface LiveRun {
  /** Run id in `paper_runs`. */
  readonly runId: string;
  /** True when an existing run continues, false when this process opened a new account. */
  readonly resumed: boolean;
  /** This process's session id. */
  readonly session: number;
  /** The previous session of the run, when there is one. */
  readonly previous?: LiveSession;
}

/** One process lifetime of a live run. */
export interface LiveSession {
  readonly id: number;
  readonly runId: string;
  readonly pid: number;
  readonly startedAt: number;
  /** Clean stop time; null when the process was killed or crashed. */
  readonly endedAt: number | null;
}

/** Creates the live tables unless they exist. */
export function ensureLiveTables(db: DatabaseSync): void {
  db.exec(SQLITE_LIVE_TABLES);
}

/**
 * Opens this process's session: continues the current live run, or starts a new one when
 * `newRun` is set or the store has none.
 *
 * @param now Wall clock, epoch ms.
 */
export function openLiveSession(
  db: DatabaseSync,
  options: { newRun: boolean; now: number; pid: number },
): LiveRun {
  ensureLiveTables(db);
  db.exec("BEGIN IMMEDIATE");
  try {
    let row = db.prepare("SELECT run_id FROM live_runs WHERE current = 1").get() as
      | { run_id: string }
      | undefined;
    const resumed = row !== undefined && !options.newRun;
    if (!resumed) {
      const runId = `live-${new Date(options.now).toISOString().replace(/[-:.]/g, "")}`;
      db.prepare("UPDATE live_runs SET current = 0").run();
      db.prepare("INSERT INTO live_runs (run_id, created_at, current) VALUES (?, ?, 1)").run(
        runId,
        options.now,
      );
      row = { run_id: runId };
    }
    const runId = row!.run_id;
    const prev = db.prepare(
      "SELECT id, run_id, pid, started_at, ended_at FROM live_sessions WHERE run_id = ? ORDER BY id DESC LIMIT 1",
    ).get(runId) as
      | { id: number; run_id: string; pid: number; started_at: number; ended_at: number | null }
      | undefined;
    const r = db.prepare("INSERT INTO live_sessions (run_id, pid, started_at) VALUES (?, ?, ?)")
      .run(runId, options.pid, options.now);
    db.exec("COMMIT");
    return {
      runId,
      resumed,
      session: Number(r.lastInsertRowid),
      ...(prev
        ? {
          previous: {
            id: Number(prev.id),
            runId: prev.run_id,
            pid: Number(prev.pid),
            startedAt: Number(prev.started_at),
            endedAt: prev.ended_at === null ? null : Number(prev.ended_at),
          },
        }
        : {}),
    };
  } catch (e) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw e;
  }
}

/** Marks a session cleanly stopped, with a JSON detail (summary figures). */
export function closeLiveSession(
  db: DatabaseSync,
  session: number,
  now: number,
  detail: Record<string, unknown>,
): void {
  db.prepare("UPDATE live_sessions SET ended_at = ?, detail = ? WHERE id = ?").run(
    now,
    JSON.stringify(detail),
    session,
  );
}

/** Every session of a run, oldest first. */
export function liveSessions(db: DatabaseSync, runId: string): LiveSession[] {
  ensureLiveTables(db);
  const rows = db.prepare(
    "SELECT id, run_id, pid, started_at, ended_at FROM live_sessions WHERE run_id = ? ORDER BY id",
  ).all(runId) as Array<
    { id: number; run_id: string; pid: number; started_at: number; ended_at: number | null }
  >;
  return rows.map((r) => ({
    id: Number(r.id),
    runId: r.run_id,
    pid: Number(r.pid),
    startedAt: Number(r.started_at),
    endedAt: r.ended_at === null ? null : Number(r.ended_at),
  }));
}

/** The current live run's id, or undefined (no live run yet, or no live tables). */
export function currentLiveRun(db: DatabaseSync): string | undefined {
  try {
    const r = db.prepare("SELECT run_id FROM live_runs WHERE current = 1").get() as
      | { run_id: string }
      | undefined;
    return r?.run_id;
  } catch {
    return undefined; // no live_runs table
  }
}
