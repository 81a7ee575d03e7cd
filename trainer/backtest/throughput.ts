/**
 * Prints backtest throughput (events/s and book events/s) per strategy on
 * recordings decoded into memory: `deno run -A trainer/backtest/throughput.ts [FILE...]`
 * (default: the bundled BTCUSDT recording). Each figure is the median of 7 runs
 * after 3 warm-up runs.
 *
 * @module
 */

import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { loadRecordings } from "./recording.ts";
import { scriptFlags } from "../../infra/cli/script_flags.ts";

const { positionals } = scriptFlags("backtest-throughput", {
  usage: "usage: deno run -A trainer/backtest/throughput.ts [FILE...]",
  allowPositionals: true,
  options: {},
});
const files = positionals.length > 0 ? positionals : [
  new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname,
  new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url).pathname,
];
const t0 = performance.now();
const events = await loadRecordings(files);
const loadMs = performance.now() - t0;
const book = events.filter((e) => e.kind !== "trade").length;
const levels = events.reduce(
  (a, e) => a + (e.kind === "trade" ? 0 : e.bids.length + e.asks.length),
  0,
);
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;

function median(run: () => void): number {
  for (let i = 0; i < 3; i++) run();
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const s = performance.now();
    run();
    times.push(performance.now() - s);
  }
  times.sort((a, b) => a - b);
  return times[3] as number;
}

const rows: Record<string, unknown>[] = [];
const add = (name: string, ms: number) =>
  rows.push({
    run: name,
    ms: Number(ms.toFixed(2)),
    events_per_s: Math.round(events.length / (ms / 1000)),
    book_events_per_s: Math.round(book / (ms / 1000)),
    level_updates_per_s: Math.round(levels / (ms / 1000)),
  });
add(
  "book only",
  median(() => {
    const sync = new BinanceBookSync(new OrderBook(BTC));
    for (const e of events) {
      if (e.kind === "delta") sync.onDelta(e);
      else if (e.kind === "snapshot") sync.onSnapshot(e);
    }
  }),
);
for (const name of ["flat", "momentum", "imbalance", "buy-and-hold"]) {
  add(
    `engine ${name}`,
    median(() => {
      const cfg = {
        ...defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
        keepLedgerEntries: false,
        keepDecisions: false,
      };
      const engine = new TradingEngine(cfg, baselineStrategy(name));
      for (const e of events) engine.onEvent(e);
    }),
  );
}
console.log(JSON.stringify(
  {
    events: events.length,
    book_events: book,
    level_updates: levels,
    decode_ms: Math.round(loadMs),
    decode_events_per_s: Math.round(events.length / (loadMs / 1000)),
    runs: rows,
  },
  null,
  1,
));
