import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import { checkDeltas } from "./store_checks.ts";

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
