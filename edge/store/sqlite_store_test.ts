import assert from "node:assert/strict";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument, defaultInstruments } from "../../core/market/instruments.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { BUNDLED_RECORDING } from "../cli/demo_command.ts";
import { SqliteStore } from "./sqlite_store.ts";
import { StoreWriter } from "./store_writer.ts";
import { SQLITE_MIGRATIONS } from "./sqlite_migrations.ts";

Deno.test("SqliteStore round trip: a stored replay reads back identical and replays to the same book", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-store-" });
  const store = await SqliteStore.open(`${dir}/t.db`);
  const seen: MarketEvent[] = [];
  const writer = new StoreWriter(store, { batchSize: 1_000 });
  await store.putInstruments(defaultInstruments());
  const summary = await replayBinanceRecording(BUNDLED_RECORDING, {
    sink: {
      onEvent: (e) => (seen.push(e), writer.onEvent(e)),
      onBookSnapshot: (b, t, s) => writer.onBookSnapshot(b, t, s),
    },
  });
  await writer.flush();
  await store.close();

  const again = await SqliteStore.open(`${dir}/t.db`);
  const counts = await again.tableCounts();
  assert.equal(counts.book_deltas, 6_495);
  assert.equal(counts.trades, 19_904);
  assert.equal(counts.order_books, 1 + writer.stats.books);
  assert.ok(writer.stats.books >= 60, `${writer.stats.books} periodic pictures`);
  assert.deepEqual(
    await again.instruments(),
    [...defaultInstruments()].sort((a, b) =>
      a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol)
    ),
  );

  const read: MarketEvent[] = [];
  for await (const e of again.readEvents()) read.push(e);
  assert.equal(read.length, seen.length);
  assert.deepEqual(read, seen);

  // Exact replay from the store gives the same final book.
  const sync = new BinanceBookSync(new OrderBook(defaultInstrument("binance", "BTC/USDT")!));
  for (const e of read) {
    if (e.kind === "snapshot") sync.onSnapshot(e);
    else if (e.kind === "delta") sync.onDelta(e);
  }
  assert.equal(sync.lastUpdateId, summary.last_update_id);
  assert.equal(sync.counters.applied, summary.applied);
  assert.equal(sync.book.levelCount("bid"), summary.bid_levels);

  const bars = await again.readBars({ symbol: "BTC/USDT" });
  assert.equal(bars.reduce((n, b) => n + b.trades, 0), 19_904);
  assert.ok(bars.every((b, i) => i === 0 || b.start === (bars[i - 1]?.start ?? 0) + 60_000));
  const books = await again.readBooks({ venue: "binance" });
  assert.equal(books.length, writer.stats.books);
  assert.ok(books.every((b) => b.bids.length === 100 && b.asks.length === 100));
  const window = [];
  for await (
    const e of again.readEvents({
      fromTime: seen[100]!.receiveTime,
      toTime: seen[200]!.receiveTime,
    })
  ) {
    window.push(e);
  }
  assert.deepEqual(window, seen.slice(100, 200));
  await again.close();
});

Deno.test("SqliteStore migrations are versioned and idempotent", async () => {
  const store = await SqliteStore.open(":memory:");
  assert.equal(store.schemaVersion(), SQLITE_MIGRATIONS.length);
  const report = await store.migrate();
  assert.deepEqual(report.applied, []);
  assert.equal(report.from, report.to);
  const counts = await store.tableCounts();
  for (
    const t of [
      "order_books",
      "book_deltas",
      "trades",
      "ohlcv",
      "portfolio_state",
      "predictions",
      "news_articles",
      "news_sentiment_hourly",
    ]
  ) {
    assert.equal(counts[t], 0, t);
  }
  await store.close();
});

Deno.test("SqliteStore writes trades idempotently and rolls back a failed batch", async () => {
  const store = await SqliteStore.open(":memory:");
  const trade = {
    kind: "trade",
    venue: "binance",
    symbol: "BTC/USDT",
    exchangeTime: 1,
    receiveTime: 2,
    tradeId: "7",
    price: 100,
    size: 5,
    takerSide: "buy",
  } as unknown as MarketEvent;
  await store.writeBatch({ events: [trade] });
  await store.writeBatch({ events: [trade] });
  assert.equal((await store.tableCounts()).trades, 1);
  const bad = { ...trade, tradeId: "8", takerSide: "sideways" } as unknown as MarketEvent;
  const good = { ...trade, tradeId: "9" } as unknown as MarketEvent;
  await assert.rejects(() => store.writeBatch({ events: [good, bad] }), /CHECK constraint/);
  assert.equal((await store.tableCounts()).trades, 1);
  await store.close();
});

Deno.test("StoreWriter keeps buffered rows when a write fails", async () => {
  let fail = true;
  const written: number[] = [];
  const fake = {
    writeBatch: (b: { events?: readonly unknown[] }) => {
      if (fail) return Promise.reject(new Error("disk full"));
      written.push(b.events?.length ?? 0);
      return Promise.resolve();
    },
  } as unknown as SqliteStore;
  const writer = new StoreWriter(fake, { batchSize: 2 });
  const e = { kind: "delta" } as unknown as MarketEvent;
  await writer.onEvent(e);
  await assert.rejects(() => writer.onEvent(e), /disk full/);
  fail = false;
  await writer.onEvent(e);
  assert.deepEqual(written, [3]);
});
