/**
 * `deno task soak [--market-hours H] [--speed S] [--kills N] [--faults N] [--seed N]
 * [--strategy NAME] [--dir DIR] [--json]`: the live edge against the simulator process, killed
 * and restarted, with simulator faults; prints the checks (soak_run.ts). Exit 0 when every
 * check passed, 1 otherwise, 2 on bad usage.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { runSoak, type SoakReport } from "./soak_run.ts";

const USAGE = "usage: deno task soak [--market-hours H] [--speed S] [--kills N] [--faults N] " +
  "[--seed N] [--strategy NAME] [--dir DIR] [--disk-full S] [--max-store-mb MB] " +
  "[--max-archive-mb MB] [--archive-after-hours H] [--json]";

/**
 * CLI entry.
 *
 * @returns Exit code.
 */
export async function soakCommand(args: string[]): Promise<number> {
  const { values } = parseFlags(args, {
    usage: USAGE,
    options: {
      "market-hours": { type: "string", default: "1" },
      speed: { type: "string", default: "30" },
      kills: { type: "string" },
      faults: { type: "string" },
      seed: { type: "string", default: "1" },
      strategy: { type: "string", default: "imbalance" },
      dir: { type: "string" },
      "restart-delay": { type: "string", default: "2" },
      "disk-full": { type: "string" },
      "max-store-mb": { type: "string", default: "64" },
      "max-archive-mb": { type: "string", default: "256" },
      "archive-after-hours": { type: "string", default: "1" },
      json: { type: "boolean", default: false },
    },
  });
  const hours = Number(values["market-hours"]);
  const speed = Number(values.speed);
  if (!(hours > 0) || !(speed > 0)) {
    console.error(`--market-hours and --speed must be > 0\n${USAGE}`);
    return 2;
  }
  const wallS = hours * 3600 / speed;
  const kills = values.kills === undefined
    ? Math.max(1, Math.round(wallS / 60))
    : Number(values.kills);
  const faults = values.faults === undefined
    ? Math.max(2, Math.round(wallS / 20))
    : Number(values.faults);
  if (!(kills >= 0) || !(faults >= 0)) {
    console.error(`--kills and --faults must be >= 0\n${USAGE}`);
    return 2;
  }
  const diskFullS = values["disk-full"] === undefined
    ? Math.min(30, Math.max(5, Math.round(wallS / 8)))
    : Number(values["disk-full"]);
  const caps = [values["max-store-mb"], values["max-archive-mb"], values["archive-after-hours"]]
    .map(Number);
  if (!(diskFullS >= 0) || !caps.every((c) => c >= 1)) {
    console.error(`--disk-full must be >= 0, the caps >= 1\n${USAGE}`);
    return 2;
  }
  const dir = values.dir ?? await Deno.makeTempDir({ prefix: "tickerml-soak-" });
  await Deno.mkdir(dir, { recursive: true });
  console.error(
    `soak: ${hours} market hours at ${speed}x = ${
      Math.round(wallS)
    } s, ${kills} SIGKILLs, ${faults} faults, in ${dir}`,
  );
  const report = await runSoak({
    marketHours: hours,
    speed,
    kills,
    faults,
    seed: Number(values.seed),
    dir,
    strategy: values.strategy,
    restartDelayMs: Number(values["restart-delay"]) * 1000,
    log: (l) => console.error(`  ${l}`),
    diskFullS,
    maxStoreMb: caps[0]!,
    maxArchiveMb: caps[1]!,
    archiveAfterHours: caps[2]!,
  });
  console.log(values.json ? JSON.stringify(report) : formatSoak(report, dir));
  return report.ok ? 0 : 1;
}

/** The human report. */
export function formatSoak(r: SoakReport, dir: string): string {
  const mb = (v: number | null) => (v === null ? "-" : `${v} MB`);
  return [
    `Soak ${
      r.ok ? "PASSED" : "FAILED"
    }: ${r.market_hours} market hours at ${r.speed}x (${r.wall_seconds} s wall)`,
    `  kills ${r.kills} (${r.kills_during_startup} while the edge was still starting), sessions ${r.sessions} (${r.sessions_killed} ended by a kill, ${r.unexplained_sessions} unexplained), final exit ${r.final_exit_code}`,
    `  faults: ${r.faults.join("; ") || "none"}`,
    `  book deltas missing while synced: ${r.missing}; duplicated: ${r.duplicated}; recorded gaps (restart or resync): ${r.recorded_gaps}`,
    r.sent_deltas === null
      ? `  books checked by sequence: ${
        r.books.length - r.unchecked_books
      } of ${r.books.length} (Coinbase and Kraken carry no per-book sequence; duplicates only)`
      : `  every book checked against the simulator's sent-log: ${r.sent_deltas} deltas sent; ${r.dropped_while_full} lost in the full-disk window (writer drops), ${r.after_stop} sent after the stop`,
    ...r.books.map((b) =>
      `    ${b.venue} ${b.symbol}: ${
        b.sent === undefined ? "" : `${b.sent} sent, `
      }${b.deltas} stored, ${b.segments} snapshots, missing ${
        b.checked ? b.missing : "n/a"
      }, duplicated ${b.duplicated}, gaps ${b.checked ? b.recordedGaps : "n/a"}${
        b.droppedWhileFull ? `, ${b.droppedWhileFull} in the full-disk window` : ""
      }`
    ),
    ...r.ledgers.map((l) =>
      `  ledger ${l.runId}: ${l.entries} entries, ${l.fills} fills, ${
        l.problems.length ? l.problems.join("; ") : "consistent"
      }`
    ),
    `  edge RSS: first process ${mb(r.rss_mb.first_start)} -> ${
      mb(r.rss_mb.first_end)
    }, last process ${mb(r.rss_mb.last_start)} -> ${mb(r.rss_mb.last_end)}, max ${
      mb(r.rss_mb.max)
    }`,
    ...formatDiskFull(r),
    ...formatStorage(r, dir),
  ].join("\n");
}

function formatDiskFull(r: SoakReport): string[] {
  const d = r.disk_full;
  if (d.skipped) return [`  full disk: skipped (${d.skipped})`];
  const w = d.writer;
  return [
    `  full disk: filled at ${d.filled_at_s} s (store ${
      ((d.used_bytes_at_fill ?? 0) / 1e6).toFixed(1)
    } MB on the tmpfs), freed at ${d.freed_at_s} s; edge ${
      d.edge_survived ? "kept running" : "DID NOT survive"
    }; RSS ${d.rss_before_mb} MB before, max ${d.rss_max_full_mb} MB while full`,
    `    writer: ${w?.pauses ?? 0} pauses (first error: ${w?.first_error ?? "none"}), ${
      w?.resumes ?? 0
    } resumes, ${w?.dropped_events ?? 0} events dropped by its buffer cap (reported), ${
      w?.rollback_errors ?? 0
    } "cannot rollback" errors; paper trader waited ${w?.trader_waits ?? 0} times, wrote again ${
      w?.trader_resumes ?? 0
    }`,
    `    missing deltas explained by the reported drops: ${r.missing_explained_by_drops} of ${r.missing}`,
  ];
}

function formatStorage(r: SoakReport, dir: string): string[] {
  const s = r.storage;
  const cap = (v: number | null) => (v === null ? "no cap" : `cap ${v} MB`);
  return [
    `  store: ${(r.store_bytes / 1e6).toFixed(1)} MB file, ${
      (s.store_used_bytes / 1048576).toFixed(1)
    } MiB in use (${cap(s.max_store_mb)}; archive after ${s.archive_after_hours ?? "-"} h) (${
      r.disk_full.skipped ? dir : `${dir}/disk, copied to ${dir}`
    }/soak.db)`,
    `  archive: ${(s.archive_bytes / 1048576).toFixed(1)} MiB (${
      cap(s.max_archive_mb)
    }), ${s.archive_files} book-hour files, ${s.archive_replayed} replayed, ${s.archive_deltas} deltas; ${
      s.within_caps ? "within caps" : "OVER A CAP"
    }${s.problems.length ? `; problems: ${s.problems.join("; ")}` : ""}`,
  ];
}
