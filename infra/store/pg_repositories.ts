/**
 * The {@linkcode Repositories} on a PostgreSQL store (the same tables as SQLite, from
 * pg_migrations.ts), on the store's client pool.
 *
 * @module
 */

import type postgres from "postgres";
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
import { PgNewsRepository } from "./news/pg_news_repository.ts";

type Rows = Record<string, unknown>[];

/** Whether PostgreSQL schema `schema` has table `name` (not another schema on the search path). */
export async function pgHasTable(
  sql: postgres.Sql,
  schema: string,
  name: string,
): Promise<boolean> {
  const rows = await sql.unsafe(
    "SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2",
    [schema, name],
  );
  return rows.length > 0;
}

/** The repositories on a PostgreSQL client (the caller owns and ends `sql`). */
export function pgRepositories(sql: postgres.Sql): Repositories {
  const q = async (text: string, params: unknown[] = []): Promise<Rows> =>
    (await sql.unsafe(text, params as never)) as unknown as Rows;
  return {
    backend: "postgres",
    news: new PgNewsRepository(sql),
    backtestReports: {
      async append(r: BacktestReportRow): Promise<number> {
        const [row] = await q(
          `INSERT INTO backtest_reports (created_at, name, strategy, period_start, period_end, metrics)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
          [r.createdAt, r.name, r.strategy, r.periodStart, r.periodEnd, JSON.stringify(r.metrics)],
        );
        return Number(row?.id);
      },
      async latest(limit: number): Promise<StoredBacktestReport[]> {
        const rows = await q("SELECT * FROM backtest_reports ORDER BY id DESC LIMIT $1", [limit]);
        return rows.map(toStoredReport);
      },
    },
    controls: {
      async append(command: ControlCommandName, source: string, now: number): Promise<ControlRow> {
        const [row] = await q(
          `INSERT INTO control_commands (ts, command, source, status) VALUES ($1, $2, $3, 'pending')
           RETURNING id, ts, command, source, status, handled_at, detail`,
          [now, command, source],
        );
        return toControlRow(row ?? {});
      },
      async pending(limit: number): Promise<ControlRow[]> {
        const rows = await q(
          "SELECT * FROM control_commands WHERE status = 'pending' ORDER BY id LIMIT $1",
          [limit],
        );
        return rows.map(toControlRow);
      },
      async settle(id, status, handledAt, detail): Promise<boolean> {
        const rows = await q(
          `UPDATE control_commands SET status = $1, handled_at = $2, detail = $3
           WHERE id = $4 AND status = 'pending' RETURNING id`,
          [status, handledAt, detail, id],
        );
        return rows.length === 1;
      },
      async after(afterId: number, limit: number): Promise<ControlRow[]> {
        const rows = await q(
          "SELECT * FROM control_commands WHERE id > $1 ORDER BY id LIMIT $2",
          [afterId, limit],
        );
        return rows.map(toControlRow);
      },
    },
    predictions: {
      async save(p: PredictionRow): Promise<void> {
        await q(
          `INSERT INTO predictions (${PREDICTION_COLUMNS.join(", ")}) VALUES (${
            PREDICTION_COLUMNS.map((_, i) => `$${i + 1}`).join(", ")
          })`,
          PREDICTION_COLUMNS.map((c) => p[c]),
        );
      },
      async latest(limit: number): Promise<PredictionRow[]> {
        const rows = await q(
          `SELECT ${PREDICTION_COLUMNS.join(", ")} FROM predictions ORDER BY id DESC LIMIT $1`,
          [limit],
        );
        return rows.map(toPredictionRow);
      },
    },
  };
}
