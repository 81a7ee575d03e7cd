/**
 * The soak run: the exchange simulator (synthetic market, every venue and symbol) as its own
 * process, the live edge (`start`) pointed at it by a configuration file, SIGKILLed at random
 * moments and restarted as systemd would, while the simulator drops connections, stalls, skips
 * and repeats frames, and (as root) the store's disk fills for a while. At the end the edge is
 * stopped with SIGTERM and the store is checked (soak_verdict.ts): every delta the simulator
 * sent, missing or duplicated, gaps, the ledger, the sessions (every kill on record), RSS of the
 * edge at the start and the end, the store and archive against their caps.
 *
 * @module
 */

import { fromFileUrl } from "../../infra/file_url.ts";
import { LIVE_V8_FLAGS } from "../live/v8_flags.ts";
import { parseDiskFullLog, TmpfsDisk } from "./disk_fill.ts";
import { writeLiveConfig } from "./live_config.ts";
import { startSimProcess } from "./sim_process.ts";
import { drainTo, mulberry32, rssMb } from "./soak_util.ts";
import { type DiskFullReport, emptyDiskFull, type SoakReport } from "./soak_report.ts";
import { checkSoakStore } from "./soak_verdict.ts";

export { rssMb } from "./soak_util.ts";
export type { DiskFullReport, SoakReport, StorageReport } from "./soak_report.ts";

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
  /** Full-disk phase: wall seconds the disk stays full (0: none). Needs root. */
  readonly diskFullS?: number;
  /** `storage.retention` caps of the edge (MB; absent: none). */
  readonly maxStoreMb?: number;
  /** Archive size cap (MB). */
  readonly maxArchiveMb?: number;
  /** Archive closed hours older than this (hours of the edge's clock). */
  readonly archiveAfterHours?: number;
}

const ROOT = fromFileUrl(new URL("../../", import.meta.url));

/** Runs the soak; see the module documentation. */
export async function runSoak(o: SoakOptions): Promise<SoakReport> {
  const fullMs = (o.diskFullS ?? 0) * 1000;
  let disk: TmpfsDisk | undefined;
  const diskFull = emptyDiskFull(fullMs > 0 ? null : "not asked for");
  if (fullMs > 0) {
    // 4 GB is a ceiling only: a tmpfs costs the RAM of what it holds.
    const m = await TmpfsDisk.mount(`${o.dir}/disk`, 4096);
    if (typeof m === "string") diskFull.skipped = m;
    else disk = m;
    if (diskFull.skipped) o.log(`full-disk phase skipped: ${diskFull.skipped}`);
  }
  try {
    return await soak(o, disk, diskFull);
  } finally {
    if (disk) {
      // Keep the store for inspection (`reconcile`, `status`) beside the rest of the soak.
      for (const f of ["soak.db", "soak.db-wal"]) {
        await Deno.copyFile(`${disk.dir}/${f}`, `${o.dir}/${f}`).catch(() => {});
      }
      await new Deno.Command("cp", { args: ["-r", `${disk.dir}/archive`, `${o.dir}/`] }).output()
        .catch(() => {});
      await disk.unmount();
    }
  }
}

async function soak(
  o: SoakOptions,
  disk: TmpfsDisk | undefined,
  diskFull: DiskFullReport,
): Promise<SoakReport> {
  const rand = mulberry32(o.seed);
  const wallMs = (o.marketHours * 3600 * 1000) / o.speed;
  const store = `${disk?.dir ?? o.dir}/soak.db`;
  // The archive shares the store's disk, as on a Pi's one SD card: while the disk is full,
  // retention cannot write archive files either, so it cannot free pages for the writer.
  const archiveDir = `${disk?.dir ?? o.dir}/archive`;
  // The simulator logs every delta it sends, per book: the delta check of every venue.
  const sentDir = `${o.dir}/sent`;
  await Deno.remove(sentDir, { recursive: true }).catch(() => {});
  const sim = await startSimProcess([
    "--speed",
    String(o.speed),
    "--seed",
    String(o.seed),
    "--sent-log",
    sentDir,
  ]);
  let fullFrom: number | undefined;
  let fullTo: number | undefined;
  const config = await writeLiveConfig({
    path: `${o.dir}/config.yaml`,
    urls: sim.urls,
    storePath: store,
    registryDir: `${o.dir}/registry`,
    logDir: `${o.dir}/logs`,
    strategy: o.strategy,
    retention: {
      archive_dir: archiveDir,
      check_interval_minutes: 1,
      ...(o.maxStoreMb === undefined ? {} : { max_store_mb: o.maxStoreMb }),
      ...(o.maxArchiveMb === undefined ? {} : { max_archive_mb: o.maxArchiveMb }),
      ...(o.archiveAfterHours === undefined ? {} : { archive_after_hours: o.archiveAfterHours }),
    },
  });
  const logPath = `${o.dir}/edge.log`;
  const log = await Deno.open(logPath, { create: true, append: true });
  // The full-disk window: from 45% of the run; no kill inside it nor before the writer's next
  // retry after it (5 s): those move to 8 s after it.
  const fillAt = disk ? 0.45 * wallMs : Infinity;
  const freeAt = fillAt + ((o.diskFullS ?? 0) * 1000);
  let moved = 0; // kills moved out of the window, 5 s apart so a restart can finish its start
  const kills = Array.from({ length: o.kills }, () => (0.1 + 0.75 * rand()) * wallMs)
    .map((k) => (k >= fillAt - 2_000 && k < freeAt + 8_000 ? freeAt + 8_000 + 5_000 * moved++ : k))
    .sort((a, b) => a - b);
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
  const exited = new Set<number>(); // edge processes that have ended (killed or crashed)
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
      env: { MALLOC_ARENA_MAX: "2" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    void drainTo(edge.stdout, log);
    void drainTo(edge.stderr, log);
    rss.push([]);
    const child = edge;
    void child.status.then(() => exited.add(child.pid));
    o.log(`edge started (pid ${edge.pid})`);
  };
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  spawn();
  let killed = 0;
  let fullPid: number | undefined;
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
    if (disk && diskFull.filled_at_s === null && at() >= fillAt) {
      diskFull.rss_before_mb = rss.at(-1)?.at(-1) ?? null;
      fullFrom = Date.now();
      diskFull.used_bytes_at_fill = await disk.fill(2);
      diskFull.filled_at_s = Math.round(at() / 1000);
      fullPid = edge!.pid;
      o.log(`disk full at ${diskFull.filled_at_s} s (store ${diskFull.used_bytes_at_fill} bytes)`);
    }
    if (fullPid !== undefined && diskFull.freed_at_s === null) {
      if (mb !== undefined) {
        diskFull.rss_max_full_mb = Math.max(diskFull.rss_max_full_mb ?? 0, mb);
      }
      if (at() >= freeAt) {
        await disk!.free();
        fullTo = Date.now();
        diskFull.freed_at_s = Math.round(at() / 1000);
        diskFull.edge_survived = edge!.pid === fullPid && rssMb(fullPid) !== undefined;
        o.log(`disk freed at ${diskFull.freed_at_s} s`);
      }
    }
    if (exited.has(edge!.pid) && !killedPids.has(edge!.pid)) {
      // A crash (e.g. out of memory): restarted as systemd would; an unexplained session.
      o.log(`edge pid ${edge!.pid} exited by itself at ${Math.round(at() / 1000)} s`);
      await new Promise((r) => setTimeout(r, o.restartDelayMs));
      spawn();
      continue;
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
  const stoppedAt = Date.now();
  if (!exited.has(edge!.pid)) edge!.kill("SIGTERM");
  const final = await edge!.status;
  await sim.stop();
  log.close();
  o.log(`edge stopped (exit ${final.code}); checking the store`);

  if (fullPid !== undefined && diskFull.freed_at_s === null) {
    await disk!.free();
    fullTo = Date.now();
  }
  if (fullPid !== undefined) diskFull.writer = parseDiskFullLog(await Deno.readTextFile(logPath));
  return await checkSoakStore({
    o,
    store,
    archiveDir,
    sentDir,
    stoppedAt,
    fullWindow: fullFrom === undefined ? undefined : [fullFrom, (fullTo ?? stoppedAt) + 10_000],
    diskFull,
    rss,
    killed,
    killedPids,
    applied,
    lastPid: edge!.pid,
    finalCode: final.code,
    wallSeconds: Math.round(at() / 1000),
  });
}
