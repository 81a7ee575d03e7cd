import assert from "node:assert/strict";
import type { MarketEvent } from "../../core/market/events.ts";
import type { MarketStore } from "../../core/storage.ts";
import { StoreWriter } from "./store_writer.ts";

function fakeStore(state: { fail: boolean; written: number[]; attempts: number }): MarketStore {
  return {
    writeBatch: (b: { events?: readonly unknown[] }) => {
      state.attempts++;
      if (state.fail) return Promise.reject(new Error("database or disk is full"));
      state.written.push(b.events?.length ?? 0);
      return Promise.resolve();
    },
  } as unknown as MarketStore;
}

const ev = (i: number) => ({ kind: "delta", firstSequence: i }) as unknown as MarketEvent;

Deno.test("StoreWriter keeps buffered rows when a write fails", async () => {
  const state = { fail: true, written: [] as number[], attempts: 0 };
  const writer = new StoreWriter(fakeStore(state), { batchSize: 2, retryMs: 0 });
  await writer.onEvent(ev(1));
  await assert.rejects(() => writer.onEvent(ev(2)), /disk is full/);
  state.fail = false;
  await writer.onEvent(ev(3));
  assert.deepEqual(state.written, [3]);
});

Deno.test("StoreWriter pauses after a failed write, bounds memory, counts drops and resumes", async () => {
  const state = { fail: false, written: [] as number[], attempts: 0 };
  let now = 0;
  const logs: string[] = [];
  const store = fakeStore(state);
  const writer = new StoreWriter(store, {
    batchSize: 10,
    maxBufferedEvents: 50,
    retryMs: 1_000,
    now: () => now,
    onLog: (l) => logs.push(l),
  });
  for (let i = 0; i < 10; i++) await writer.onEvent(ev(i));
  assert.deepEqual(state.written, [10]);
  state.fail = true;
  let rejected = 0;
  for (let i = 10; i < 200; i++) await writer.onEvent(ev(i)).catch(() => rejected++);
  // One attempt failed; no further attempt during the pause (no error storm).
  assert.equal(rejected, 1);
  assert.equal(state.attempts, 2);
  assert.ok(writer.paused);
  assert.equal(writer.bufferedEvents, 50);
  assert.equal(writer.stats.dropped_events, 140);
  assert.match(logs[0] as string, /store write failed: database or disk is full; writing paused/);
  assert.match(logs[1] as string, /dropping the oldest unwritten events/);
  // Space comes back: the next event after the pause writes everything held.
  state.fail = false;
  now = 1_000;
  await writer.onEvent(ev(200));
  assert.deepEqual(state.written, [10, 50]);
  assert.ok(!writer.paused);
  assert.match(logs.at(-1) as string, /store writable again .*141 oldest events were dropped/);
  assert.equal(writer.stats.events, 60);
  assert.equal(writer.stats.events + writer.stats.dropped_events, 201);
});
