/**
 * Archive files of the SQLite store: one gzip recording per venue/symbol/hour
 * (`<dir>/<venue>/<BASE-QUOTE>/<YYYY-MM-DDTHH>.jsonl.gz`, lines `<receive ns> <Binance frame>`
 * as `export-recording` writes them), plus the hour's periodic book pictures beside it
 * (`<hour>.books.gz`, JSON lines, so `*.jsonl.gz` globs only the recordings). A later part of an hour that was archived already gets `~NNN` (001, 002, ...: name order is time order).
 * Sorted by name, a book's files are in ingest order.
 *
 * @module
 */

import { once } from "node:events";
import { createGzip, gzipSync } from "node:zlib";
import { decodeBinanceFrame } from "../../core/market/binance_frame.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { splitRecordedLine } from "../../core/market/recorded_line.ts";
import type { PeriodicBookSnapshot } from "../../core/storage.ts";
import { recordingLine } from "../recording/binance_frames.ts";
import { readRecordedLines } from "../../infra/recording/recorded_lines.ts";

/** An archive file that cannot be read back as written (named with file and line). */
export class ArchiveReadError extends Error {
  /**
   * @param file The archive file.
   * @param message What is wrong, with the line number when known.
   */
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = "ArchiveReadError";
  }
}

/** Hour start (epoch ms) of a time. */
export function hourOf(ms: number): number {
  return Math.floor(ms / 3_600_000) * 3_600_000;
}

/** The file path of a book's hour, part `part` (0 = first). */
export function archivePath(dir: string, inst: Instrument, hour: number, part = 0): string {
  const h = new Date(hour).toISOString().slice(0, 13);
  return `${dir}/${inst.venue}/${inst.symbol.replace("/", "-")}/${h}${
    part ? `~${String(part).padStart(3, "0")}` : ""
  }.jsonl.gz`;
}

/**
 * The next part number of a book-hour: one past the highest part on disk (so a part the
 * archive cap deleted is never reused), 0 when there is none.
 */
export async function nextPart(dir: string, inst: Instrument, hour: number): Promise<number> {
  const first = archivePath(dir, inst, hour);
  const folder = first.slice(0, first.lastIndexOf("/"));
  const stem = first.slice(folder.length + 1, -".jsonl.gz".length);
  let next = 0;
  try {
    for await (const e of Deno.readDir(folder)) {
      if (!e.name.startsWith(stem) || !e.name.endsWith(".jsonl.gz")) continue;
      const m = /^~(\d+)\.jsonl\.gz$/.exec(e.name.slice(stem.length));
      const n = e.name === `${stem}.jsonl.gz` ? 0 : m ? Number(m[1]) : -1;
      if (n >= 0) next = Math.max(next, n + 1);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return next;
}

/** The pictures file beside an events file. */
export function booksPathOf(eventsPath: string): string {
  return eventsPath.replace(/\.jsonl\.gz$/, ".books.gz");
}

/** Writes bytes to `path` atomically and durably (temporary file, fsync, rename). */
export async function writeDurably(path: string, bytes: Uint8Array): Promise<void> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  try {
    let off = 0;
    while (off < bytes.length) off += await f.write(bytes.subarray(off));
    await f.sync();
  } finally {
    f.close();
  }
  await Deno.rename(tmp, path);
}

/** Gzip bytes of an hour's periodic pictures (one JSON object per line, integer ticks/lots). */
export function encodeBooks(books: readonly PeriodicBookSnapshot[]): Uint8Array {
  const text = books.map((b) => JSON.stringify(b)).join("\n") + "\n";
  return gzipSync(new TextEncoder().encode(text), { level: 9 });
}

/**
 * Writes a book-hour's events as a gzip recording, streaming (memory stays small however busy
 * the hour), atomically and durably (temporary file, fsync, rename).
 *
 * @returns The compressed size in bytes.
 */
export async function writeEventsDurably(
  path: string,
  inst: Instrument,
  events: AsyncIterable<MarketEvent>,
): Promise<number> {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  const tmp = `${path}.tmp`;
  const f = await Deno.open(tmp, { write: true, create: true, truncate: true });
  let bytes = 0;
  // A failed file write (ENOSPC) stops the pump: it is kept here and ends the whole write
  // (never an unhandled rejection), and the partial temporary file is removed.
  let failed: unknown;
  try {
    const gz = createGzip({ level: 9 });
    const pump = (async () => {
      for await (const chunk of gz as AsyncIterable<Uint8Array>) {
        let off = 0;
        while (off < chunk.length) off += await f.write(chunk.subarray(off));
        bytes += chunk.length;
      }
    })().catch((e) => {
      failed ??= e;
      gz.destroy(e as Error);
    });
    const put = async (text: string) => {
      if (failed !== undefined) throw failed;
      if (!gz.write(text)) await once(gz, "drain");
    };
    let text = "";
    for await (const e of events) {
      text += recordingLine(e, inst) + "\n";
      if (text.length > 65_536) {
        await put(text);
        text = "";
      }
    }
    if (text) await put(text);
    gz.end();
    await pump;
    if (failed !== undefined) throw failed;
    await f.sync();
  } catch (e) {
    f.close();
    await Deno.remove(tmp).catch(() => {});
    throw failed ?? e;
  }
  f.close();
  await Deno.rename(tmp, path);
  return bytes;
}

/**
 * Streams an archive events file back through the same frame decoder every reader uses (which
 * restores the extra fields: `X` checksum, `I` trade id, snapshot `s` and `E`).
 *
 * @throws {ArchiveReadError} On any unreadable line (an archive is never partly trusted).
 */
export async function* streamArchiveEvents(
  path: string,
  inst: Instrument,
): AsyncGenerator<MarketEvent> {
  const lookup = (s: string) => (s === inst.venueSymbol ? inst : undefined);
  for await (const item of readRecordedLines(path)) {
    if (item.kind === "error") {
      throw new ArchiveReadError(path, `line ${item.lineNo}: ${item.message}`);
    }
    if (item.text === "") continue;
    const line = splitRecordedLine(item.text);
    if (!line) throw new ArchiveReadError(path, `line ${item.lineNo}: no receive time`);
    let ev;
    try {
      ev = decodeBinanceFrame(JSON.parse(line.frame), {
        venue: inst.venue,
        receiveTime: line.receiveTime,
        lookup,
        snapshotInstrument: inst,
        aggTrades: false,
      });
    } catch (e) {
      throw new ArchiveReadError(path, `line ${item.lineNo}: ${(e as Error).message}`);
    }
    if (ev.kind === "ignored") {
      throw new ArchiveReadError(path, `line ${item.lineNo}: unexpected frame`);
    }
    yield ev;
  }
}

/** Reads a whole archive events file back (tests, small files); see {@linkcode streamArchiveEvents}. */
export function readArchiveEvents(path: string, inst: Instrument): Promise<MarketEvent[]> {
  return Array.fromAsync(streamArchiveEvents(path, inst));
}

/** Reads a pictures file back. */
export async function readArchiveBooks(path: string): Promise<PeriodicBookSnapshot[]> {
  const out: PeriodicBookSnapshot[] = [];
  for await (const item of readRecordedLines(path)) {
    if (item.kind === "error") {
      throw new ArchiveReadError(path, `line ${item.lineNo}: ${item.message}`);
    }
    if (item.text !== "") out.push(JSON.parse(item.text));
  }
  return out;
}

/** Every archive file under `dir` with its size, sorted by hour (oldest first), then path. */
export async function listArchive(dir: string): Promise<{ path: string; bytes: number }[]> {
  const out: { path: string; bytes: number; hour: string }[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(d));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.name.endsWith(".jsonl.gz") || e.name.endsWith(".books.gz")) {
        out.push({ path: p, bytes: (await Deno.stat(p)).size, hour: e.name.slice(0, 13) });
      }
    }
  };
  await walk(dir);
  // Hour, then part number (`~7` of older archives before `~010`), then path.
  const part = (p: string) => Number(/~(\d+)\.[a-z]+\.gz$/.exec(p)?.[1] ?? 0);
  out.sort((a, b) =>
    a.hour < b.hour ? -1 : a.hour > b.hour ? 1 : part(a.path) - part(b.path) ||
      (a.path < b.path ? -1 : 1)
  );
  return out.map(({ path, bytes }) => ({ path, bytes }));
}
