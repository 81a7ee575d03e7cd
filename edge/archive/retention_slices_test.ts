import assert from "node:assert/strict";
import type { MarketEvent } from "../../core/market/events.ts";
import { runReplay } from "../cli/replay_command.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { listArchive, readArchiveEvents } from "./archive_files.ts";
import { applyRetention, newestTime, storeUsedBytes } from "./retention.ts";

// The bundled Binance.US recording: 2024-08-08 23:54 to 2024-08-09 00:05 (receive time).
async function recordingStore(dir: string): Promise<SqliteStore> {
  const path = `${dir}/s.db`;
  await runReplay([...BUNDLED_RECORDING], {
    venue: "binance_us",
    symbol: "BTC/USDT",
    snapshotIntervalMs: 10_000,
    store: path,
    out: memoryOutput(),
    progress: false,
  });
  return await SqliteStore.open(path);
}

const key = (e: MarketEvent) => `${e.kind} ${e.receiveTime} ${JSON.stringify(e)}`;

Deno.test("retention judges hours by the data's clock: a later wall clock closes nothing, the age counts from the newest data", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-clock-" });
  const store = await recordingStore(dir);
  try {
    const newest = newestTime(store)!;
    assert.equal(new Date(newest).toISOString().slice(0, 13), "2024-08-09T00");
    const archiveDir = `${dir}/archive`;
    // A week later by the wall clock; by the data, 00:00 is the current hour and 23:00 ended
    // five minutes ago: not one hour old.
    const wall = newest + 7 * 24 * 3_600_000;
    let r = await applyRetention(store, { archiveDir, archiveAfterHours: 1 }, { now: wall });
    assert.equal(r.archived_hours, 0, JSON.stringify(r));
    // No cap reached and no age: the current hour is never sliced either.
    r = await applyRetention(store, { archiveDir, maxStoreBytes: 1e12 }, { now: wall });
    assert.equal(r.archived_hours, 0);
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("retention over max_store_mb: the oldest closed hour first, then the current hour up to a slice behind the data, in verified parts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-slices-" });
  const store = await recordingStore(dir);
  try {
    const all = await Array.fromAsync(store.readEvents({ venue: "binance_us" }));
    const before = storeUsedBytes(store);
    const archiveDir = `${dir}/archive`;
    const cap = { archiveDir, maxStoreBytes: 1 }; // always over: everything allowed goes
    // The data's clock at 00:03:30 (as if the newer rows had not arrived yet): 23:00 is closed
    // and goes whole, then 00:00 up to 00:03:20 (10 s slices), at most 30 s per part.
    const hour0 = Date.parse("2024-08-09T00:00:00Z");
    let r = await applyRetention(store, cap, { now: hour0 + 210_000 });
    assert.deepEqual(r.errors, []);
    assert.match(r.files[0]!, /2024-08-08T23\.jsonl\.gz$/);
    assert.match(r.files[1]!, /2024-08-09T00\.jsonl\.gz$/);
    assert.ok(r.files.length >= 3 && r.files.length <= 9, r.files.join());
    const parts1 = r.files.length - 1;
    const left1 = await Array.fromAsync(store.readEvents({ venue: "binance_us" }));
    assert.ok(left1.every((e) => e.receiveTime >= hour0 + 200_000));
    assert.ok(left1.some((e) => e.receiveTime < hour0 + 210_000));
    // Now by the newest data (00:05:04): up to 00:04:50, further parts of the hour.
    r = await applyRetention(store, cap, { now: Date.now() });
    assert.deepEqual(r.errors, []);
    assert.ok(r.archived_hours >= 2);
    const n = String(parts1).padStart(3, "0");
    assert.ok(r.files[0]!.endsWith(`2024-08-09T00~${n}.jsonl.gz`), r.files[0]);
    const left = await Array.fromAsync(store.readEvents({ venue: "binance_us" }));
    assert.ok(left.length > 0 && left.every((e) => e.receiveTime >= hour0 + 290_000));
    assert.ok(storeUsedBytes(store) < before);
    // The archive (files in listArchive order) then the store: every stored event, once, in order.
    const inst = (await store.instruments()).find((i) => i.venue === "binance_us")!;
    const files = (await listArchive(archiveDir)).filter((f) => f.path.endsWith(".jsonl.gz"));
    assert.equal(files.length, 1 + parts1 + r.files.length);
    const archived: MarketEvent[] = [];
    for (const f of files) archived.push(...await readArchiveEvents(f.path, inst));
    assert.deepEqual([...archived, ...left].map(key), all.map(key));
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("retention: a slice written but not deleted (process killed) is finished on its own span by a later pass with a later cut; no row archived twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-retention-killed-" });
  const store = await recordingStore(dir);
  const copyPath = `${dir}/killed.db`;
  try {
    const all = await Array.fromAsync(store.readEvents({ venue: "binance_us" }));
    const archiveDir = `${dir}/archive`;
    const cap = { archiveDir, maxStoreBytes: 1 };
    const hour0 = Date.parse("2024-08-09T00:00:00Z");
    await applyRetention(store, cap, { now: hour0 + 210_000 }); // 23:00, then 00:00 to 00:03:20
    store.db.exec(`VACUUM INTO '${copyPath}'`);
    // This pass writes one part (00:03:20 to 00:03:30) and deletes its rows; the copy keeps
    // them, as if the process had been killed between the file and the delete.
    const r = await applyRetention(store, cap, { now: hour0 + 225_000 });
    assert.equal(r.files.length, 1, r.files.join());
    const killed = await SqliteStore.open(copyPath);
    try {
      // The next pass has a later cut (00:04:50): it finishes that part on its own span (no
      // bytes written), then writes further parts for the rest.
      const again = await applyRetention(killed, cap, { now: Date.now() });
      assert.deepEqual(again.errors, []);
      assert.equal(again.files[0], r.files[0]);
      assert.ok(again.files.length >= 2);
      const inst = (await killed.instruments()).find((i) => i.venue === "binance_us")!;
      const files = (await listArchive(archiveDir)).filter((f) => f.path.endsWith(".jsonl.gz"));
      const archived: MarketEvent[] = [];
      for (const f of files) archived.push(...await readArchiveEvents(f.path, inst));
      const left = await Array.fromAsync(killed.readEvents({ venue: "binance_us" }));
      assert.deepEqual([...archived, ...left].map(key), all.map(key));
    } finally {
      await killed.close();
    }
  } finally {
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
