/**
 * `archive`: applies the configured retention policy (`storage.retention`) to the SQLite store
 * once, or (`--measure`) measures bytes per book-hour in the store and in the archive on a
 * throwaway copy of a store.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import {
  applyRetention,
  retentionActive,
  retentionPolicy,
  type RetentionReport,
} from "../archive/retention.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { sqliteFileBytes, vacuum, vacuumInto } from "../../infra/store/sqlite_maintenance.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE = "usage: deno task archive [--config PATH] [--store PATH] [--json]\n" +
  "       deno task archive --measure [--store PATH] [--json]   (bytes per book-hour, on a copy)";

/**
 * CLI entry of `archive`.
 *
 * @returns Exit code: 0 ok (also when no policy is configured: nothing is done), 1 when an hour
 *   could not be archived (its rows stay in the store) or the store is missing.
 */
export async function archiveCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      measure: { type: "boolean", default: false },
      json: { type: "boolean", default: false },
    },
  });
  const { config } = await loadConfig(values.config);
  const path = values.store ?? config.storage.sqlite_path;
  if (config.storage.backend !== "sqlite" && !values.store) {
    throw new UsageError(
      "archive works on the SQLite store; PostgreSQL keeps its own TimescaleDB policies (docs/postgres.md)",
    );
  }
  if (!(await Deno.stat(path).then(() => true, () => false))) {
    out.stderr(`archive: no store at ${path}`);
    return 1;
  }
  if (values.measure) return await measure(path, values.json, out);
  const policy = retentionPolicy(config);
  if (!retentionActive(policy)) {
    out.stdout(
      "archive: no retention policy configured (storage.retention: archive_after_hours, max_store_mb, max_archive_mb): nothing archived or deleted",
    );
    return 0;
  }
  const store = await SqliteStore.open(path);
  let report: RetentionReport;
  try {
    report = await applyRetention(store, policy, {
      now: Date.now(),
      log: (l) => out.stderr(l),
    });
  } finally {
    await store.close();
  }
  if (values.json) out.stdout(JSON.stringify(report));
  else {
    out.stdout(
      `archived ${report.archived_hours} book-hours (${report.archived_rows} rows) into ${policy.archiveDir}: ` +
        `${report.archive_bytes_written} bytes written; store ${report.store_bytes_before} -> ${report.store_bytes_after} bytes in use; ` +
        `${report.deleted_archive_files} archive files deleted by the archive cap`,
    );
    for (const e of report.errors) out.stderr(`  kept in the store: ${e}`);
  }
  return report.errors.length ? 1 : 0;
}

/** Figures of `archive --measure`. */
export interface StorageMeasure {
  /** Books (venue/symbol) with data. */
  books: number;
  /** Book-hours covered (receive-time span summed over books). */
  book_hours: number;
  /** Store bytes taken by the market rows (deltas, trades, snapshots, pictures, their indexes). */
  store_bytes: number;
  /** Archive bytes of the same rows. */
  archive_bytes: number;
  /** Store bytes per book-hour. */
  store_bytes_per_book_hour: number;
  /** Archive bytes per book-hour. */
  archive_bytes_per_book_hour: number;
  /** Store bytes / archive bytes. */
  ratio: number;
}

async function measure(path: string, json: boolean, out: Output): Promise<number> {
  const tmp = await Deno.makeTempDir({ prefix: "tickerml-measure-" });
  try {
    const copy = `${tmp}/copy.db`;
    vacuumInto(path, copy);
    const before = (await Deno.stat(copy)).size;
    const store = await SqliteStore.open(copy);
    let report: RetentionReport;
    let after = 0;
    try {
      report = await applyRetention(store, { archiveDir: `${tmp}/archive` }, {
        now: Date.now(),
        includeOpenHour: true,
      });
      vacuum(store.db);
      after = sqliteFileBytes(store.db);
    } finally {
      await store.close();
    }
    if (report.errors.length) {
      for (const e of report.errors) out.stderr(`archive --measure: ${e}`);
      return 1;
    }
    const bookHours = report.archived_span_ms / 3_600_000;
    if (!(bookHours > 0)) {
      out.stderr(`archive --measure: ${path} holds no market data to measure`);
      return 1;
    }
    const books = new Set(report.files.map((f) => f.split("/").slice(-3, -1).join("/"))).size;
    const m: StorageMeasure = {
      books,
      book_hours: round(bookHours, 4),
      store_bytes: before - after,
      archive_bytes: report.archive_bytes_written,
      store_bytes_per_book_hour: Math.round((before - after) / bookHours),
      archive_bytes_per_book_hour: Math.round(report.archive_bytes_written / bookHours),
      ratio: round((before - after) / report.archive_bytes_written, 2),
    };
    if (json) out.stdout(JSON.stringify(m));
    else {
      out.stdout(
        `${path}: ${m.books} books, ${m.book_hours} book-hours of market data\n` +
          `  store:   ${m.store_bytes.toLocaleString("en-US")} bytes = ${
            m.store_bytes_per_book_hour.toLocaleString("en-US")
          } bytes per book-hour\n` +
          `  archive: ${m.archive_bytes.toLocaleString("en-US")} bytes = ${
            m.archive_bytes_per_book_hour.toLocaleString("en-US")
          } bytes per book-hour (${m.ratio}x smaller, verified against the store)`,
      );
    }
    return 0;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
