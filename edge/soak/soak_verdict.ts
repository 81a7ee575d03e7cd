/**
 * The soak's verdict: after the edge stopped, the store, the archive and the simulator's
 * sent-log are checked (store_checks.ts, sent_checks.ts, archive_checks.ts) and the report is
 * assembled with its pass/fail.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { SLICE_MS, storeUsedBytes } from "../archive/retention.ts";
import { SIZE_PROBE_MS } from "../archive/retention_runner.ts";
import { currentLiveRun, liveSessions } from "../../infra/store/live/live_runs.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { checkArchive } from "./archive_checks.ts";
import { checkSentDeltas } from "./sent_checks.ts";
import type { DiskFullReport, SoakReport } from "./soak_report.ts";
import type { SoakOptions } from "./soak_run.ts";
import { fileBytes } from "./soak_util.ts";
import { checkDeltas, checkLedgers, onlyRecentRows } from "../../infra/store/store_checks.ts";

const MB = 1024 * 1024;

/** What the run hands to the verdict. */
export interface SoakOutcome {
  readonly o: SoakOptions;
  readonly store: string;
  readonly archiveDir: string;
  readonly sentDir: string;
  /** When the edge was asked to stop, epoch ms. */
  readonly stoppedAt: number;
  /** The full-disk window, epoch ms. */
  readonly fullWindow: readonly [number, number] | undefined;
  readonly diskFull: DiskFullReport;
  /** RSS samples per edge process, MB. */
  readonly rss: readonly number[][];
  readonly killed: number;
  readonly killedPids: ReadonlySet<number>;
  /** Simulator faults applied. */
  readonly applied: string[];
  /** The last edge process and its exit code. */
  readonly lastPid: number;
  readonly finalCode: number | null;
  readonly wallSeconds: number;
}

/** Checks the store, the archive and the sent-log; returns the report with its verdict. */
export async function checkSoakStore(i: SoakOutcome): Promise<SoakReport> {
  const { o, store, archiveDir, sentDir, stoppedAt, diskFull, rss, killed, killedPids, applied } =
    i;
  const sqlite = await SqliteStore.open(store, { migrate: false });
  const archive = await checkArchive(archiveDir, await sqlite.instruments());
  const storeUsed = storeUsedBytes(sqlite);
  await sqlite.close();
  const db = new DatabaseSync(store, { readOnly: true });
  try {
    // Every venue against the simulator's sent-log (the sequence check without one).
    const hasSentLog = await Deno.stat(sentDir).then(() => true, () => false);
    const books = hasSentLog
      ? await checkSentDeltas(db, {
        dir: sentDir,
        archived: archive.books,
        stoppedAt,
        ...(i.fullWindow === undefined ? {} : { fullWindow: i.fullWindow }),
      })
      : checkDeltas(db, archive.books);
    const ledgers = checkLedgers(db);
    const runId = currentLiveRun(db)!;
    const sessions = liveSessions(db, runId);
    const sum = (k: "missing" | "duplicated" | "recordedGaps") =>
      books.reduce((s, b) => s + (b.checked || k === "duplicated" ? b[k] : 0), 0);
    const flat = rss.flat();
    const first = rss[0] ?? [];
    const last = rss.at(-1) ?? [];
    const report: SoakReport = {
      market_hours: o.marketHours,
      speed: o.speed,
      wall_seconds: i.wallSeconds,
      kills: killed,
      faults: applied,
      sessions: sessions.length,
      sessions_killed: sessions.filter((s) => s.endedAt === null && killedPids.has(s.pid)).length,
      kills_during_startup: [...killedPids].filter((p) => !sessions.some((s) => s.pid === p))
        .length,
      unexplained_sessions: sessions.filter((s) =>
        s.pid === i.lastPid ? s.endedAt === null : s.endedAt === null && !killedPids.has(s.pid)
      ).length,
      final_exit_code: i.finalCode,
      books,
      missing: sum("missing"),
      duplicated: sum("duplicated"),
      recorded_gaps: sum("recordedGaps"),
      unchecked_books: books.filter((b) =>
        !b.checked
      ).length,
      ledgers,
      rss_mb: {
        first_start: first[Math.min(5, first.length - 1)] ?? null,
        first_end: first.at(-1) ?? null,
        last_start: last[Math.min(5, last.length - 1)] ?? null,
        last_end: last.at(-1) ?? null,
        max: flat.length ? Math.max(...flat) : null,
      },
      store_bytes: fileBytes(store) + fileBytes(`${store}-wal`),
      disk_full: diskFull,
      storage: {
        store_used_bytes: storeUsed,
        max_store_mb: o.maxStoreMb ?? null,
        archive_bytes: archive.bytes,
        max_archive_mb: o.maxArchiveMb ?? null,
        archive_after_hours: o.archiveAfterHours ?? null,
        archive_files: archive.files,
        archive_replayed: archive.replayed,
        archive_deltas: archive.deltas,
        problems: archive.problems,
        within_caps: false,
      },
      missing_explained_by_drops: 0,
      sent_deltas: null,
      dropped_while_full: 0,
      after_stop: 0,
      ok: false,
    };
    const st = report.storage;
    // The store may exceed its cap only by rows retention could not archive yet (newer than a
    // slice boundary behind the data when it last ran).
    const recent = onlyRecentRows(db, SLICE_MS, 6 * SIZE_PROBE_MS);
    st.within_caps = (o.maxStoreMb === undefined || storeUsed <= o.maxStoreMb * MB || recent) &&
      (o.maxArchiveMb === undefined || archive.bytes <= o.maxArchiveMb * MB);
    const dropped = diskFull.writer?.dropped_events ?? 0;
    report.sent_deltas = hasSentLog ? books.reduce((s, b) => s + (b.sent ?? 0), 0) : null;
    report.after_stop = books.reduce((s, b) => s + (b.afterStop ?? 0), 0);
    // With the sent-log, deltas lost in the full-disk window are counted apart (each one, not
    // a count comparison) and must be within the writer's reported drops.
    const inWindow = books.reduce((s, b) => s + (b.droppedWhileFull ?? 0), 0);
    report.dropped_while_full = inWindow;
    report.missing_explained_by_drops = hasSentLog
      ? (inWindow <= dropped ? 0 : -1)
      : Math.min(report.missing, dropped);
    const dw = diskFull.writer;
    const diskOk = diskFull.skipped !== null ||
      (diskFull.edge_survived === true && dw !== null && dw.pauses > 0 &&
        dw.resumed_after_last_pause && dw.trader_resumes >= dw.trader_waits &&
        dw.rollback_errors === 0 &&
        /full|disk I\/O error/i.test(dw.first_error ?? ""));
    report.ok = report.missing === report.missing_explained_by_drops && report.duplicated === 0 &&
      diskOk && st.within_caps && st.problems.length === 0 &&
      st.archive_replayed === st.archive_files &&
      ledgers.every((l) => l.problems.length === 0) && report.unexplained_sessions === 0 &&
      report.sessions_killed + report.kills_during_startup === killed &&
      sessions.at(-1)?.pid === i.lastPid && i.finalCode === 0;
    return report;
  } finally {
    db.close();
  }
}
