/**
 * Storage usage for `status`: store size (file, WAL, pages in use), archive size and file
 * count, the oldest hour in each, and the configured caps.
 *
 * @module
 */

import type { SqliteDatabase as DatabaseSync } from "../../infra/store/sqlite_db.ts";
import { oldestStoredTime, sqliteUsedBytes } from "../../infra/store/sqlite_maintenance.ts";
import type { Config } from "../../core/config.ts";
import { listArchive } from "./archive_files.ts";

/** Storage usage (snake_case: printed as JSON). */
export interface StorageUsage {
  /** Store file bytes (database + WAL). */
  store_file_bytes: number;
  /** Store bytes in use (pages minus free pages). */
  store_used_bytes: number;
  /** Oldest hour of market data in the store (ISO), or null. */
  store_oldest_hour: string | null;
  /** Archive directory. */
  archive_dir: string;
  /** Archive bytes. */
  archive_bytes: number;
  /** Archive files (events and pictures). */
  archive_files: number;
  /** Oldest archived hour (ISO, from the file names), or null. */
  archive_oldest_hour: string | null;
  /** The caps of `storage.retention` (null: not set, kept). */
  caps: {
    archive_after_hours: number | null;
    max_store_mb: number | null;
    max_archive_mb: number | null;
  };
}

/**
 * Measures the store behind `db` (opened on `path`) and the configured archive.
 *
 * @param db The store database (read-only is enough).
 * @param path Its file path (for the file sizes).
 * @param config The configuration (retention caps, archive directory).
 */
export async function storageUsage(
  db: DatabaseSync,
  path: string,
  config: Config,
): Promise<StorageUsage> {
  const size = (p: string) => Deno.stat(p).then((s) => s.size, () => 0);
  const oldest = oldestStoredTime(db);
  const r = config.storage.retention;
  const files = await listArchive(r.archive_dir);
  const first = files[0]?.path.split("/").at(-1)?.slice(0, 13);
  return {
    store_file_bytes: (await size(path)) + (await size(`${path}-wal`)),
    store_used_bytes: sqliteUsedBytes(db),
    store_oldest_hour: oldest === undefined
      ? null
      : new Date(Math.floor(oldest / 3_600_000) * 3_600_000).toISOString().slice(0, 13) + ":00Z",
    archive_dir: r.archive_dir,
    archive_bytes: files.reduce((s, f) => s + f.bytes, 0),
    archive_files: files.length,
    archive_oldest_hour: first ? `${first}:00Z` : null,
    caps: {
      archive_after_hours: r.archive_after_hours ?? null,
      max_store_mb: r.max_store_mb ?? null,
      max_archive_mb: r.max_archive_mb ?? null,
    },
  };
}

/** Human-readable lines of a usage report. */
export function formatStorageUsage(u: StorageUsage): string[] {
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;
  const c = u.caps;
  const caps =
    c.archive_after_hours === null && c.max_store_mb === null && c.max_archive_mb === null
      ? "none (everything is kept)"
      : [
        c.archive_after_hours !== null ? `archive after ${c.archive_after_hours} h` : "",
        c.max_store_mb !== null ? `store ≤ ${c.max_store_mb} MB` : "",
        c.max_archive_mb !== null ? `archive ≤ ${c.max_archive_mb} MB` : "",
      ].filter(Boolean).join(", ");
  return [
    `storage: store ${mb(u.store_file_bytes)} on disk, ${
      mb(u.store_used_bytes)
    } in use, oldest hour ${u.store_oldest_hour ?? "-"}`,
    `  archive ${u.archive_dir}: ${mb(u.archive_bytes)} in ${u.archive_files} files, oldest hour ${
      u.archive_oldest_hour ?? "-"
    }`,
    `  caps (storage.retention): ${caps}`,
  ];
}
