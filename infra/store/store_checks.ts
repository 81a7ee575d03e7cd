/**
 * What the soak test checks in a live edge's SQLite store after it was killed and restarted:
 *
 * - **Book deltas**, per book with a per-book venue sequence (Binance.US `U`/`u`, KuCoin
 *   `sequenceStart`/`sequenceEnd`), in update-id order: each delta must start right after the
 *   previous one; an update id stored twice is a duplicate. A jump is a recorded gap when the
 *   first venue snapshot stored after it resynced past it within 30 s (the edge was down and
 *   restarted, or resynced after a venue gap); otherwise every skipped update id is a delta
 *   received while synced and missing from the store. Coinbase (one sequence per connection,
 *   shared by every product and channel) and Kraken (checksums, no sequence) cannot be checked
 *   this way: their books are marked unchecked, and only exact duplicates are looked for.
 * - **The paper ledger**: entry numbers 1..N without holes, each entry's balance equal to the
 *   previous balance plus its delta, the last balance equal to `paper_balances`, and fill
 *   numbers 1..N without holes.
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";

/** Delta continuity of one book. */
export interface BookCheck {
  venue: string;
  symbol: string;
  deltas: number;
  /** Segments (each opened by a stored venue snapshot). */
  segments: number;
  /** Update ids skipped inside a segment (received while synced, not stored). */
  missing: number;
  /** Deltas stored more than once. */
  duplicated: number;
  /** Jumps at segment starts (downtime or a resync). */
  recordedGaps: number;
  /** False for venues without a per-book sequence (Coinbase, Kraken) when no sent-log is read. */
  checked: boolean;
  /** Deltas the simulator sent to the edge (from its sent-log; sent_checks.ts). */
  sent?: number;
  /** Deltas not stored in gaps overlapping the full-disk window (the writer's drops). */
  droppedWhileFull?: number;
  /** Deltas not stored at the very end, sent after the edge was asked to stop. */
  afterStop?: number;
}

/** Ledger consistency of one run. */
export interface LedgerCheck {
  runId: string;
  entries: number;
  fills: number;
  /** Problems found (empty when consistent). */
  problems: string[];
}

/** Deltas and venue snapshots of a book found in the retention archive (older than the store's). */
export interface ArchivedBook {
  /** Deltas, oldest first; `seq` below every store row number; exchange time and checksum. */
  deltas: Array<{ seq: number; f: number; l: number; t: number; x?: number; c?: number | null }>;
  /** Venue snapshots, same order and numbering. */
  snaps: Array<{ seq: number; s: number; t: number }>;
}

const SEQUENCED = new Set(["binance_us", "binance", "kucoin"]);

/** A resync's snapshot must arrive this soon after the first delta past the gap (wall ms). */
const RESYNC_WINDOW_MS = 30_000;

/**
 * Checks the delta continuity of every book in the store, plus what retention moved to the
 * archive (`archived`, keyed `venue symbol`), so archived deltas are not counted missing.
 */
export function checkDeltas(
  db: DatabaseSync,
  archived: ReadonlyMap<string, ArchivedBook> = new Map(),
): BookCheck[] {
  const stored = db.prepare("SELECT DISTINCT venue, symbol FROM book_deltas").all() as Array<
    { venue: string; symbol: string }
  >;
  const keys = new Set([...stored.map((b) => `${b.venue} ${b.symbol}`), ...archived.keys()]);
  const books = [...keys].sort().map((k) => {
    const i = k.indexOf(" ");
    return { venue: k.slice(0, i), symbol: k.slice(i + 1) };
  });
  return books.map(({ venue, symbol }) => {
    const old = archived.get(`${venue} ${symbol}`) ?? { deltas: [], snaps: [] };
    const snaps = [
      ...old.snaps,
      ...db.prepare(
        "SELECT seq, sequence AS s, receive_time AS t FROM order_books WHERE venue = ? AND symbol = ? AND source = 'venue' ORDER BY seq",
      ).all(venue, symbol) as Array<{ seq: number; s: number; t: number }>,
    ];
    const check: BookCheck = {
      venue,
      symbol,
      deltas: old.deltas.length,
      segments: snaps.length,
      missing: 0,
      duplicated: 0,
      recordedGaps: 0,
      checked: SEQUENCED.has(venue),
    };
    if (!check.checked) {
      const seen = new Set<string>();
      const rows = db.prepare(
        "SELECT exchange_time AS t, bids || asks AS body FROM book_deltas WHERE venue = ? AND symbol = ? ORDER BY seq",
      ).iterate(venue, symbol) as Iterable<{ t: number; body: string }>;
      for (const r of rows) {
        check.deltas++;
        const key = `${r.t}|${r.body}`;
        if (seen.has(key)) check.duplicated++;
        seen.add(key);
        if (seen.size > 50_000) seen.clear();
      }
      return check;
    }
    // Update-id order (the store keeps arrival order: deltas buffered before a sync's snapshot
    // are stored before it).
    const deltas = [
      ...old.deltas,
      ...db.prepare(
        "SELECT seq, first_sequence AS f, last_sequence AS l, receive_time AS t FROM book_deltas WHERE venue = ? AND symbol = ? ORDER BY seq",
      ).all(venue, symbol) as Array<{ seq: number; f: number; l: number; t: number }>,
    ].sort((a, b) => Number(a.f) - Number(b.f) || Number(a.seq) - Number(b.seq));
    check.deltas = deltas.length;
    for (let i = 1; i < deltas.length; i++) {
      const prev = deltas[i - 1]!;
      const cur = deltas[i]!;
      if (Number(cur.f) <= Number(prev.l)) {
        check.duplicated++;
        continue;
      }
      if (Number(cur.f) === Number(prev.l) + 1) continue;
      // A gap: recorded when the first venue snapshot stored after `prev` resynced past it
      // (restart or resync); otherwise deltas were lost while the book was synced.
      const snap = snaps.find((s) => Number(s.seq) > Number(prev.seq));
      const resynced = snap !== undefined && Number(snap.s) >= Number(cur.f) - 1 &&
        Number(snap.t) - Number(cur.t) <= RESYNC_WINDOW_MS;
      if (resynced) check.recordedGaps++;
      else check.missing += Number(cur.f) - Number(prev.l) - 1;
    }
    return check;
  });
}

/** Checks the ledger of every paper run in the store. */
export function checkLedgers(db: DatabaseSync): LedgerCheck[] {
  const runs = db.prepare("SELECT run_id FROM paper_runs ORDER BY created_at").all() as Array<
    { run_id: string }
  >;
  return runs.map(({ run_id: runId }) => {
    const problems: string[] = [];
    const entries = db.prepare(
      "SELECT seq, venue, asset, delta, balance FROM paper_ledger WHERE run_id = ? ORDER BY seq",
    ).all(runId) as Array<
      { seq: number; venue: string; asset: string; delta: string; balance: string }
    >;
    const balances = new Map<string, bigint>();
    let n = 0;
    for (const e of entries) {
      n++;
      if (Number(e.seq) !== n && problems.length < 20) {
        problems.push(`ledger entry ${e.seq} where ${n} was expected`);
        n = Number(e.seq);
      }
      const key = `${e.venue}:${e.asset}`;
      const prev = balances.get(key);
      const delta = BigInt(e.delta);
      const balance = BigInt(e.balance);
      if (prev !== undefined && prev + delta !== balance && problems.length < 20) {
        problems.push(`entry ${e.seq} ${key}: ${prev} + ${delta} != ${balance}`);
      }
      balances.set(key, balance);
    }
    const stored = db.prepare("SELECT venue, asset, amount FROM paper_balances WHERE run_id = ?")
      .all(runId) as Array<{ venue: string; asset: string; amount: string }>;
    for (const b of stored) {
      const key = `${b.venue}:${b.asset}`;
      const last = balances.get(key);
      if (last !== undefined && last !== BigInt(b.amount)) {
        problems.push(`${key}: balance ${b.amount} but the ledger ends at ${last}`);
      }
    }
    const fills = db.prepare("SELECT seq FROM paper_fills WHERE run_id = ? ORDER BY seq").all(
      runId,
    ) as Array<{ seq: number }>;
    fills.forEach((f, i) => {
      if (Number(f.seq) !== i + 1 && problems.length < 20) {
        problems.push(`fill ${f.seq} where ${i + 1} was expected`);
      }
    });
    return { runId, entries: entries.length, fills: fills.length, problems };
  });
}

/**
 * Whether every market row left in the store is too new for retention to have archived it:
 * within the current hour, retention archives rows older than a `sliceMs` boundary at least
 * `sliceMs` behind the newest data, when its size probe or its periodic run last ran (up to
 * `lagMs` before the end). Then a store over its cap holds only what the cap allows it to keep.
 */
export function onlyRecentRows(db: DatabaseSync, sliceMs: number, lagMs: number): boolean {
  const row = db.prepare(
    `SELECT MIN(a) AS a, MAX(b) AS b FROM (
      SELECT MIN(receive_time) AS a, MAX(receive_time) AS b FROM book_deltas
      UNION ALL SELECT MIN(receive_time), MAX(receive_time) FROM trades
      UNION ALL SELECT MIN(receive_time), MAX(receive_time) FROM order_books)`,
  ).get() as { a: number | null; b: number | null };
  if (row.a === null || row.b === null) return true;
  return row.a >= row.b - 2 * sliceMs - lagMs;
}

/** The books with stored deltas (venue, symbol). */
export function booksWithDeltas(db: DatabaseSync): Array<{ venue: string; symbol: string }> {
  return db.prepare("SELECT DISTINCT venue, symbol FROM book_deltas").all() as Array<
    { venue: string; symbol: string }
  >;
}

/** A stored delta's identity: exchange time, first and last sequence, checksum. */
export interface StoredDeltaKey {
  readonly x: number;
  readonly f: number;
  readonly l: number;
  readonly c: number | null;
}

/** A book's stored deltas' identities, in storage order. */
export function storedDeltaKeys(
  db: DatabaseSync,
  venue: string,
  symbol: string,
): Iterable<StoredDeltaKey> {
  return db.prepare(
    "SELECT exchange_time AS x, first_sequence AS f, last_sequence AS l, checksum AS c FROM book_deltas WHERE venue = ? AND symbol = ?",
  ).iterate(venue, symbol) as Iterable<StoredDeltaKey>;
}

/** Receive times of a book's stored venue snapshots. */
export function venueSnapshotTimesOf(db: DatabaseSync, venue: string, symbol: string): number[] {
  return (db.prepare(
    "SELECT receive_time AS t FROM order_books WHERE venue = ? AND symbol = ? AND source = 'venue'",
  ).all(venue, symbol) as Array<{ t: number }>).map((s) => Number(s.t));
}
