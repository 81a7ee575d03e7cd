/**
 * The soak's delta check for every venue, against what the simulator says it sent
 * (`simulate --sent-log DIR`, edge/simulator/sent_log.ts): per book, every delta sent to the
 * edge is looked up in the store (and the retention archive) by the key the edge stores of it
 * — update ids on Binance.US and KuCoin, message time and connection sequence on Coinbase,
 * message time and checksum on Kraken. Deltas sent in a row and not stored form a gap, which is:
 *
 * - **recorded** when a venue snapshot of that book was stored from the gap's start to 30 s
 *   after its end (the edge was down and restarted, or resynced after a venue gap);
 * - else **dropped while the disk was full** when the gap overlaps the full-disk window (the
 *   writer drops the oldest buffered events and says how many);
 * - **after the stop** when it is the book's last gap and starts after the edge was stopped;
 * - otherwise **missing**: sent while the edge was synced and not stored.
 *
 * A stored delta the simulator did not send that often is **duplicated**.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import { sentLogName } from "../simulator/sent_log.ts";
import {
  type ArchivedBook,
  type BookCheck,
  booksWithDeltas,
  storedDeltaKeys,
  venueSnapshotTimesOf,
} from "../../infra/store/store_checks.ts";

/** A resync's snapshot must be stored this soon after the gap's last delta (wall ms). */
const RESYNC_WINDOW_MS = 30_000;

/** What the check needs besides the store. */
export interface SentCheckOptions {
  /** The sent-log directory. */
  readonly dir: string;
  /** Deltas and snapshots retention moved to the archive, keyed `venue symbol`. */
  readonly archived?: ReadonlyMap<string, ArchivedBook>;
  /** The full-disk window, epoch ms (from filling to 10 s after freeing). */
  readonly fullWindow?: readonly [number, number];
  /** When the edge was asked to stop, epoch ms. */
  readonly stoppedAt: number;
}

/** The stored key of a delta (see the module documentation). */
export function storedKey(
  venue: string,
  d: { x: number; f: number; l: number; c: number | null },
): string {
  if (venue === "coinbase") return `${d.x}|${d.f}`;
  if (venue === "kraken") return `${d.x}|${d.c}`;
  return `${d.f}-${d.l}`;
}

/** Checks every book that has a sent-log file or stored deltas. */
export async function checkSentDeltas(db: DatabaseSync, o: SentCheckOptions): Promise<BookCheck[]> {
  const stored = booksWithDeltas(db);
  const keys = new Set([
    ...stored.map((b) => `${b.venue} ${b.symbol}`),
    ...(o.archived?.keys() ?? []),
  ]);
  const books = [...keys].sort().map((k) => {
    const i = k.indexOf(" ");
    return { venue: k.slice(0, i), symbol: k.slice(i + 1) };
  });
  const out: BookCheck[] = [];
  for (const b of books) out.push(await checkBook(db, b.venue, b.symbol, o));
  return out;
}

async function checkBook(
  db: DatabaseSync,
  venue: string,
  symbol: string,
  o: SentCheckOptions,
): Promise<BookCheck> {
  const old = o.archived?.get(`${venue} ${symbol}`) ?? { deltas: [], snaps: [] };
  const counts = new Map<string, number>();
  const add = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  let deltas = 0;
  for (const d of old.deltas) {
    add(storedKey(venue, { x: d.x ?? 0, f: d.f, l: d.l, c: d.c ?? null }));
    deltas++;
  }
  for (const r of storedDeltaKeys(db, venue, symbol)) {
    add(storedKey(venue, r));
    deltas++;
  }
  const snaps = [
    ...old.snaps.map((s) => Number(s.t)),
    ...venueSnapshotTimesOf(db, venue, symbol),
  ].sort((a, b) => a - b);
  const check: BookCheck = {
    venue,
    symbol,
    deltas,
    segments: snaps.length,
    missing: 0,
    duplicated: 0,
    recordedGaps: 0,
    checked: true,
    sent: 0,
    droppedWhileFull: 0,
    afterStop: 0,
  };
  let text: string;
  try {
    text = await Deno.readTextFile(`${o.dir}/${sentLogName(venue, symbol)}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
    text = "";
  }
  let gap: { from: number; to: number; n: number } | undefined;
  const close = (trailing: boolean) => {
    if (!gap) return;
    const g = gap;
    gap = undefined;
    const w = o.fullWindow;
    if (snaps.some((t) => t >= g.from - 1_000 && t <= g.to + RESYNC_WINDOW_MS)) {
      check.recordedGaps++;
    } else if (w && g.from <= w[1] && g.to >= w[0]) check.droppedWhileFull! += g.n;
    else if (trailing && g.from >= o.stoppedAt - 2_000) check.afterStop! += g.n;
    else check.missing += g.n;
  };
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end);
    start = end + 1;
    if (!line) continue;
    const sp = line.lastIndexOf(" ");
    const key = line.slice(0, sp);
    const t = Number(line.slice(sp + 1));
    check.sent!++;
    const n = counts.get(key) ?? 0;
    if (n > 0) {
      if (n === 1) counts.delete(key);
      else counts.set(key, n - 1);
      close(false);
    } else if (gap) {
      gap.to = t;
      gap.n++;
    } else gap = { from: t, to: t, n: 1 };
  }
  close(true);
  for (const n of counts.values()) check.duplicated += n;
  return check;
}
