/**
 * Backtest throughput on the bundled 11-minute BTCUSDT recording (26,400 events:
 * 6,496 book events and 19,904 trades), events already decoded in memory, one
 * engine per iteration. Events/s = 26,400 / time per iteration.
 */

import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { loadRecordings } from "./recording.ts";

const FILES = [
  new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname,
  new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url).pathname,
];
const events = await loadRecordings(FILES);
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;

function replay(name: string): void {
  const cfg = {
    ...defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
    keepLedgerEntries: false,
    keepDecisions: false,
  };
  const engine = new TradingEngine(cfg, baselineStrategy(name));
  for (const e of events) engine.onEvent(e);
}

Deno.bench("book only (sync + order book, no engine)", { group: "replay", baseline: true }, () => {
  const sync = new BinanceBookSync(new OrderBook(BTC));
  for (const e of events) {
    if (e.kind === "delta") sync.onDelta(e);
    else if (e.kind === "snapshot") sync.onSnapshot(e);
  }
});
Deno.bench("engine, flat (no-op strategy)", { group: "replay" }, () => replay("flat"));
Deno.bench("engine, momentum", { group: "replay" }, () => replay("momentum"));
Deno.bench("engine, imbalance", { group: "replay" }, () => replay("imbalance"));
