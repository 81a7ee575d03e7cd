/**
 * The {@linkcode Repositories} on an SQLite store (the edge's file). Statements are the ones
 * the synchronous writers use too (control_writer.ts, prediction_writer.ts).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { ControlCommandName } from "../../core/trading/engine/controls.ts";
import {
  type BacktestReportRow,
  type ControlRow,
  PREDICTION_COLUMNS,
  type PredictionRow,
  type Repositories,
  type StoredBacktestReport,
  toControlRow,
  toPredictionRow,
  toStoredReport,
} from "./repositories.ts";
import { settled } from "./settled.ts";
import { SqliteNewsRepository } from "./news/news_repository.ts";

/** Inserts a pending control command (ts, command, source). */
export const SQLITE_INSERT_CONTROL =
  "INSERT INTO control_commands (ts, command, source, status) VALUES (?, ?, ?, 'pending')";
/** Reads one control command by id. */
export const SQLITE_READ_CONTROL =
  "SELECT id, ts, command, source, status, handled_at, detail FROM control_commands WHERE id = ?";
/** Inserts one prediction ({@linkcode PREDICTION_COLUMNS} in order). */
export const SQLITE_INSERT_PREDICTION = `INSERT INTO predictions (${
  PREDICTION_COLUMNS.join(", ")
}) VALUES (${PREDICTION_COLUMNS.map(() => "?").join(", ")})`;
/** Inserts one backtest report and returns its id. */
export const SQLITE_INSERT_REPORT =
  `INSERT INTO backtest_reports (created_at, name, strategy, period_start, period_end, metrics)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`;

/** Whether the SQLite store has table `name`. */
export function sqliteHasTable(db: DatabaseSync, name: string): boolean {
  return db.prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = ?").get(
    name,
  ) !== undefined;
}

/** The repositories on an open, migrated SQLite database (the caller owns and closes `db`). */
export function sqliteRepositories(db: DatabaseSync): Repositories {
  return {
    backend: "sqlite",
    news: new SqliteNewsRepository(db),
    backtestReports: {
      append(r: BacktestReportRow): Promise<number> {
        return settled(() => {
          const row = db.prepare(SQLITE_INSERT_REPORT).get(
            r.createdAt,
            r.name,
            r.strategy,
            r.periodStart,
            r.periodEnd,
            JSON.stringify(r.metrics),
          ) as { id: number };
          return Number(row.id);
        });
      },
      latest(limit: number): Promise<StoredBacktestReport[]> {
        return settled(() => {
          const rows = db.prepare("SELECT * FROM backtest_reports ORDER BY id DESC LIMIT ?").all(
            limit,
          );
          return rows.map((r) => toStoredReport(r as Record<string, unknown>));
        });
      },
    },
    controls: {
      append(command: ControlCommandName, source: string, now: number): Promise<ControlRow> {
        return settled(() => {
          const { lastInsertRowid } = db.prepare(SQLITE_INSERT_CONTROL).run(now, command, source);
          const row = db.prepare(SQLITE_READ_CONTROL).get(Number(lastInsertRowid));
          return toControlRow(row as Record<string, unknown>);
        });
      },
      pending(limit: number): Promise<ControlRow[]> {
        return settled(() => {
          const rows = db.prepare(
            "SELECT * FROM control_commands WHERE status = 'pending' ORDER BY id LIMIT ?",
          ).all(limit);
          return rows.map((r) => toControlRow(r as Record<string, unknown>));
        });
      },
      settle(id, status, handledAt, detail): Promise<boolean> {
        return settled(() => {
          const { changes } = db.prepare(
            "UPDATE control_commands SET status = ?, handled_at = ?, detail = ? WHERE id = ? AND status = 'pending'",
          ).run(status, handledAt, detail, id);
          return Number(changes) === 1;
        });
      },
      after(afterId: number, limit: number): Promise<ControlRow[]> {
        return settled(() => {
          const rows = db.prepare("SELECT * FROM control_commands WHERE id > ? ORDER BY id LIMIT ?")
            .all(afterId, limit);
          return rows.map((r) => toControlRow(r as Record<string, unknown>));
        });
      },
    },
    predictions: {
      save(p: PredictionRow): Promise<void> {
        return settled(() => {
          db.prepare(SQLITE_INSERT_PREDICTION).run(...PREDICTION_COLUMNS.map((c) => p[c]));
          return;
        });
      },
      latest(limit: number): Promise<PredictionRow[]> {
        return settled(() => {
          const rows = db.prepare(
            `SELECT ${PREDICTION_COLUMNS.join(", ")} FROM predictions ORDER BY id DESC LIMIT ?`,
          ).all(limit);
          return rows.map((r) => toPredictionRow(r as Record<string, unknown>));
        });
      },
    },
  };
}
