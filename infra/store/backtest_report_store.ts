/**
 * Opens the backtest reports of an existing store for the trainer's `backtest --store`: an
 * edge SQLite file (never created here; a running edge holds short write locks) or a
 * PostgreSQL URL (`postgres://…`, schema from `?schema=` else public). The store must have
 * `backtest_reports` (the edge's migration 4 on either backend).
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { redactSecrets } from "../../core/redact.ts";
import { connectPg, SCHEMA_NAME } from "./pg_client.ts";
import { pgHasTable, pgRepositories } from "./pg_repositories.ts";
import type { BacktestReports } from "./repositories.ts";
import { sqliteHasTable, sqliteRepositories } from "./sqlite_repositories.ts";

/** Error for a store that cannot take a report. */
export class ReportStoreError extends Error {
  /** @param path The store. @param why What is wrong. */
  constructor(path: string, why: string) {
    super(`Cannot store the backtest report in ${path}: ${why}`);
    this.name = "ReportStoreError";
  }
}

/** An open store's backtest reports; close it when done. */
export interface ReportStore {
  /** The reports. */
  readonly reports: BacktestReports;
  /** Closes the connection. */
  close(): Promise<void>;
}

const NO_TABLE =
  "it has no backtest_reports table (it is not an edge store: run `deno task db:migrate` for the store config.yaml names, or any edge command on it)";

/**
 * Opens `target` and checks it has `backtest_reports` (call it before a long backtest to fail
 * early).
 *
 * @throws {ReportStoreError} When the store cannot be opened or has no `backtest_reports`.
 */
export async function openReportStore(target: string): Promise<ReportStore> {
  return /^postgres(ql)?:\/\//.test(target) ? await openPg(target) : openSqlite(target);
}

function openSqlite(path: string): ReportStore {
  let db: DatabaseSync;
  try {
    Deno.statSync(path); // never create a store here
    db = new DatabaseSync(path, { timeout: 5_000 });
  } catch (e) {
    throw new ReportStoreError(path, (e as Error).message);
  }
  let has: boolean;
  try {
    has = sqliteHasTable(db, "backtest_reports");
  } catch (e) {
    db.close();
    throw new ReportStoreError(path, `not an SQLite store (${(e as Error).message})`);
  }
  if (!has) {
    db.close();
    throw new ReportStoreError(path, NO_TABLE);
  }
  const reports = sqliteRepositories(db).backtestReports;
  return {
    reports: {
      append: (row) =>
        reports.append(row).catch((e: Error) => {
          throw new ReportStoreError(path, e.message);
        }),
      latest: (limit) => reports.latest(limit),
    },
    close: () => Promise.resolve(db.close()),
  };
}

async function openPg(url: string): Promise<ReportStore> {
  const label = redactSecrets(url);
  let schema = "public";
  try {
    schema = new URL(url).searchParams.get("schema") ?? "public";
  } catch (e) {
    throw new ReportStoreError(label, (e as Error).message);
  }
  if (!SCHEMA_NAME.test(schema)) {
    throw new ReportStoreError(label, `schema must be a lower-case identifier, got "${schema}"`);
  }
  const plain = url.replace(/[?&]schema=[^&]*/, "").replace(/\?$/, "");
  const sql = connectPg(plain, schema, 1);
  const fail = async (why: string): Promise<never> => {
    await sql.end({ timeout: 1 });
    throw new ReportStoreError(label, redactSecrets(why, [url, plain]));
  };
  try {
    if (!(await pgHasTable(sql, schema, "backtest_reports"))) return await fail(NO_TABLE);
  } catch (e) {
    if (e instanceof ReportStoreError) throw e;
    return await fail((e as Error).message);
  }
  const reports = pgRepositories(sql).backtestReports;
  return {
    reports: {
      append: (row) => reports.append(row).catch((e: Error) => fail(e.message)),
      latest: (limit) => reports.latest(limit),
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
