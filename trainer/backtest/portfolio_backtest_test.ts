import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig } from "../../core/config.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { renderHtmlReport } from "./html_report.ts";
import { isEventsRecording, loadRecordings, newReadStats } from "./recording.ts";
import { runBacktest } from "./run.ts";

const FILE =
  new URL("../../testdata/portfolio/sim_4streams.events.jsonl.gz", import.meta.url).pathname;
const config = parseConfig(
  parse(await Deno.readTextFile(new URL("../../config.yaml", import.meta.url))),
  "config.yaml",
);
const instruments = tradedInstruments(config);

Deno.test("the backtester trades every configured stream in one account, per stream and in total", async () => {
  assert.ok(await isEventsRecording(FILE));
  const stats = newReadStats();
  const events = await loadRecordings([FILE], { stats });
  assert.equal(stats.bad, 0);
  assert.deepEqual(
    [...new Set(events.map((e) => `${e.venue}:${e.symbol}`))].sort(),
    ["binance_us:BTC/USDT", "binance_us:ETH/USDT", "coinbase:BTC/USD", "coinbase:ETH/USD"],
  );
  const result = await runBacktest(events, {
    instruments,
    strategy: baselineStrategy("imbalance"),
    baselines: [baselineStrategy("flat"), baselineStrategy("buy-and-hold")],
    configure: (cfg) => ({
      ...engineConfigFromConfig(config, instruments, venueBookSync),
      latency: cfg.latency,
    }),
  });
  for (const r of result.results) {
    assert.equal(r.streams.length, 4);
    assert.equal(r.bad_events, 0);
    for (const s of r.streams) assert.ok(s.decisions > 100, `${r.strategy} ${s.venue} ${s.symbol}`);
    // one account: the stream P&L adds up to the account's
    const sum = r.streams.reduce((a, s) => a + s.pnl_net, 0);
    assert.ok(Math.abs(sum - (r.net.end_equity - r.net.start_equity)) < 1e-6, r.strategy);
    assert.equal(r.net.start_equity, 10_000);
  }
  const [imbalance, flat, hold] = result.results;
  assert.equal(flat!.net.fills, 0);
  assert.ok(hold!.streams.every((s) => s.fills > 0), "buy-and-hold enters on every stream");
  // the caps bite at entry (prices move after): 25 % per symbol, 35 % per base asset
  const f = hold!.streams.map((s) => s.exposure_fraction);
  assert.ok(f.every((x) => x <= 0.255), `per-symbol cap: ${f}`);
  assert.ok(Math.abs(f[0]! + f[2]! - 0.35) < 0.005, `BTC on both venues: ${f}`);
  assert.ok(Math.abs(f[1]! + f[3]! - 0.35) < 0.005, `ETH on both venues: ${f}`);
  assert.ok(hold!.account.exposure_fraction > 0.5);
  assert.deepEqual(Object.keys(hold!.account.exposure_by_venue), ["binance_us", "coinbase"]);
  assert.deepEqual(
    Object.keys(imbalance!.account.balances).filter((k) => k.endsWith("USDT") || k.endsWith("USD")),
    ["binance_us:USDT", "coinbase:USD"],
  );
  const html = renderHtmlReport(result, "t");
  assert.match(html, /<h2>Per stream<\/h2>/);
  assert.match(html, /coinbase ETH\/USD/);
  assert.match(html, /<h2>Account at the end<\/h2>/);
});
