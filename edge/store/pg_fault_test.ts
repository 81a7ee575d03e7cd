import assert from "node:assert/strict";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstruments } from "../../core/market/instruments.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { PG_MIGRATIONS } from "../../infra/store/pg_migrations.ts";
import { PgStore } from "../../infra/store/pg_store.ts";
import { PgTestCluster } from "../../infra/store/pg_test_cluster.ts";
import { PG_SKIP, pgTestUrl } from "../../infra/store/pg_test_env.ts";
import { collect } from "../../infra/store/store_contract.ts";
import { StoreWriter } from "../../infra/store/store_writer.ts";

Deno.test({
  name: "PgStore: server stopped, restarted and crashed mid-replay loses and duplicates no row",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    pgTestUrl(); // under CI without a server this fails instead of skipping
    const cluster = await PgTestCluster.create();
    const spillDir = await Deno.makeTempDir({ prefix: "tickerml-spill-" });
    const logs: string[] = [];
    try {
      const store = await PgStore.open(cluster.url, {
        maxBufferedRows: 3_000,
        maxBackoffMs: 500,
        spillDir,
        onLog: (l) => logs.push(l),
      });
      await store.putInstruments(defaultInstruments());
      const writer = new StoreWriter(store, { batchSize: 500 });
      const seen: MarketEvent[] = [];
      let restart: Promise<void> | undefined;
      await replayBinanceRecording(BUNDLED_RECORDING, {
        sink: {
          onEvent: async (e) => {
            seen.push(e);
            await writer.onEvent(e);
            // Down for 7,000 events (buffer 3,000 rows, the rest spills); once all is written again,
            // a crash-restart that is not awaited, so it lands while batches are being written.
            if (seen.length === 5_000) await cluster.stop("immediate");
            if (seen.length === 12_000) {
              await cluster.start();
              assert.ok(await store.flush(60_000), "buffer and spill drained after the restart");
            }
            if (seen.length === 20_000) {
              restart = cluster.stop("immediate").then(() => cluster.start());
            }
          },
          onBookSnapshot: (b, t, s) => writer.onBookSnapshot(b, t, s),
        },
      });
      await restart;
      await writer.flush();
      assert.ok(await store.flush(60_000), `rows still buffered: ${store.bufferedRows}`);
      const stats = store.stats;
      assert.ok(stats.outages >= 2 && stats.failed_attempts >= 1, JSON.stringify(stats));
      assert.ok(stats.spilled_rows > 0, JSON.stringify(stats));
      assert.equal(stats.dead_letter_batches, 0);
      const counts = await store.tableCounts();
      assert.equal(counts.book_deltas, 6_495);
      assert.equal(counts.trades, 19_904);
      assert.equal(counts.order_books, 1 + writer.stats.books);
      const read = await collect(store.readEvents());
      assert.equal(read.length, seen.length);
      assert.deepEqual(read, seen);
      const bars = await store.readBars();
      assert.equal(bars.reduce((n, b) => n + b.trades, 0), 19_904);
      await store.close();
      assert.deepEqual([...Deno.readDirSync(spillDir)], [], "spill files left behind");
      assert.ok(logs.some((l) => l.includes("unreachable")), logs.join("\n"));
      assert.ok(logs.some((l) => l.includes("reachable again")), logs.join("\n"));
    } finally {
      await cluster.destroy();
      await Deno.remove(spillDir, { recursive: true });
    }
  },
});

Deno.test({
  name: "PgStore.open waits for a server that is still starting (waitForServerMs)",
  ignore: PG_SKIP !== undefined,
  fn: async () => {
    pgTestUrl();
    const cluster = await PgTestCluster.create();
    try {
      await cluster.stop("fast");
      await assert.rejects(() => PgStore.open(cluster.url), /ECONNREFUSED|connect/);
      const logs: string[] = [];
      const opening = PgStore.open(cluster.url, {
        waitForServerMs: 60_000,
        onLog: (l) => logs.push(l),
      });
      await new Promise((r) => setTimeout(r, 500));
      await cluster.start();
      const store = await opening;
      assert.equal(await store.schemaVersion(), PG_MIGRATIONS.length);
      assert.ok(logs.some((l) => l.startsWith("waiting for PostgreSQL")), logs.join("\n"));
      await store.close();
    } finally {
      await cluster.destroy();
    }
  },
});
