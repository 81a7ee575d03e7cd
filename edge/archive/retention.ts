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
import type { SqliteStore } from "../store/sqlite_store.ts";
import { newestTime, oldestTime, readerOf, stmt, storeUsedBytes } from "./store_times.ts";
import { sqliteTransaction } from "../store/sqlite_transaction.ts";
import {
  archivePath,
  booksPathOf,
  encodeBooks,
  hourOf,
  listArchive,
  nextPart,
  readArchiveBooks,
  streamArchiveEvents,
  writeDurably,
  writeEventsDurably,
} from "./archive_files.ts";
import { ArchiveVerifyError, type VerifiedCounts, verify } from "./archive_verify.ts";

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
      }
      else break;
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

/**
 * Archives one book's span `[hour, to)` as the next part of the hour. First, when the hour's
 * last part still has its rows in the store (a pass stopped between writing it and deleting
 * them: SIGKILL, or a delete refused on a full disk), those rows — that part's own span, up to
 * its newest receive time — are verified against it and deleted, so no row is archived twice.
 */
async function archiveHour(
  store: SqliteStore,
  reader: SqliteStore,
  inst: Instrument,
  hour: number,
  dir: string,
  report: RetentionReport,
  to: number,
): Promise<void> {
  const part = await nextPart(dir, inst, hour);
  if (part > 0) {
    const last = archivePath(dir, inst, hour, part - 1);
    const end = await newestIn(last, inst).catch(() => undefined);
    if (end !== undefined) {
      const span = Math.min(to, nextDouble(end));
      if (await archiveSpan(store, reader, inst, hour, span, last, report, true)) {
        if (span >= to) return;
      }
    }
  }
  await archiveSpan(
    store,
    reader,
    inst,
    hour,
    to,
    archivePath(dir, inst, hour, part),
    report,
    false,
  );
}

/** The newest receive time of an archive part (events and pictures), or undefined when empty. */
async function newestIn(path: string, inst: Instrument): Promise<number | undefined> {
  let end = -Infinity;
  for await (const e of streamArchiveEvents(path, inst)) end = Math.max(end, e.receiveTime);
  const books = await readArchiveBooks(booksPathOf(path)).catch(() => []);
  for (const b of books) end = Math.max(end, b.time);
  return Number.isFinite(end) ? end : undefined;
}

/** The smallest double above a positive `x` (a span that includes `x` itself). */
function nextDouble(x: number): number {
  const f = new Float64Array([x]);
  const u = new BigUint64Array(f.buffer);
  u[0]! += 1n;
  return f[0]!;
}

/**
 * Archives the rows of `[hour, to)` into `path` (or, `existing`, checks that `path` holds
 * exactly them), then deletes them in one transaction that re-checks their counts. A file this
 * call wrote is removed again when the delete fails (the rows stay in the store).
 *
 * @returns Whether the rows were archived and deleted (`existing`: false when the file does not
 *   hold exactly these rows, which are then left alone).
 */
async function archiveSpan(
  store: SqliteStore,
  reader: SqliteStore,
  inst: Instrument,
  hour: number,
  to: number,
  path: string,
  report: RetentionReport,
  existing: boolean,
): Promise<boolean> {
  const q = { venue: inst.venue, symbol: inst.symbol, fromTime: hour, toTime: to };
  const where = "venue = ? AND symbol = ? AND receive_time >= ? AND receive_time < ?";
  const args = [inst.venue, inst.symbol, hour, to] as const;
  const rowCounts = () => {
    const count = (sql: string) => (stmt(store.db, sql).get(...args) as { n: number }).n;
    return [
      count(`SELECT COUNT(*) AS n FROM book_deltas WHERE ${where}`),
      count(`SELECT COUNT(*) AS n FROM trades WHERE ${where}`),
      count(`SELECT COUNT(*) AS n FROM order_books WHERE ${where} AND source = 'venue'`),
      count(`SELECT COUNT(*) AS n FROM order_books WHERE ${where} AND source = 'periodic'`),
    ].join();
  };
  const before = rowCounts();
  if (before === "0,0,0,0") return false; // nothing left in the span
  const books = await reader.readBooks(q);
  let counts: VerifiedCounts | undefined;
  if (existing) {
    counts = await verify(path, inst, reader.readEvents(q), books).catch(() => undefined);
    if (!counts) return false;
  } else {
    report.archive_bytes_written += await writeEventsDurably(path, inst, reader.readEvents(q));
    if (books.length) {
      const b = encodeBooks(books);
      await writeDurably(booksPathOf(path), b);
      report.archive_bytes_written += b.length;
    }
  }
  try {
    counts ??= await verify(path, inst, reader.readEvents(q), books);
    const verified = [counts.deltas, counts.trades, counts.snapshots, books.length].join();
    sqliteTransaction(store.db, () => {
      const now = rowCounts();
      if (now !== before || now !== verified) {
        throw new ArchiveVerifyError(
          path,
          `rows changed while archiving (deltas, trades, snapshots, pictures: ${before} -> ${now}, archived ${verified})`,
        );
      }
      for (const t of ["book_deltas", "trades", "order_books"]) {
        stmt(store.db, `DELETE FROM ${t} WHERE ${where}`).run(...args);
      }
    });
  } catch (e) {
    if (!existing) {
      // The rows stay in the store: the file goes, or a later pass would archive them twice.
      await Deno.remove(path).catch(() => {});
      await Deno.remove(booksPathOf(path)).catch(() => {});
    }
    throw e;
  }
  report.archived_hours++;
  report.archived_rows += counts.deltas + counts.trades + counts.snapshots + books.length;
  let first = Number.isNaN(counts.first) ? Infinity : counts.first;
  let last = Number.isNaN(counts.last) ? -Infinity : counts.last;
  for (const b of books) {
    if (b.time < first) first = b.time;
    if (b.time > last) last = b.time;
  }
  report.archived_span_ms += last - first;
  report.files.push(path);
  return true;
}
