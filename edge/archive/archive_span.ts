/**
 * One step of the retention policy: a book's span archived as the next part of its hour,
 * verified, and its rows deleted in one transaction — with the recovery of a part written by a
 * pass that was stopped before its delete (retention.ts runs the steps).
 *
 * @module
 */

import type { Instrument } from "../../core/market/instrument.ts";
import type { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { deleteWindow, windowRowCounts } from "../../infra/store/sqlite_maintenance.ts";
import {
  archivePath,
  booksPathOf,
  encodeBooks,
  nextPart,
  readArchiveBooks,
  streamArchiveEvents,
  writeDurably,
  writeEventsDurably,
} from "./archive_files.ts";
import { ArchiveVerifyError, type VerifiedCounts, verify } from "./archive_verify.ts";
import type { RetentionReport } from "./retention.ts";

/**
 * Archives one book's span `[hour, to)` as the next part of the hour. First, when the hour's
 * last part still has its rows in the store (a pass stopped between writing it and deleting
 * them: SIGKILL, or a delete refused on a full disk), those rows — that part's own span, up to
 * its newest receive time — are verified against it and deleted, so no row is archived twice.
 */
export async function archiveHour(
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
  const rowCounts = () => windowRowCounts(store.db, q);
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
    deleteWindow(store.db, q, (now) => {
      if (now !== before || now !== verified) {
        throw new ArchiveVerifyError(
          path,
          `rows changed while archiving (deltas, trades, snapshots, pictures: ${before} -> ${now}, archived ${verified})`,
        );
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
