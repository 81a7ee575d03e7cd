/**
 * Disk full and read-only store, for real: the harvester writes to a SQLite store on a 3 MB
 * tmpfs that is then filled, freed and remounted read-only. Needs root (mount); skipped with a
 * message otherwise.
 *
 * @module
 */
import assert from "node:assert/strict";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { configForSimulator } from "./harvest_command.ts";
import { Harvester } from "./harvester.ts";

const CONFIG = new URL("../../config.yaml", import.meta.url).pathname;
const ROOT = Deno.uid() === 0;
if (!ROOT) console.log("harvest_disk_full_test: skipped, mounting a tmpfs needs root");

async function run(cmd: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
  }
}

const until = async (cond: () => boolean, what: string, maxMs = 15_000) => {
  for (let waited = 0; !cond(); waited += 50) {
    if (waited > maxMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

const TRADE = {
  kind: "trade" as const,
  venue: "kraken" as const,
  symbol: "BTC/USD",
  exchangeTime: 1,
  receiveTime: 1,
  tradeId: "read-only",
  price: 1 as never,
  size: 1 as never,
  takerSide: "buy" as const,
};

Deno.test({
  name:
    "Harvester on a full disk reports the real error, pauses bounded, resumes, loses nothing committed",
  ignore: !ROOT,
  sanitizeResources: false,
  sanitizeOps: false,
}, async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-full-" });
  await run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", dir);
  const sim = await ExchangeSimulator.start({ seed: 5, speed: 16 });
  let store: SqliteStore | undefined;
  try {
    const loaded = (await loadConfig(CONFIG, { env: {}, envFile: "/nonexistent" })).config;
    const base = configForSimulator(loaded, sim);
    const config = {
      ...base,
      storage: { ...base.storage, batch_size: 200, max_buffered_events: 1_000 },
    };
    store = await SqliteStore.open(`${dir}/h.db`);
    const logs: string[] = [];
    const harvester = new Harvester({
      config,
      store,
      writeRetryMs: 100,
      healthIntervalMs: 60_000,
      log: (l) => logs.push(l),
      adapter: { resyncIntervalMs: 50, maxResyncIntervalMs: 200, initialDelayMs: 50 },
    });
    // Leave about 120 KB free: the store fills it within seconds.
    const df = await new Deno.Command("df", { args: ["-B1", "--output=avail", dir] }).output();
    const free = Number(new TextDecoder().decode(df.stdout).trim().split("\n")[1]);
    await Deno.writeFile(`${dir}/filler`, new Uint8Array(Math.max(0, free - 120_000)));
    await harvester.start();
    sim.run();
    await until(() => harvester.writerStats.pauses > 0, "the disk to fill");
    await until(() => harvester.stats.dropped_events > 0, "the bounded buffer to drop");
    const text = logs.join("\n");
    assert.match(text, /store write failed: database or disk is full; writing paused/);
    assert.doesNotMatch(text, /cannot rollback/);
    // Space returns: writing resumes by itself.
    await Deno.remove(`${dir}/filler`);
    await until(() => logs.some((l) => l.includes("store writable again")), "writing to resume");
    sim.pause();
    await harvester.stop();
    assert.equal(harvester.stats.unwritten_events, 0);
    const w = harvester.writerStats;
    assert.ok(w.dropped_events > 0 && w.events > 0, JSON.stringify(w));
    // Every event was either written (acknowledged) or counted as dropped; the store holds
    // exactly the written ones.
    assert.equal(w.events + w.dropped_events, harvester.stats.events);
    const c = await store.tableCounts();
    const venueSnapshots = (store.db.prepare(
      "SELECT COUNT(*) AS n FROM order_books WHERE source = 'venue'",
    ).get() as { n: number }).n;
    assert.equal(c.book_deltas! + c.trades! + venueSnapshots, w.events);

    // Read-only filesystem: opening the store or writing to it gives the real error.
    await store.close();
    await run("mount", "-o", "remount,ro", dir);
    const e = await (async () => {
      const ro = await SqliteStore.open(`${dir}/h.db`);
      try {
        await ro.writeBatch({ events: [{ ...TRADE }] });
      } finally {
        await ro.close();
      }
    })().then(() => undefined, (err: Error) => err);
    assert.ok(e instanceof Error, "a read-only store refuses writes");
    assert.match(e.message, /readonly|read-only|unable to open/i);
    assert.doesNotMatch(e.message, /cannot rollback/);
  } finally {
    await sim.stop();
    await store?.close();
    await run("umount", "-l", dir).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});
