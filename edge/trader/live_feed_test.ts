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

const config = () => defaultEngineConfig([BTC], (b) => new BinanceBookSync(b));
// Ticks must follow the data's clock, not today's: the last event time seen by the feed.
let seen = 0;
async function* feedClocked(list: readonly MarketEvent[]): AsyncGenerator<MarketEvent> {
  for (const e of list) {
    seen = e.receiveTime;
    yield e;
  }
}
const clock = () => seen;

Deno.test("a live feed drives the same engine as the file replay", async () => {
  const files = await runPaperTrader({
    files: [FILE],
    config: config(),
    strategy: baselineStrategy("imbalance"),
  });
  const live = await runPaperTrader({
    files: [FILE],
    feed: feedClocked(events),
    clock,
    config: config(),
    strategy: baselineStrategy("imbalance"),
  });
  assert.ok(files.fills > 0);
  assert.equal(live.fingerprint, files.fingerprint);
});

Deno.test("a stored live run restarts from its state: no second entry, nothing written twice", async () => {
  const store = await TradingStore.open(":memory:");
  try {
    const opts = {
      files: [FILE],
      config: config(),
      strategy: baselineStrategy("buy-and-hold"),
      store,
      runId: "live",
      clock,
    };
    const a = await runPaperTrader({ ...opts, feed: feedClocked(events) });
    assert.equal(a.fills, 1);
    // The restarted session sees a fresh snapshot first (the feed starts with one).
    const b = await runPaperTrader({ ...opts, feed: feedClocked(events) });
    assert.equal(b.resumed_from, events.length);
    assert.equal(b.fills, 0, "the restored position is held, not bought again");
    assert.deepEqual(b.balances, a.balances);
    const counts = store.counts("live");
    assert.equal(counts.paper_fills, 1);
    assert.equal(counts.paper_orders, 1);
  } finally {
    await store.close();
  }
});
