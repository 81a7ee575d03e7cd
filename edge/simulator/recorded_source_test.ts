import assert from "node:assert/strict";
import { venueInstruments } from "../../core/market/instruments.ts";
import { createAdapter } from "../venues/adapter_factory.ts";
import { ExchangeSimulator, SIM_VENUES } from "./exchange_simulator.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

Deno.test("recorded Binance BTCUSDT drives all four venues; BTC books match the truth after a gap", async () => {
  const sim = await ExchangeSimulator.start({
    source: "recorded",
    symbols: ["BTC/USDT", "BTC/USD"],
  });
  const adapters = SIM_VENUES.map((v) => {
    const symbols = Object.fromEntries(
      venueInstruments(v).filter((i) => i.base === "BTC").map((i) => [i.symbol, i.venueSymbol]),
    );
    return createAdapter(v, { ...sim.urls()[v]!, symbols }, {
      resyncIntervalMs: 20,
      maxResyncIntervalMs: 200,
      initialDelayMs: 50,
    });
  });
  try {
    for (const a of adapters) a.start();
    const synced = () => adapters.every((a) => [...a.feeds.values()].every((f) => f.sync.synced));
    for (let i = 0; i < 2000 && (i < 100 || !synced()); i++) {
      sim.step();
      await sleep(3);
    }
    for (const v of SIM_VENUES) sim.inject(v, { kind: "drop", symbol: "BTC/USDT" });
    for (let i = 0; i < 2000 && (i < 200 || !synced()); i++) {
      sim.step();
      await sleep(3);
    }
    await sleep(200);
    for (const a of adapters) {
      // REST snapshots are depth-limited as on the venues (Binance 1000, KuCoin level2_100), and
      // Kraken keeps its subscribed top 10; the adapters keep at least 20 exact levels.
      const depth = a.venue === "kraken" ? 10 : 20;
      for (const [symbol, f] of a.feeds) {
        const truth = sim.truth(a.venue as typeof SIM_VENUES[number], symbol);
        assert.ok(f.sync.synced, `${a.venue} ${symbol}`);
        assert.deepEqual(
          f.sync.book.top("bid", depth),
          truth.top("bid", depth),
          `${a.venue} ${symbol}`,
        );
        assert.deepEqual(
          f.sync.book.top("ask", depth),
          truth.top("ask", depth),
          `${a.venue} ${symbol}`,
        );
      }
      const faulted = a.feeds.get("BTC/USDT")!.health;
      if (a.venue !== "kraken") {
        assert.ok(faulted.resyncs >= 1, `${a.venue} resynced after the drop`);
      }
      if (a.feeds.has("BTC/USD")) assert.equal(a.feeds.get("BTC/USD")!.health.resyncs, 0);
    }
    // Prices keep the recording's shape with the venue offset and tick (Kraken/KuCoin 0.1).
    const mid = (v: typeof SIM_VENUES[number]) => sim.truth(v, "BTC/USDT").mid()!;
    assert.ok(Math.abs(mid("coinbase") / 100 / (mid("binance_us") / 100) - 1.0006) < 0.0002);
  } finally {
    for (const a of adapters) await a.stop();
    await sim.stop();
  }
});
