/**
 * `deno task soak [--market-hours H] [--speed S] [--kills N] [--faults N] [--seed N]
 * [--strategy NAME] [--dir DIR] [--json]`: the live edge against the simulator process, killed
 * and restarted, with simulator faults; prints the checks (soak_run.ts). Exit 0 when every
 * check passed, 1 otherwise, 2 on bad usage.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { runSoak, type SoakReport } from "./soak_run.ts";

const USAGE = "usage: deno task soak [--market-hours H] [--speed S] [--kills N] [--faults N] " +
  "[--seed N] [--strategy NAME] [--dir DIR] [--json]";

/**
 * CLI entry.
 *
 * @returns Exit code.
 */
export async function soakCommand(args: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "market-hours": { type: "string", default: "1" },
        speed: { type: "string", default: "30" },
        kills: { type: "string" },
        faults: { type: "string" },
        seed: { type: "string", default: "1" },
        strategy: { type: "string", default: "imbalance" },
        dir: { type: "string" },
        "restart-delay": { type: "string", default: "2" },
        json: { type: "boolean", default: false },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
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
    `  books checked by sequence: ${
      r.books.length - r.unchecked_books
    } of ${r.books.length} (Coinbase and Kraken carry no per-book sequence; duplicates only)`,
    ...r.books.map((b) =>
      `    ${b.venue} ${b.symbol}: ${b.deltas} deltas, ${b.segments} snapshots, missing ${
        b.checked ? b.missing : "n/a"
      }, duplicated ${b.duplicated}, gaps ${b.checked ? b.recordedGaps : "n/a"}`
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
    `  store: ${(r.store_bytes / 1e6).toFixed(1)} MB (${dir}/soak.db)`,
  ].join("\n");
}

if (import.meta.main) Deno.exit(await soakCommand(Deno.args));
