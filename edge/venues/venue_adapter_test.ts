import assert from "node:assert/strict";
import { venueInstruments } from "../../core/market/instruments.ts";
import { KrakenAdapter } from "./kraken/adapter.ts";

Deno.test("VenueAdapter spaces out the resyncs of a symbol that keeps failing", async () => {
  let now = 1_000_000;
  const adapter = new KrakenAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: "http://127.0.0.1:9",
    instruments: venueInstruments("kraken"),
    now: () => now,
    resyncIntervalMs: 1000,
    maxResyncIntervalMs: 5000,
  });
  assert.ok(adapter.ingest('{"channel":"heartbeat"}', now));
  const f = adapter.feeds.get("BTC/USD")!;
  const resync = (adapter as unknown as { resync(f: unknown, r: string): void }).resync.bind(
    adapter,
  );
  const spacing: number[] = [];
  for (let i = 0; i < 5; i++) {
    const before = f.nextResyncAt;
    f.pending = false; // as after each request went out
    resync(f, "checksum_failed");
    spacing.push(f.nextResyncAt - Math.max(before, now));
    now += 100;
  }
  assert.deepEqual(spacing, [1000, 2000, 4000, 5000, 5000]);
  now += 61_000; // a quiet minute resets the streak
  f.pending = false;
  const before = f.nextResyncAt;
  resync(f, "checksum_failed");
  assert.equal(f.nextResyncAt - Math.max(before, now), 1000);
  assert.equal(f.health.resyncs, 6);
  assert.equal(adapter.feeds.get("ETH/USD")!.health.resyncs, 0);
  await adapter.stop();
});
