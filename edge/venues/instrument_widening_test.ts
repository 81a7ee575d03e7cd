/**
 * Live data finer than the venue metadata's tick and lot, on a loopback Binance.US: the
 * adapter widens the instrument (price from the REST snapshot, size from a delta), rebuilds
 * the book at the new scale, logs and counts each change once, and the book syncs.
 *
 * @module
 */
import assert from "node:assert/strict";
import { priceToNumber, sizeToNumber } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { BinanceUsAdapter } from "./binance/adapter.ts";
import { startLoopbackBinance } from "./binance/loopback_venue.ts";
import type { ResyncReason } from "./adapter_types.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("Binance.US live: a snapshot and deltas finer than the instrument widen it and the book syncs", async () => {
  const inst = defaultInstrument("binance_us", "BTC/USDT")!;
  assert.equal(inst.priceDecimals, 2);
  assert.equal(inst.sizeDecimals, 8);
  const venue = startLoopbackBinance(inst, {
    bids: [["61737.635", "1.5"], ["61737.50", "2"]],
    asks: [["61738.001", "1"]],
    deltaBids: [["61737.635", "0.1234567891"], ["61737.635", "0.25"]],
  });
  const changes: string[] = [];
  const resyncs: ResyncReason[] = [];
  const bad: string[] = [];
  const adapter = new BinanceUsAdapter({
    wsUrl: venue.wsUrl,
    restUrl: venue.restUrl,
    instruments: [inst],
    snapshotStaggerMs: 0,
    resyncIntervalMs: 10,
    maxResyncIntervalMs: 50,
    initialDelayMs: 10,
    sink: {
      onInstrument: (_v, i, why) => changes.push(`${i.priceDecimals}/${i.sizeDecimals} ${why}`),
      onResync: (_v, _s, reason) => resyncs.push(reason),
      onBadFrame: (_v, line) => bad.push(line),
    },
  });
  try {
    adapter.start();
    const feed = () => adapter.feeds.get("BTC/USDT")!;
    // Synced at the widest scale with a delta applied after the snapshot (bid size not 1.5).
    const done = () => {
      const f = feed();
      const bid = f.sync.book.best("bid");
      return f.sync.synced && f.inst.sizeDecimals >= 10 && bid !== undefined &&
        sizeToNumber(f.inst, bid.size) !== 1.5;
    };
    for (let i = 0; i < 500 && !done(); i++) await sleep(10);
    const f = feed();
    assert.deepEqual(bad, []);
    assert.ok(f.sync.synced, `never synced: ${changes.join("; ")}`);
    assert.equal(f.inst.priceDecimals, 3);
    assert.equal(f.inst.sizeDecimals, 10);
    // The tick and lot keep their value at the wider scale.
    assert.equal(f.inst.tickSize, inst.tickSize * 10);
    assert.equal(f.inst.lotSize, inst.lotSize * 100);
    // Each widening is logged once and counted; the symbol resynced for it.
    assert.equal(changes.length, 2, changes.join("; "));
    assert.equal(adapter.counters.instrumentChanges, 2);
    assert.deepEqual(resyncs.filter((r) => r === "precision").length, 2);
    assert.ok(changes.some((c) => /"61737\.635" is finer than 2 decimals/.test(c)), changes[0]);
    assert.ok(changes.some((c) => /"0\.1234567891" is finer than 8 decimals/.test(c)));
    const bid = f.sync.book.best("bid")!;
    assert.equal(priceToNumber(f.inst, bid.price), 61737.635);
    assert.ok([0.1234567891, 0.25].includes(sizeToNumber(f.inst, bid.size)));
    assert.equal(priceToNumber(f.inst, f.sync.book.best("ask")!.price), 61738.001);
    assert.deepEqual(adapter.instruments, [f.inst]);
  } finally {
    await adapter.stop();
    await venue.stop();
  }
});

Deno.test("Coinbase: a WS snapshot level finer than the tick widens the instrument instead of dropping the level", async () => {
  const { CoinbaseAdapter } = await import("./coinbase/adapter.ts");
  const inst = defaultInstrument("coinbase", "BTC-USD") ??
    defaultInstrument("coinbase", "BTC/USD")!;
  const changes: string[] = [];
  const adapter = new CoinbaseAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: "http://127.0.0.1:9",
    instruments: [inst],
    sink: { onInstrument: (_v, _i, why) => changes.push(why) },
  });
  const fine = `21921.${"7".repeat(inst.priceDecimals)}5`;
  const frame = JSON.stringify({
    channel: "l2_data",
    client_id: "",
    timestamp: "2023-02-09T20:32:50.714964855Z",
    sequence_num: 0,
    events: [{
      type: "snapshot",
      product_id: inst.venueSymbol,
      updates: [
        { side: "bid", event_time: "1970-01-01T00:00:00Z", price_level: fine, new_quantity: "0.5" },
        {
          side: "offer",
          event_time: "1970-01-01T00:00:00Z",
          price_level: "21922",
          new_quantity: "1",
        },
      ],
    }],
  });
  try {
    assert.ok(adapter.ingest(frame, 1));
    const f = adapter.feeds.get(inst.symbol)!;
    assert.equal(f.inst.priceDecimals, inst.priceDecimals + 1);
    assert.equal(adapter.counters.droppedLevels, 0);
    assert.equal(adapter.counters.instrumentChanges, 1);
    assert.equal(changes.length, 1);
    assert.ok(f.sync.synced);
    assert.equal(priceToNumber(f.inst, f.sync.book.best("bid")!.price), Number(fine));
  } finally {
    await adapter.stop();
  }
});
