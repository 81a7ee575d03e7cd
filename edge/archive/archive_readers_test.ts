/**
 * Archives of every venue are read by the replay and the features reader: 14 simulated books
 * harvested through the real adapters, archived, then replayed from the files with each
 * venue's tag, give the same books as replaying the store's events.
 *
 * @module
 */
import assert from "node:assert/strict";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { formatPrice } from "../../core/market/instrument.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { loadRecordedEvents } from "../features/recorded_events.ts";
import { configForSimulator } from "../harvest/harvest_command.ts";
import { Harvester } from "../harvest/harvester.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { StoredBookSync } from "../../core/market/stored_book_sync.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { listArchive } from "./archive_files.ts";
import { applyRetention, eventKey } from "./retention.ts";

const CONFIG = new URL("../../config.yaml", import.meta.url).pathname;

Deno.test("archives of all 4 venues replay (replay, features readers) to the same books as the store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-archive-readers-" });
  const sim = await ExchangeSimulator.start({ seed: 3, speed: 4 });
  const store = await SqliteStore.open(":memory:");
  try {
    const config = configForSimulator(
      (await loadConfig(CONFIG, { env: {}, envFile: "/nonexistent" })).config,
      sim,
    );
    const harvester = new Harvester({
      config,
      store,
      healthIntervalMs: 60_000,
      adapter: { resyncIntervalMs: 50, maxResyncIntervalMs: 200, initialDelayMs: 50 },
    });
    await harvester.start();
    sim.run();
    await new Promise((r) => setTimeout(r, 2_500));
    sim.pause();
    await harvester.stop();
    const instruments = await store.instruments();
    assert.equal(instruments.length, 14);
    const stored = new Map<string, MarketEvent[]>();
    for (const i of instruments) {
      stored.set(
        `${i.venue} ${i.symbol}`,
        await Array.fromAsync(store.readEvents({ venue: i.venue, symbol: i.symbol })),
      );
    }
    const archiveDir = `${dir}/archive`;
    const r = await applyRetention(store, { archiveDir }, {
      now: Date.now(),
      includeOpenHour: true,
    });
    assert.deepEqual(r.errors, []);
    const files = (await listArchive(archiveDir)).map((f) => f.path).filter((f) =>
      f.endsWith(".jsonl.gz")
    );
    for (const inst of instruments) {
      const events = stored.get(`${inst.venue} ${inst.symbol}`)!;
      const mine = files.filter((f) =>
        f.includes(`/${inst.venue}/${inst.symbol.replace("/", "-")}/`)
      );
      assert.ok(mine.length >= 1, `${inst.venue} ${inst.symbol} archived`);
      // The book from the store's events, through the sync the replay uses for that venue.
      const sync = inst.venue === "binance_us"
        ? new BinanceBookSync(new OrderBook(inst))
        : new StoredBookSync(new OrderBook(inst));
      for (const e of events) {
        if (e.kind === "snapshot") sync.onSnapshot(e);
        else if (e.kind === "delta") sync.onDelta(e);
      }
      assert.ok(sync.synced, `${inst.venue} ${inst.symbol} synced`);
      const summary = await replayBinanceRecording(mine, {
        venue: inst.venue,
        snapshotSymbol: inst.symbol,
      });
      assert.equal(summary.bad_lines, 0, summary.errors.join("\n"));
      const s = summary.symbols[inst.symbol]!;
      const best = sync.book.best("bid")!;
      assert.equal(s.bid_levels, sync.book.levelCount("bid"), `${inst.venue} ${inst.symbol}`);
      assert.equal(s.ask_levels, sync.book.levelCount("ask"), `${inst.venue} ${inst.symbol}`);
      assert.equal(
        s.best_bid,
        formatPrice(inst, best.price),
        `${inst.venue} ${inst.symbol}`,
      );
      // The features reader gets exactly the stored events.
      const loaded = await loadRecordedEvents(mine, inst.venue);
      assert.deepEqual(loaded.events.map(eventKey), events.map(eventKey));
    }
  } finally {
    await sim.stop();
    await store.close();
    await Deno.remove(dir, { recursive: true });
  }
});
