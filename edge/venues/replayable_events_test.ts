/**
 * What an adapter hands its sink (and so the store) must replay exactly: the
 * delivered events, with KuCoin's per-record sequences stripped as the store
 * strips them, rebuild the adapter's books through the same syncs.
 */
import assert from "node:assert/strict";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { BookSync } from "../../core/market/book_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { venueInstruments } from "../../core/market/instruments.ts";
import { KucoinBookSync } from "../../core/market/kucoin_sync.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { ExchangeSimulator } from "../simulator/exchange_simulator.ts";
import { createAdapter } from "./adapter_factory.ts";

for (const venue of ["binance_us", "kucoin"] as const) {
  Deno.test(`${venue}: delivered events replay to the adapter's books`, async () => {
    const sim = await ExchangeSimulator.start({ venues: [venue], seed: 5 });
    const delivered: MarketEvent[] = [];
    const symbols = Object.fromEntries(
      venueInstruments(venue).map((i) => [i.symbol, i.venueSymbol]),
    );
    const adapter = createAdapter(venue, { ...sim.urls()[venue]!, symbols }, {
      resyncIntervalMs: 20,
      maxResyncIntervalMs: 200,
      sink: {
        onEvent: (e) => {
          if (e.kind === "trade") return;
          // As stored: plain deltas (no per-record sequences), snapshots as delivered.
          const { bidSequences: _b, askSequences: _a, ...plain } = e as MarketEvent & {
            bidSequences?: unknown;
            askSequences?: unknown;
          };
          delivered.push(plain as MarketEvent);
        },
      },
    });
    try {
      adapter.start();
      for (let i = 0; i < 400; i++) {
        if (i === 200) sim.inject(venue, { kind: "drop", symbol: "BTC/USDT" }); // a resync midway
        sim.step();
        await new Promise((r) => setTimeout(r, 3));
      }
      await new Promise((r) => setTimeout(r, 150));
    } finally {
      await adapter.stop();
      await sim.stop();
    }
    const syncs = new Map<string, BookSync>();
    for (const e of delivered) {
      let s = syncs.get(e.symbol);
      if (!s) {
        const book = new OrderBook(adapter.feeds.get(e.symbol)!.inst);
        s = venue === "kucoin" ? new KucoinBookSync(book) : new BinanceBookSync(book);
        syncs.set(e.symbol, s);
      }
      if (e.kind === "snapshot") s.onSnapshot(e);
      else if (e.kind === "delta") s.onDelta(e);
    }
    assert.ok(adapter.feeds.get("BTC/USDT")!.health.resyncs >= 1);
    for (const [symbol, f] of adapter.feeds) {
      assert.ok(f.sync.synced, symbol);
      assert.deepEqual(syncs.get(symbol)!.book.top("bid"), f.sync.book.top("bid"), symbol);
      assert.deepEqual(syncs.get(symbol)!.book.top("ask"), f.sync.book.top("ask"), symbol);
    }
  });
}
