/**
 * What the soak checks in the retention archive the live edge wrote: every archive events file
 * is read back through the same decoder `replay` uses and replayed into a book (an archive that
 * cannot be read or replayed is a failure, named), its deltas and venue snapshots are handed to
 * the delta check (store_checks.ts) so deltas moved out of the store are not counted missing,
 * and the store and archive sizes are compared with the configured caps.
 *
 * @module
 */

import type { Instrument } from "../../core/market/instrument.ts";
import { listArchive, streamArchiveEvents } from "../archive/archive_files.ts";
import { bookAfter } from "../archive/archive_verify.ts";
import type { ArchivedBook } from "../../infra/store/store_checks.ts";

/** The archive as the soak saw it at the end. */
export interface ArchiveCheck {
  /** Archive events files (book-hours, parts included). */
  files: number;
  /** Archive bytes (events and pictures). */
  bytes: number;
  /** Files read back and replayed into a book without error. */
  replayed: number;
  /** Deltas found in the archive. */
  deltas: number;
  /** Problems (unreadable file, unknown book). */
  problems: string[];
  /** Archived deltas and venue snapshots per book (`venue symbol`), oldest first. */
  books: Map<string, ArchivedBook>;
}

/**
 * Reads every archive events file under `dir` back and replays it.
 *
 * @param dir The archive directory (`storage.retention.archive_dir`).
 * @param instruments The store's instruments (to decode each book's files).
 */
export async function checkArchive(
  dir: string,
  instruments: readonly Instrument[],
): Promise<ArchiveCheck> {
  const files = await listArchive(dir);
  const out: ArchiveCheck = {
    files: 0,
    bytes: files.reduce((s, f) => s + f.bytes, 0),
    replayed: 0,
    deltas: 0,
    problems: [],
    books: new Map(),
  };
  // Per-book order: listArchive sorts by hour then path; parts (~N) of an hour sort after it.
  let seq = -1e12;
  for (const f of files) {
    if (!f.path.endsWith(".jsonl.gz")) continue;
    out.files++;
    const parts = f.path.slice(dir.length + 1).split("/");
    const venue = parts[0]!;
    const symbol = (parts[1] ?? "").replace("-", "/");
    const inst = instruments.find((i) => i.venue === venue && i.symbol === symbol);
    if (!inst) {
      out.problems.push(`${f.path}: no instrument ${venue} ${symbol} in the store`);
      continue;
    }
    const key = `${venue} ${symbol}`;
    const book = out.books.get(key) ?? { deltas: [], snaps: [] };
    out.books.set(key, book);
    try {
      const events = await Array.fromAsync(streamArchiveEvents(f.path, inst));
      bookAfter(inst, events);
      for (const e of events) {
        seq++;
        if (e.kind === "delta") {
          book.deltas.push({
            seq,
            f: e.firstSequence,
            l: e.lastSequence,
            t: e.receiveTime,
            x: e.exchangeTime,
            c: e.checksum ?? null,
          });
          out.deltas++;
        } else if (e.kind === "snapshot") {
          book.snaps.push({ seq, s: e.sequence, t: e.receiveTime });
        }
      }
      out.replayed++;
    } catch (e) {
      out.problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return out;
}
