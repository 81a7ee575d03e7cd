import assert from "node:assert/strict";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { configForSimulator } from "./harvest_command.ts";
import { readArbitrage, readFeedHealth } from "../../infra/store/harvest/harvest_tables.ts";
import { Harvester } from "./harvester.ts";

const CONFIG = new URL("../../config.yaml", import.meta.url).pathname;

Deno.test("Harvester stores events, pictures, bars, feed health and arbitrage from 4 simulated venues", async () => {
  const sim = await ExchangeSimulator.start({ seed: 11, speed: 4 });
  const loaded = (await loadConfig(CONFIG, { env: {}, envFile: "/nonexistent" })).config;
  let config = configForSimulator(loaded, sim);
  // Zero fees so the simulator's per-venue price offsets show up as opportunities.
  const exchanges = Object.fromEntries(
    Object.entries(config.exchanges).map(([v, ex]) => [v, ex && { ...ex, taker_fee_bps: 0 }]),
  );
  config = {
    ...config,
    exchanges,
    storage: { ...config.storage, snapshot_interval_s: 1 },
  };
  const store = await SqliteStore.open(":memory:");
  const logs: string[] = [];
  const harvester = new Harvester({
    config,
    store,
    healthIntervalMs: 500,
    log: (l) => logs.push(l),
    adapter: { resyncIntervalMs: 50, maxResyncIntervalMs: 200, initialDelayMs: 50 },
  });
  try {
    await harvester.start();
    sim.run();
    await new Promise((r) => setTimeout(r, 2500));
    sim.inject("kraken", { kind: "corrupt_checksum", symbol: "BTC/USD" });
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    sim.pause();
    await harvester.stop();
    await sim.stop();
  }
  const counts = await store.tableCounts();
  assert.ok(counts.trades! > 0 && counts.book_deltas! > 0, JSON.stringify(counts));
  assert.ok(counts.ohlcv! > 0 && counts.order_books! > 14, JSON.stringify(counts));
  assert.equal(counts.instruments, 14); // 4 + 4 + 4 + 2 (KuCoin has no USD pairs)
  assert.equal(harvester.stats.write_errors, 0);
  assert.equal(harvester.stats.bad_frames, 0);

  const health = readFeedHealth(store.db);
  const streams = new Set(health.map((h) => `${h.venue} ${h.symbol}`));
  assert.equal(streams.size, 14);
  const last = health.filter((h) => h.venue === "kraken" && h.symbol === "BTC/USD").at(-1)!;
  assert.equal(last.checksum_failures, 1);
  assert.equal(last.resyncs, 1);
  assert.ok(health.every((h) => h.venue !== "kraken" || h.symbol === "BTC/USD" || h.resyncs === 0));
  assert.ok(logs.some((l) => JSON.parse(l).kind === "resync"));

  const opps = readArbitrage(store.db);
  assert.ok(opps.length > 0, "opportunities recorded");
  for (const o of opps) {
    assert.ok(o.edge_bps_max > 0 && o.size_max > 0 && o.end >= o.start, JSON.stringify(o));
    assert.notEqual(o.buy_venue, o.sell_venue);
  }
  await store.close();
});
