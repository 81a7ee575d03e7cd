/**
 * The storage port's contract as Deno tests, registered for any backend: every
 * {@linkcode MarketStore} implementation runs the same cases (SQLite in sqlite_store_test.ts,
 * PostgreSQL in pg_store_test.ts).
 *
 * @module
 */
import assert from "node:assert/strict";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent, Trade } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import { defaultInstrument, defaultInstruments } from "../../core/market/instruments.ts";
import type { OhlcvBar } from "../../core/market/ohlcv.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import type { MarketStore } from "../../core/storage.ts";
import { STORE_TABLES } from "./store_tables.ts";
import { StoreWriter } from "./store_writer.ts";
import { contractCases } from "./testing/contract_cases.ts";

/** A fresh, empty store for one test, and how to reopen and remove it. */
export interface StoreHandle {
  /** The open store (migrated, empty). */
  readonly store: MarketStore;
  /** Opens the same database again (after `store.close()`). */
  reopen(): Promise<MarketStore>;
  /** Removes the database (file or schema). Called after the test, stores already closed. */
  dispose(): Promise<void>;
}

/** Receives a recorded replay's events and periodic book pictures (the store writer). */
export interface RecordedSink {
  /** Each normalized event, in order. */
  onEvent(event: MarketEvent): void | Promise<void>;
  /** Each synced book whenever receive time crosses a snapshot interval. */
  onBookSnapshot(book: OrderBook, receiveTime: number, lastUpdateId: number): void | Promise<void>;
}

/** What the contract compares a replay's stored events with (the replay's own book facts). */
export interface RecordedSummary {
  /** Last update id the replayed book reflects. */
  readonly last_update_id: number | null;
  /** Deltas applied. */
  readonly applied: number;
  /** Bid levels of the book at the end. */
  readonly bid_levels: number;
}

/**
 * Replays the bundled Binance recording (11 minutes of BTCUSDT) into a sink. The runtime that
 * owns the parsers supplies it (the edge's `replayBinanceRecording`): infra/ imports only core/.
 */
export type RecordedReplay = (sink: RecordedSink) => Promise<RecordedSummary>;

/** How a backend joins the contract. */
export interface StoreContractOptions {
  /** The bundled recording's replay, the contract's data. */
  readonly replay: RecordedReplay;
  /** Skip every case with this reason (shown in the test name). */
  readonly skip?: string;
  /** Whether rewriting deltas and books is idempotent too (natural keys), not only trades. */
  readonly idempotentEvents: boolean;
}

/**
 * Registers the contract's test cases for one backend.
 *
 * @param backend Name in test names ("sqlite", "postgres").
 * @param open Creates a fresh store for one test.
 * @param options Skip reason and capabilities.
 */
export function storeContract(
  backend: string,
  open: () => Promise<StoreHandle>,
  options: StoreContractOptions,
): void {
  const test = contractCases(`${backend} store contract`, open, options.skip);

  test("a stored replay reads back identical and replays to the same book", async (h) => {
    const { seen, summary, books } = await replayInto(h.store, options.replay);
    await h.store.close();
    const again = await h.reopen();
    try {
      const counts = await again.tableCounts();
      assert.equal(counts.book_deltas, 6_495);
      assert.equal(counts.trades, 19_904);
      assert.equal(counts.order_books, 1 + books);
      assert.ok(books >= 60, `${books} periodic pictures`);
      assert.deepEqual(await again.instruments(), sortedInstruments());
      const read = await collect(again.readEvents());
      assert.equal(read.length, seen.length);
      assert.deepEqual(read, seen);
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
      const pictures = await again.readBooks({ venue: "binance" });
      assert.equal(pictures.length, books);
      assert.ok(pictures.every((b) => b.bids.length === 100 && b.asks.length === 100));
      const window = await collect(again.readEvents({
        fromTime: seen[100]!.receiveTime,
        toTime: seen[200]!.receiveTime,
      }));
      assert.deepEqual(window, seen.slice(100, 200));
      assert.deepEqual(await collect(again.readEvents({ venue: "kraken" })), []);
      assert.equal((await collect(again.readEvents({ symbol: "BTC/USDT" }))).length, seen.length);
    } finally {
      await again.close();
    }
  });

  test("migrations are versioned and idempotent; a new store is empty", async (h) => {
    const report = await h.store.migrate();
    assert.deepEqual(report.applied, []);
    assert.equal(report.from, report.to);
    assert.ok(report.to >= 2);
    const counts = await h.store.tableCounts();
    for (const t of STORE_TABLES) assert.equal(counts[t], 0, t);
    await h.store.close();
  });

  test("rewritten batches add no duplicate; a failed batch writes nothing", async (h) => {
    const s = h.store;
    const trade = tradeEvent("7", 1_000);
    await s.writeBatch({ events: [trade] });
    await s.writeBatch({ events: [trade] });
    assert.equal((await s.tableCounts()).trades, 1);
    const bad = { ...trade, tradeId: "8", takerSide: "sideways" } as unknown as MarketEvent;
    await assert.rejects(() => s.writeBatch({ events: [tradeEvent("9", 1_001), bad] }), /check/i);
    assert.equal((await s.tableCounts()).trades, 1);
    if (options.idempotentEvents) {
      const events = await firstEvents(options.replay, 300);
      await s.writeBatch({ events });
      await s.writeBatch({ events: events.slice(100) });
      const counts = await s.tableCounts();
      assert.equal(counts.book_deltas, events.filter((e) => e.kind === "delta").length);
      assert.equal(counts.order_books, events.filter((e) => e.kind === "snapshot").length);
      assert.equal(counts.trades, 1 + events.filter((e) => e.kind === "trade").length);
    }
    await s.close();
  });

  test("bars upsert by (venue, symbol, start) and read back in order", async (h) => {
    const s = h.store;
    const bar = (start: number, trades: number): OhlcvBar => ({
      venue: "binance",
      symbol: "BTC/USDT",
      start,
      open: 10 as Ticks,
      high: (10 + trades) as Ticks,
      low: 9 as Ticks,
      close: 11 as Ticks,
      volume: (trades * 2) as Lots,
      trades,
    });
    await s.writeBatch({ bars: [bar(120_000, 1), bar(60_000, 3)] });
    await s.writeBatch({ bars: [bar(120_000, 5)] });
    assert.deepEqual(await s.readBars(), [bar(60_000, 3), bar(120_000, 5)]);
    assert.deepEqual(await s.readBars({ fromTime: 100_000 }), [bar(120_000, 5)]);
    assert.deepEqual(await s.readBars({ venue: "kraken" }), []);
    await s.close();
  });
}

/** Replays the recording into a store through a {@linkcode StoreWriter}. */
export async function replayInto(
  store: MarketStore,
  replay: RecordedReplay,
  batchSize = 1_000,
): Promise<{ seen: MarketEvent[]; summary: RecordedSummary; books: number }> {
  const seen: MarketEvent[] = [];
  const writer = new StoreWriter(store, { batchSize });
  await store.putInstruments(defaultInstruments());
  const summary = await replay({
    onEvent: (e) => (seen.push(e), writer.onEvent(e)),
    onBookSnapshot: (b, t, s) => writer.onBookSnapshot(b, t, s),
  });
  await writer.flush();
  return { seen, summary, books: writer.stats.books };
}

/** Collects an async iterable. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** The first `n` events of the recording. */
export async function firstEvents(replay: RecordedReplay, n: number): Promise<MarketEvent[]> {
  const events: MarketEvent[] = [];
  await replay({
    onEvent: (e) => void (events.length < n && events.push(e)),
    onBookSnapshot: () => {},
  });
  return events;
}
function tradeEvent(tradeId: string, exchangeTime: number): Trade {
  return {
    kind: "trade",
    venue: "binance",
    symbol: "BTC/USDT",
    exchangeTime,
    receiveTime: exchangeTime + 1,
    tradeId,
    price: 100 as Ticks,
    size: 5 as Lots,
    takerSide: "buy",
  };
}

function sortedInstruments() {
  return [...defaultInstruments()].sort((a, b) =>
    a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol)
  );
}
