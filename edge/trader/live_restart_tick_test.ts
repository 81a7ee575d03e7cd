import assert from "node:assert/strict";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { runPaperTrader } from "./paper_trader.ts";
import { TradingStore } from "../../infra/store/trading/trading_store.ts";

const FILE = new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname;
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;
const events: MarketEvent[] = [];
await replayBinanceRecording([FILE], { sink: { onEvent: (e) => void events.push(e) } });

Deno.test("live paper trader restarted: the clock ticking before the first event leaves the stored run alone, and the run continues", async () => {
  const store = await TradingStore.open(":memory:");
  try {
    let seen = events[0]!.receiveTime;
    // A slow start (a busy machine, a locked store): the live timer runs before any event.
    const feed = async function* (list: readonly MarketEvent[], waitMs: number) {
      await new Promise((r) => setTimeout(r, waitMs));
      for (const e of list) {
        seen = e.receiveTime;
        yield e;
      }
    };
    const run = (list: readonly MarketEvent[], waitMs: number) =>
      runPaperTrader({
        files: [],
        feed: feed(list, waitMs),
        clock: () => seen + 60_000,
        tickMs: 20,
        config: defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
        strategy: baselineStrategy("buy-and-hold"),
        store,
        runId: "live",
      });
    const first = await run(events.slice(0, 3_000), 0);
    assert.ok(first.fills > 0, JSON.stringify(first.report));
    const stored = store.counts("live");
    const second = await run(events.slice(3_000, 6_000), 300);
    assert.equal(second.resumed_from, 3_000);
    const after = store.counts("live");
    assert.ok(after.paper_fills! >= stored.paper_fills!, JSON.stringify({ stored, after }));
    assert.ok(after.paper_ledger! >= stored.paper_ledger!, JSON.stringify({ stored, after }));
    assert.ok(second.report);
  } finally {
    await store.close();
  }
});
