import assert from "node:assert/strict";
import { buildDataset } from "./dataset.ts";
import { candleFeatureSource } from "./candle_source.ts";
import { CandleFormatError, parseCandles, readCandles } from "./candles.ts";
import { DEFAULT_LABELS } from "./labels.ts";

const HEAD = new URL("../../testdata/candles/btc_perp_1m_head120.csv", import.meta.url).pathname;

Deno.test("candles: header CSV, Binance klines (ms and µs) and freqtrade JSON", async () => {
  const csv = await readCandles(HEAD);
  assert.equal(csv.length, 120);
  assert.deepEqual(csv[0], {
    time: Date.UTC(2021, 11, 31, 23, 1),
    open: 46319,
    high: 46385,
    low: 46319,
    close: 46377,
    volume: 2300413.7295,
  });
  const kline =
    "1722470400000,64628.00,64640.00,64600.01,64610.00,12.5,1722470459999,807000.1,321,7.5,484000.0,0\n" +
    "1722470460000000,64610.00,64650.00,64605.00,64645.00,10.0,1722470519999999,646000.0,200,2.5,161000.0,0\n";
  const k = parseCandles(kline, "k.csv");
  assert.equal(k[1]?.time, 1722470460000);
  assert.equal(k[0]?.takerBuyVolume, 7.5);
  assert.equal(k[0]?.trades, 321);
  const ft = parseCandles(
    "[[1722470400000, 1, 2, 0.5, 1.5, 10], [1722470460000, 1.5, 1.6, 1.4, 1.45, 3]]",
    "f.json",
  );
  assert.equal(ft.length, 2);
  assert.equal(ft[1]?.close, 1.45);
});

Deno.test("candles: bad input names the file, line and problem", () => {
  assert.throws(
    () =>
      parseCandles(
        "timestamp,open,high,low,close,volume\n2022-01-01 00:00:00,1,2,0.5,1.5,3\n2022-01-01 00:00:00,1,2,0.5,1.5,3\n",
        "x.csv",
      ),
    (e: Error) => e instanceof CandleFormatError && /x\.csv:3: time .* not after/.test(e.message),
  );
  assert.throws(
    () => parseCandles("1722470400000,10,9,8,9.5,1\n", "y.csv"),
    /y\.csv:1: high\/low do not bound/,
  );
  assert.throws(() => parseCandles("[[1, 2]]", "z.json"), /z\.json\[0\]: expected \[ms, open/);
  assert.throws(() => parseCandles("date,price\n", "h.csv"), /h\.csv:1: header .* lacks/);
});

Deno.test("candle features: the engine's spec, technicals after warm-up, the book marked missing", async () => {
  const src = candleFeatureSource(await readCandles(HEAD), {
    venue: "binance",
    symbol: "BTC/USDT",
    spreadBps: 1,
  });
  const ds = await buildDataset(src, {
    windowLength: 8,
    labels: DEFAULT_LABELS,
    trainFraction: 0.6,
    valFraction: 0.2,
  });
  const f = ds.names.length;
  const at = (n: string) => ds.names.indexOf(n);
  const last = ds.times.length - 1;
  assert.equal(ds.features[last * f + at("binance.btc_usdt.book.missing")], 1);
  assert.equal(ds.missing[last * f + at("binance.btc_usdt.book.mid")], 1);
  assert.equal(ds.missing[last * f + at("tech.rsi_14")], 0);
  assert.equal(ds.features[last * f + at("tech.missing")], 0);
  assert.equal(ds.missing[0 * f + at("tech.rsi_14")], 1, "RSI is not stable after one candle");
  assert.equal(ds.missing[last * f + at("binance.btc_usdt.flow.rv_bps_300s")], 0);
  const mid = ((ds.bid[last] as number) + (ds.ask[last] as number)) / 2;
  assert.ok(Math.abs(((ds.ask[last] as number) / mid - 1) * 1e4 - 0.5) < 1e-6);
  assert.ok(src.present.includes("tech.rsi_14"));
});
