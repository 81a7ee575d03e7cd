/**
 * The soak's report: what `deno task soak` prints (JSON with `--json`).
 *
 * @module
 */

import type { DiskFullLog } from "./disk_fill.ts";
import type { BookCheck, LedgerCheck } from "../../infra/store/store_checks.ts";

/** The full-disk window as the soak saw it (snake_case: printed as JSON). */
export interface DiskFullReport {
  /** Why the phase did not run, or null when it ran. */
  skipped: string | null;
  /** Wall seconds from the soak's start when the disk filled, and when it was freed. */
  filled_at_s: number | null;
  freed_at_s: number | null;
  /** Store bytes on the tmpfs when it filled. */
  used_bytes_at_fill: number | null;
  /** Edge RSS before the fill and the highest while the disk was full, MB. */
  rss_before_mb: number | null;
  rss_max_full_mb: number | null;
  /** Whether the edge process running at the fill was still the same one when freed. */
  edge_survived: boolean | null;
  /** What the store writer logged (pauses with the real error, resumes, drops). */
  writer: DiskFullLog | null;
}

/** Store and archive against the retention caps (snake_case: printed as JSON). */
export interface StorageReport {
  store_used_bytes: number;
  max_store_mb: number | null;
  archive_bytes: number;
  max_archive_mb: number | null;
  archive_after_hours: number | null;
  archive_files: number;
  /** Archive events files read back and replayed into a book without error. */
  archive_replayed: number;
  archive_deltas: number;
  problems: string[];
  /** Store over its cap while a closed hour was left to archive, or archive over its cap. */
  within_caps: boolean;
}

/** The soak report (JSON-ready). */
export interface SoakReport {
  market_hours: number;
  speed: number;
  wall_seconds: number;
  kills: number;
  faults: string[];
  sessions: number;
  sessions_killed: number;
  /** Kills that hit a process still starting (before it opened its session: nothing to lose). */
  kills_during_startup: number;
  /** Sessions without a clean end that no kill explains (a crash), plus a final one not clean. */
  unexplained_sessions: number;
  final_exit_code: number | null;
  books: BookCheck[];
  missing: number;
  duplicated: number;
  recorded_gaps: number;
  unchecked_books: number;
  ledgers: LedgerCheck[];
  rss_mb: {
    first_start: number | null;
    first_end: number | null;
    last_start: number | null;
    last_end: number | null;
    max: number | null;
  };
  store_bytes: number;
  disk_full: DiskFullReport;
  storage: StorageReport;
  /**
   * Without a sent-log: missing deltas the writer's reported drops account for (a count
   * comparison). With one: 0, or -1 when more deltas were lost in the full-disk window than
   * the writer reported dropping.
   */
  missing_explained_by_drops: number;
  /** Deltas the simulator sent to the edge (null without a sent-log). */
  sent_deltas: number | null;
  /** Deltas not stored in the full-disk window (each one matched against the sent-log). */
  dropped_while_full: number;
  /** Deltas sent after the edge was asked to stop, not stored. */
  after_stop: number;
  ok: boolean;
}

/** A full-disk report before the phase ran (`skipped`: why it will not, or null). */
export function emptyDiskFull(skipped: string | null): DiskFullReport {
  return {
    skipped,
    filled_at_s: null,
    freed_at_s: null,
    used_bytes_at_fill: null,
    rss_before_mb: null,
    rss_max_full_mb: null,
    edge_survived: null,
    writer: null,
  };
}
