/**
 * The daily metadata refresh on a loopback Binance.US: a changed tick and minimum notional
 * become the running book's instrument (resynced on it) and the store's instruments row.
 *
 * @module
 */
import assert from "node:assert/strict";
import { makeInstrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { startLoopbackBinance } from "../venues/binance/loopback_venue.ts";
import { Harvester } from "./harvester.ts";

const CONFIG = new URL("../../config.yaml", import.meta.url).pathname;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("metadata refresh: a changed tick and min notional resync the book on the new instrument and update the store", async () => {
  const inst = defaultInstrument("binance_us", "BTC/USDT")!;
  const venue = startLoopbackBinance(inst, {
    bids: [["61737.50", "1.5"], ["61737.00", "2"]],
    asks: [["61738.00", "1"]],
    deltaBids: [["61737.50", "0.25"], ["61737.50", "0.5"]],
  });
  const loaded = (await loadConfig(CONFIG, { env: {}, envFile: "/nonexistent" })).config;
  const exchanges = Object.fromEntries(
    Object.entries(loaded.exchanges).map(([v, ex]) => [v, ex && { ...ex, enabled: false }]),
  );
  const config = {
    ...loaded,
    symbols: ["BTC/USDT"],
    exchanges: {
      ...exchanges,
      binance_us: {
        ...loaded.exchanges.binance_us!,
        enabled: true,
        ws_url: venue.wsUrl,
        rest_url: venue.restUrl,
        symbols: { "BTC/USDT": "BTCUSDT" },
      },
    },
  } as typeof loaded;
  const store = await SqliteStore.open(":memory:");
  const logs: Record<string, unknown>[] = [];
  const harvester = new Harvester({
    config,
    store,
    metadata: {},
    log: (l) => logs.push(JSON.parse(l)),
    adapter: { resyncIntervalMs: 10, maxResyncIntervalMs: 50, initialDelayMs: 10 },
  });
  try {
    await harvester.start();
    const adapter = harvester.adapters[0]!;
    const feed = () => adapter.feeds.get("BTC/USDT")!;
    for (let i = 0; i < 500 && !feed().sync.synced; i++) await sleep(10);
    assert.ok(feed().sync.synced, "synced before the refresh");
    const before = feed().inst;
    assert.equal(before.tickSize, 1);
    const snapshots = venue.snapshots;

    // The venue now publishes a tick of 0.05 and a minimum notional of 5.
    venue.instrument = makeInstrument({ ...inst, tickSize: 5, minNotional: "5.00000000" });
    await harvester.refreshMetadata();
    assert.equal(feed().inst.tickSize, 5);
    assert.equal(Number(feed().inst.minNotional), 5);
    assert.equal(feed().inst.priceDecimals, 2);
    const resync = logs.find((l) => l.kind === "resync" && l.reason === "metadata");
    assert.ok(resync, JSON.stringify(logs));
    const change = logs.filter((l) => l.kind === "instrument");
    assert.equal(change.length, 1);
    assert.match(String(change[0]!.message), /tick 1 -> 5.*min notional/);
    assert.equal(harvester.stats.instrument_changes, 1);
    // The book was rebuilt and synced again from a new snapshot, on the new instrument.
    for (let i = 0; i < 500 && !(feed().sync.synced && venue.snapshots > snapshots); i++) {
      await sleep(10);
    }
    assert.ok(feed().sync.synced && venue.snapshots > snapshots, "resynced");
    assert.equal(feed().sync.book.instrument.tickSize, 5);
    let row = (await store.instruments()).find((i) => i.symbol === "BTC/USDT");
    for (let i = 0; i < 100 && row?.tickSize !== 5; i++) {
      await sleep(10);
      row = (await store.instruments()).find((i) => i.symbol === "BTC/USDT");
    }
    assert.equal(row?.tickSize, 5);
    // A second refresh with nothing new changes nothing.
    await harvester.refreshMetadata();
    assert.equal(harvester.stats.instrument_changes, 1);
  } finally {
    await harvester.stop();
    await venue.stop();
    await store.close();
  }
});
