import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstruments } from "../../core/market/instruments.ts";
import { applyRetention } from "../archive/retention.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { checkArchive } from "./archive_checks.ts";
import { checkDeltas } from "../../infra/store/store_checks.ts";

const HOUR = 3_600_000;

const base = { venue: "binance_us" as const, symbol: "BTC/USDT" };
const level = [[100 as Ticks, 1 as Lots] as const];
const snap = (s: number, t: number): MarketEvent => ({
  ...base,
  kind: "snapshot",
  sequence: s,
  exchangeTime: t,
  receiveTime: t,
  bids: level,
  asks: level,
});
const delta = (f: number, l: number, t: number): MarketEvent => ({
  ...base,
  kind: "delta",
  firstSequence: f,
  lastSequence: l,
  exchangeTime: t,
  receiveTime: t,
  bids: level,
  asks: [],
});

Deno.test("checkDeltas: missing ids while synced, duplicates, and gaps a snapshot resynced", async () => {
  const store = await SqliteStore.open(":memory:");
  const events: MarketEvent[] = [snap(100, 0)];
  for (let i = 101; i <= 110; i++) events.push(delta(i, i, i * 100));
  events.push(delta(105, 105, 11_100)); // stored twice
  for (let i = 120; i <= 125; i++) events.push(delta(i, i, i * 100)); // 111..119 lost while synced
  // A restart a minute later: deltas buffered before the new snapshot are stored first.
  events.push(delta(190, 195, 72_000), snap(196, 72_500), delta(196, 201, 72_600));
  await store.writeBatch({ events });
  const [c] = checkDeltas(store.db);
  assert.deepEqual(
    { ...c },
    {
      ...base,
      deltas: 19,
      segments: 2,
      missing: 9,
      duplicated: 1,
      recordedGaps: 1,
      checked: true,
    },
  );
  await store.close();
});

Deno.test("checkDeltas with the archive: deltas retention moved out of the store are not missing, and a hole in them still is", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-soak-archive-" });
  const store = await SqliteStore.open(`${dir}/s.db`);
  await store.putInstruments(
    defaultInstruments().filter((i) => i.venue === base.venue && i.symbol === base.symbol),
  );
  const t0 = Date.parse("2024-08-08T10:00:00Z");
  const events: MarketEvent[] = [snap(100, t0)];
  for (let i = 101; i <= 110; i++) events.push(delta(i, i, t0 + i * 100));
  events.push(delta(112, 112, t0 + 11_200)); // 111 lost while synced (archived hour)
  // The next hour: more deltas in sequence, still in the store.
  for (let i = 113; i <= 120; i++) events.push(delta(i, i, t0 + HOUR + i * 100));
  await store.writeBatch({ events });
  const before = checkDeltas(store.db);
  const report = await applyRetention(
    store,
    { maxStoreBytes: 1, archiveDir: `${dir}/archive` },
    { now: t0 + HOUR + 60_000 },
  );
  assert.equal(report.archived_hours, 1, JSON.stringify(report));
  const archive = await checkArchive(`${dir}/archive`, await store.instruments());
  assert.deepEqual(
    { files: archive.files, replayed: archive.replayed, deltas: archive.deltas },
    { files: 1, replayed: 1, deltas: 11 },
  );
  assert.deepEqual(archive.problems, []);
  // Without the archive the store alone starts mid-sequence with no snapshot: not the truth.
  assert.notDeepEqual(checkDeltas(store.db), before);
  const after = checkDeltas(store.db, archive.books);
  assert.deepEqual(after, before);
  assert.equal(after[0]!.missing, 1);
  assert.equal(after[0]!.deltas, 19);
  await store.close();
  await Deno.remove(dir, { recursive: true });
});
