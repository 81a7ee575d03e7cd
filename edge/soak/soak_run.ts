/**
 * The soak run: the exchange simulator (synthetic market, every venue and symbol) as its own
 * process, the live edge (`start`) pointed at it by a configuration file, SIGKILLed at random
 * moments and restarted as systemd would, while the simulator drops connections, stalls, skips
 * and repeats frames. At the end the edge is stopped with SIGTERM and the store is checked
 * (store_checks.ts): deltas missing or duplicated while synced, gaps, the ledger, the sessions
 * (every kill on record), RSS of the edge at the start and the end, the store's size.
 *
 * @module
 */

import { DatabaseSync } from "node:sqlite";
import { fromFileUrl } from "../cli/paths.ts";
import { liveSessions } from "../live/live_runs.ts";
import { LIVE_V8_FLAGS } from "../live/v8_flags.ts";
import { writeLiveConfig } from "./live_config.ts";
import { startSimProcess } from "./sim_process.ts";
import { type BookCheck, checkDeltas, checkLedgers, type LedgerCheck } from "./store_checks.ts";

/** Options of {@linkcode runSoak}. */
export interface SoakOptions {
  /** Market hours to simulate. */
  readonly marketHours: number;
  /** Simulator speed (market seconds per wall second). */
  readonly speed: number;
  /** SIGKILLs of the edge. */
  readonly kills: number;
  /** Simulator faults. */
  readonly faults: number;
  /** Seed of the kill and fault schedule and of the market. */
  readonly seed: number;
  /** Working directory (store, config, logs). */
  readonly dir: string;
  /** Strategy of the edge. */
  readonly strategy: string;
  /** Wall time between a kill and the restart, ms (systemd's RestartSec). */
  readonly restartDelayMs: number;
  /** Progress lines. */
  readonly log: (line: string) => void;
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
  ok: boolean;
}

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/** Runs the soak; see the module documentation. */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const rand = mulberry32(o.seed);
  const wallMs = (o.marketHours * 3600 * 1000) / o.speed;
  const store = `${o.dir}/soak.db`;
  const sim = await startSimProcess(["--speed", String(o.speed), "--seed", String(o.seed)]);
  const config = await writeLiveConfig({
    path: `${o.dir}/config.yaml`,
    urls: sim.urls,
    storePath: store,
    registryDir: `${o.dir}/registry`,
    logDir: `${o.dir}/logs`,
    strategy: o.strategy,
  });
  const log = await Deno.open(`${o.dir}/edge.log`, { create: true, append: true });
  const kills = Array.from({ length: o.kills }, () => (0.1 + 0.75 * rand()) * wallMs).sort((a, b) =>
    a - b
  );
  const faultKinds = ["disconnect", "stall", "drop", "duplicate", "malformed", "symbol_stall"];
  const venues = Object.keys(sim.urls);
  const faults = Array.from({ length: o.faults }, () => {
    const kind = faultKinds[Math.floor(rand() * faultKinds.length)]!;
    const venue = venues[Math.floor(rand() * venues.length)]!;
    const symbol = ["BTC/USDT", "ETH/USDT"][Math.floor(rand() * 2)]!;
    const cmd = kind === "stall"
      ? `${venue} stall 3000`
      : kind === "symbol_stall"
      ? `${venue} symbol_stall ${symbol} 3000`
      : ["drop", "duplicate"].includes(kind)
      ? `${venue} ${kind} ${symbol}`
      : `${venue} ${kind}`;
    return { at: (0.05 + 0.9 * rand()) * wallMs, cmd };
  }).sort((a, b) => a.at - b.at);

  const rss: number[][] = [];
  const killedPids = new Set<number>();
  let edge: Deno.ChildProcess | undefined;
  const spawn = () => {
    edge = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        LIVE_V8_FLAGS,
        "edge/main.ts",
        "start",
        "--config",
        config,
        "--no-news",
        "--json",
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    void drainTo(edge.stdout, log);
    void drainTo(edge.stderr, log);
    rss.push([]);
    o.log(`edge started (pid ${edge.pid})`);
  };
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  spawn();
  let killed = 0;
  const applied: string[] = [];
  while (at() < wallMs) {
    await new Promise((r) => setTimeout(r, 1_000));
    const mb = rssMb(edge!.pid);
    if (mb !== undefined) rss.at(-1)!.push(mb);
    while (faults.length && faults[0]!.at <= at()) {
      const f = faults.shift()!;
      await sim.send(f.cmd);
      applied.push(f.cmd);
      o.log(`fault at ${Math.round(at() / 1000)} s: ${f.cmd}`);
    }
    if (kills.length && kills[0]! <= at()) {
      kills.shift();
      edge!.kill("SIGKILL");
      killedPids.add(edge!.pid);
      await edge!.status;
      killed++;
      o.log(`SIGKILL ${killed} at ${Math.round(at() / 1000)} s`);
      await new Promise((r) => setTimeout(r, o.restartDelayMs));
      spawn();
    }
  }
  edge!.kill("SIGTERM");
  const final = await edge!.status;
  await sim.stop();
  log.close();
  o.log(`edge stopped (exit ${final.code}); checking the store`);

  const db = new DatabaseSync(store, { readOnly: true });
  try {
    const books = checkDeltas(db);
    const ledgers = checkLedgers(db);
    const runId = (db.prepare("SELECT run_id FROM live_runs WHERE current = 1").get() as {
      run_id: string;
    }).run_id;
    const sessions = liveSessions(db, runId);
    const sum = (k: "missing" | "duplicated" | "recordedGaps") =>
      books.reduce((s, b) => s + (b.checked || k === "duplicated" ? b[k] : 0), 0);
    const flat = rss.flat();
    const first = rss[0] ?? [];
    const last = rss.at(-1) ?? [];
    const report: SoakReport = {
      market_hours: o.marketHours,
      speed: o.speed,
      wall_seconds: Math.round(at() / 1000),
      kills: killed,
      faults: applied,
      sessions: sessions.length,
      sessions_killed: sessions.filter((s) => s.endedAt === null && killedPids.has(s.pid)).length,
      kills_during_startup: [...killedPids].filter((p) => !sessions.some((s) => s.pid === p))
        .length,
      unexplained_sessions: sessions.filter((s) =>
        s.pid === edge!.pid ? s.endedAt === null : s.endedAt === null && !killedPids.has(s.pid)
      ).length,
      final_exit_code: final.code,
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
      ok: false,
    };
    report.ok = report.missing === 0 && report.duplicated === 0 &&
      ledgers.every((l) => l.problems.length === 0) && report.unexplained_sessions === 0 &&
      report.sessions_killed + report.kills_during_startup === killed &&
      sessions.at(-1)?.pid === edge!.pid && final.code === 0;
    return report;
  } finally {
    db.close();
  }
}

/** Resident set size of a process, MB (Linux /proc), or undefined when unreadable. */
export function rssMb(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

async function drainTo(stream: ReadableStream<Uint8Array>, file: Deno.FsFile): Promise<void> {
  try {
    for await (const chunk of stream) file.writeSync(chunk);
  } catch { /* the process died or the file closed */ }
}

function fileBytes(path: string): number {
  try {
    return Deno.statSync(path).size;
  } catch {
    return 0;
  }
}

/** A small seeded PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
