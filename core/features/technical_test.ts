import assert from "node:assert/strict";
import { ATR, EMA, MACD, PercentB, RSI } from "trading-signals";
import { near, snap, tinySetup, trade } from "./_testing.ts";
import { FeatureEngine, type FeatureRow } from "./engine.ts";
import type { StreamRef, TechnicalConfig } from "./spec.ts";
import { technicalFeatureNames } from "./spec.ts";

interface Candle {
  t: number;
  open: number;
  high: number;
  low: number;
  close: number;
}

// 120 real one-minute BTC-PERP bars (testdata/SOURCES.md).
const CANDLES: Candle[] = Deno.readTextFileSync(
  new URL("../../testdata/candles/btc_perp_1m_head120.csv", import.meta.url),
).trim().split("\n").slice(1).map((line) => {
  const [ts, o, h, l, c] = line.split(",");
  return {
    t: Date.parse(`${(ts as string).replace(" ", "T")}Z`),
    open: Number(o),
    high: Number(h),
    low: Number(l),
    close: Number(c),
  };
});

const TECH: TechnicalConfig = {
  rsi: 14,
  macd: [12, 26, 9],
  bollinger: [20, 2],
  atr: 14,
  emaRatios: [[5, 20]],
};
const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

/** The same indicators fed directly with the candles. */
function direct(candles: readonly Candle[]): (number | null)[] {
  const rsi = new RSI(14);
  const macd = new MACD(new EMA(12), new EMA(26), new EMA(9));
  const pb = new PercentB({ interval: 20, deviationMultiplier: 2 });
  const atr = new ATR(14);
  const e5 = new EMA(5);
  const e20 = new EMA(20);
  for (const c of candles) {
    rsi.add(c.close);
    macd.add(c.close);
    pb.add(c.close);
    atr.add({ high: c.high, low: c.low, close: c.close });
    e5.add(c.close);
    e20.add(c.close);
  }
  const close = (candles.at(-1) as Candle).close;
  const m = macd.isStable ? macd.getResult() : null;
  const atrV = atr.getResult();
  return [
    rsi.getResult(),
    m ? m.macd / close * 1e4 : null,
    m && macd.signal.isStable ? m.signal / close * 1e4 : null,
    m && macd.signal.isStable ? m.histogram / close * 1e4 : null,
    pb.getResult(),
    atrV === null ? null : atrV / close * 1e4,
    e5.isStable && e20.isStable ? e5.getResultOrThrow() / e20.getResultOrThrow() - 1 : null,
  ];
}

/** Engine fed with 4 trades a minute reproducing each candle's open, high, low and close. */
function engineRows(startAtBarOpen: boolean): Map<number, FeatureRow> {
  const { spec, options } = tinySetup([K], { technical: TECH });
  const engine = new FeatureEngine(spec, options);
  const first = (CANDLES[0] as Candle).t;
  const last = CANDLES.at(-1) as Candle;
  if (startAtBarOpen) engine.onEvent(snap(K, first, [[1, 1]], [[1_000_000, 1]]));
  const rows = new Map<number, FeatureRow>();
  // A bar closes when the first trade of the next minute arrives: the row for candle k is
  // taken right after the open trade of candle k + 1 (the trade that closes bar k).
  let previous: Candle | undefined;
  for (const c of [...CANDLES, { t: last.t + 60_000, open: 1, high: 1, low: 1, close: 1 }]) {
    engine.onEvent(trade(K, c.t + 1_000, c.open, 1, "buy"));
    if (previous) rows.set(previous.t, engine.compute(c.t + 1_000));
    engine.onEvent(trade(K, c.t + 15_000, c.high, 1, "buy"));
    engine.onEvent(trade(K, c.t + 30_000, c.low, 1, "sell"));
    engine.onEvent(trade(K, c.t + 59_000, c.close, 1, "sell"));
    previous = c;
  }
  return rows;
}

Deno.test("TechnicalFeatures on bars built from trades equal trading-signals fed the candles directly", () => {
  const { spec } = tinySetup([K], { technical: TECH });
  const names = technicalFeatureNames(TECH).map((n) => spec.index.get(`tech.${n}`) as number);
  const rows = engineRows(true);
  let compared = 0;
  CANDLES.forEach((c, k) => {
    const row = rows.get(c.t) as FeatureRow;
    const want = direct(CANDLES.slice(0, k + 1));
    names.forEach((slot, i) => {
      const w = want[i] ?? null;
      if (w === null) assert.equal(row.missing[slot], 1, `bar ${k} feature ${i} should be missing`);
      else {
        assert.equal(row.missing[slot], 0, `bar ${k} feature ${i} should be present`);
        near(row.values[slot] as number, w, `bar ${k} feature ${i}`);
        compared++;
      }
    });
  });
  assert.ok(compared > 500, `compared ${compared} values`);
  const signal = spec.index.get("tech.macd_signal_bps") as number;
  const macdLine = spec.index.get("tech.macd_bps") as number;
  const at = (k: number) => rows.get((CANDLES[k] as Candle).t) as FeatureRow;
  assert.deepEqual(
    [at(24).missing[macdLine], at(25).missing[macdLine]],
    [1, 0],
    "MACD line from bar 26",
  );
  assert.deepEqual([at(32).missing[signal], at(33).missing[signal]], [1, 0], "signal from bar 34");
  // Everything is stable by the last bar.
  const last = rows.get((CANDLES.at(-1) as Candle).t) as FeatureRow;
  assert.equal(last.values[spec.index.get("tech.missing") as number], 0);
});

Deno.test("TechnicalFeatures skips the partial first bar", () => {
  const rows = engineRows(false); // first event 1 s into the first minute
  const { spec } = tinySetup([K], { technical: TECH });
  const rsi = spec.index.get("tech.rsi_14") as number;
  const c = CANDLES[40] as Candle;
  const want = direct(CANDLES.slice(1, 41))[0] as number;
  near((rows.get(c.t) as FeatureRow).values[rsi] as number, want, "rsi without the first bar");
});
