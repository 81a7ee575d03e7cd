import assert from "node:assert/strict";
import type { MarketEvent } from "../../core/market/events.ts";
import type { MarketStore } from "../../core/storage.ts";
import { StoreWriter } from "./store_writer.ts";

Deno.test("StoreWriter keeps buffered rows when a write fails", async () => {
  let fail = true;
  const written: number[] = [];
  const fake = {
    writeBatch: (b: { events?: readonly unknown[] }) => {
      if (fail) return Promise.reject(new Error("disk full"));
      written.push(b.events?.length ?? 0);
      return Promise.resolve();
    },
  } as unknown as MarketStore;
  const writer = new StoreWriter(fake, { batchSize: 2 });
  const e = { kind: "delta" } as unknown as MarketEvent;
  await writer.onEvent(e);
  await assert.rejects(() => writer.onEvent(e), /disk full/);
  fail = false;
  await writer.onEvent(e);
  assert.deepEqual(written, [3]);
});
