/**
 * The retention and archive policy of the SQLite store. Closed hours of a book's deltas,
 * trades and venue snapshots (and its periodic pictures) are written as archive files
 * (archive_files.ts), read back and verified — the same events, field by field, and the same
 * book after replaying them — and only then deleted from the store, in one transaction that
 * first checks the row counts are still those archived. Archive files are deleted only by the
 * `max_archive_mb` cap. Without caps nothing happens: the user's data is kept.
 *
 * Hours are judged by the data's time, not the wall clock: the current hour is the hour of the
 * newest receive time in the store (or `now` when that is later than the data), and an hour is
 * old when it ended `archive_after_hours` before the newest data. When the store is over
 * `max_store_mb`, the oldest closed hours go first; when only the current hour is left and the
 * store is still over its cap, its rows older than {@linkcode SLICE_MS} behind the newest data
 * are archived as a part of that hour (`<hour>~NNN`), verified the same way, so the cap holds
 * within an hour too (rows that reach an archived span later become a further part). A pass
 * that starts over the cap goes on down to {@linkcode LOW_WATER} of it.
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import type { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { hourOf, listArchive } from "./archive_files.ts";
import { newestTime, oldestTime, readerOf, storeUsedBytes } from "./store_times.ts";
import { archiveHour } from "./archive_span.ts";

export { ArchiveVerifyError, bookAfter, eventKey, verify } from "./archive_verify.ts";
export { newestTime, oldestTime, storeUsedBytes } from "./store_times.ts";

const HOUR = 3_600_000;
const MB = 1024 * 1024;

/**
 * Within the current hour, over the size cap: rows older than this many ms behind the newest
 * data are archived (a boundary of this many ms at least this far back).
 */
export const SLICE_MS = 10_000;

/** The most of one book's current hour archived in one step (a part file), ms. */
export const STEP_MS = 3 * SLICE_MS;

/** A pass that starts over `max_store_mb` archives until the store is under this share of it. */
export const LOW_WATER = 0.75;

/** A retention policy (all caps optional; none set = keep everything). */
export interface RetentionPolicy {
  /** Archive hours older than this many hours. */
  readonly archiveAfterHours?: number | undefined;
  /** Archive the oldest closed hours while the store uses more bytes than this. */
  readonly maxStoreBytes?: number | undefined;
  /** Delete the oldest archive files while they take more bytes than this. */
  readonly maxArchiveBytes?: number | undefined;
  /** Archive directory. */
  readonly archiveDir: string;
}

/** The policy `storage.retention` configures. */
export function retentionPolicy(config: Config): RetentionPolicy {
  const r = config.storage.retention;
  return {
    archiveAfterHours: r.archive_after_hours,
    maxStoreBytes: r.max_store_mb === undefined ? undefined : r.max_store_mb * MB,
    maxArchiveBytes: r.max_archive_mb === undefined ? undefined : r.max_archive_mb * MB,
    archiveDir: r.archive_dir,
  };
}

/** Whether the policy can archive or delete anything at all. */
export function retentionActive(p: RetentionPolicy): boolean {
  return p.archiveAfterHours !== undefined || p.maxStoreBytes !== undefined ||
    p.maxArchiveBytes !== undefined;
}

/** What one application of the policy did (snake_case: printed as JSON). */
export interface RetentionReport {
  /** Book-hours archived and deleted from the store. */
  archived_hours: number;
  /** Store rows (events and pictures) archived and deleted. */
  archived_rows: number;
  /** Archive bytes written. */
  archive_bytes_written: number;
  /** Archive files deleted by the archive size cap. */
  deleted_archive_files: number;
  /** Bytes of those files. */
  deleted_archive_bytes: number;
  /** Store bytes in use before and after. */
  store_bytes_before: number;
  /** Store bytes in use after. */
  store_bytes_after: number;
  /** Span (ms of receive time) of the archived book-hours, summed over books. */
  archived_span_ms: number;
  /** Files written (or found complete from an interrupted run). */
  files: string[];
  /** Problems (each leaves its rows in the store). */
  errors: string[];
}

/** Options of {@linkcode applyRetention}. */
export interface ApplyRetentionOptions {
  /**
   * Latest current time, epoch ms (the wall clock): the data's time is the newest receive time
   * in the store, and never later than this.
   */
  readonly now: number;
  /** Also archive the current (open) hour: measurements on a throwaway copy only. */
  readonly includeOpenHour?: boolean;
  /** Log lines. */
  readonly log?: (line: string) => void;
}

/**
 * Applies a policy once: archives (verified) and deletes the eligible hours, oldest first,
 * then enforces the archive size cap.
 */
export async function applyRetention(
  store: SqliteStore,
  policy: RetentionPolicy,
  options: ApplyRetentionOptions,
): Promise<RetentionReport> {
  const report: RetentionReport = {
    archived_hours: 0,
    archived_rows: 0,
    archive_bytes_written: 0,
    deleted_archive_files: 0,
    deleted_archive_bytes: 0,
    store_bytes_before: storeUsedBytes(store),
    store_bytes_after: 0,
    archived_span_ms: 0,
    files: [],
    errors: [],
  };
  const log = options.log ?? (() => {});
  const instruments = await store.instruments();
  // The data's clock: an hour closes when the data has moved past it.
  const now = Math.min(options.now, newestTime(store) ?? options.now);
  const open = hourOf(now);
  const ageLimit = policy.archiveAfterHours === undefined
    ? -Infinity
    : now - policy.archiveAfterHours * HOUR;
  // Inside the current hour (over the size cap): rows before this boundary.
  const cut = Math.floor((now - SLICE_MS) / SLICE_MS) * SLICE_MS;
  const failed = new Set<string>();
  const overAtStart = policy.maxStoreBytes !== undefined &&
    storeUsedBytes(store) > policy.maxStoreBytes;
  let reader: SqliteStore | undefined;
  try {
    while (true) {
      let pick: { inst: Instrument; hour: number; t: number } | undefined;
      for (const inst of instruments) {
        if (failed.has(`${inst.venue} ${inst.symbol}`)) continue;
        const t = oldestTime(store, inst.venue, inst.symbol);
        if (t === undefined) continue;
        if (!pick || t < pick.t) pick = { inst, hour: hourOf(t), t };
      }
      if (!pick) break;
      const end = pick.hour + HOUR;
      const closed = options.includeOpenHour || end <= open;
      const old = end <= ageLimit;
      // Over the cap: archive down to its low-water mark, so one pass makes room for a while
      // (every book's data keeps coming while a pass runs).
      const limit = policy.maxStoreBytes === undefined
        ? undefined
        : overAtStart
        ? policy.maxStoreBytes * LOW_WATER
        : policy.maxStoreBytes;
      const over = limit !== undefined && storeUsedBytes(store) > limit;
      // The span archived: the whole hour, or (current hour, over the cap) up to the cut.
      let to: number;
      if (closed && (old || over || options.includeOpenHour)) to = end;
      else if (!closed && over && pick.t < cut) {
        // At most STEP_MS of one book per step, each committed on its own: a pass that is
        // stopped (SIGKILL) keeps what it archived, and the writer is never held up long.
        to = Math.min(cut, Math.floor(pick.t / SLICE_MS) * SLICE_MS + STEP_MS);
      } else break;
      try {
        reader ??= await readerOf(store);
        await archiveHour(store, reader, pick.inst, pick.hour, policy.archiveDir, report, to);
      } catch (e) {
        failed.add(`${pick.inst.venue} ${pick.inst.symbol}`);
        const msg = e instanceof Error ? e.message : String(e);
        report.errors.push(msg);
        log(
          `retention: ${pick.inst.venue} ${pick.inst.symbol} ${
            new Date(pick.hour).toISOString()
          }: ${msg}`,
        );
      }
    }
  } finally {
    if (reader !== undefined && reader !== store) await reader.close();
  }
  if (policy.maxArchiveBytes !== undefined) {
    const files = await listArchive(policy.archiveDir);
    let total = files.reduce((s, f) => s + f.bytes, 0);
    for (const f of files) {
      if (total <= policy.maxArchiveBytes) break;
      await Deno.remove(f.path);
      total -= f.bytes;
      report.deleted_archive_files++;
      report.deleted_archive_bytes += f.bytes;
    }
    if (report.deleted_archive_files) {
      log(
        `retention: archive over its cap: deleted the ${report.deleted_archive_files} oldest files`,
      );
    }
  }
  report.store_bytes_after = storeUsedBytes(store);
  if (report.archived_hours) {
    log(
      `retention: archived ${report.archived_hours} book-hours (${report.archived_rows} rows, ${report.archive_bytes_written} bytes) to ${policy.archiveDir}`,
    );
  }
  return report;
}
