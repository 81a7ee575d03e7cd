import assert from "node:assert/strict";
import { snap, tinySetup, trade } from "./_testing.ts";
import { FeatureEngine } from "./engine.ts";
import { buildFeatureSpec, defaultFeatureConfig, type StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

Deno.test("FeatureEngine never lets NaN or Infinity into a vector", () => {
  const { spec, options } = tinySetup([K], { extras: ["nan", "inf", "ok"] });
  const engine = new FeatureEngine(spec, {
    ...options,
    extras: [
      { name: "nan", value: () => NaN },
      { name: "inf", value: () => -Infinity },
      { name: "ok", value: () => 1.5 },
    ],
  });
  engine.onEvent(snap(K, 0, [[100, 1]], [[101, 1]]));
  const row = engine.compute(1_000);
  assert.ok(row.values.every(Number.isFinite));
  assert.deepEqual(row.nonFinite, ["extra.nan", "extra.inf"]);
  const at = (n: string) => spec.index.get(n) as number;
  assert.equal(row.missing[at("extra.nan")], 1);
  assert.equal(row.missing[at("extra.inf")], 1);
  assert.equal(row.values[at("extra.ok")], 1.5);
  assert.equal(row.values[at("extra.missing")], 1);
});

Deno.test("FeatureEngine on degenerate books and trades keeps every value finite", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(snap(K, 0, [[0, 1]], [[1, 1]])); // bid at price 0
  engine.onEvent(trade(K, 1, 0, 0, "buy")); // zero-size, zero-price trade
  const first = engine.compute(1);
  assert.equal(first.values[spec.index.get("kraken.btc_usd.book.mid") as number], 0.5);
  assert.deepEqual(first.nonFinite, []);
  engine.onEvent(snap(K, 2, [[5, 1]], [[5, 1]])); // locked/crossed book: missing
  for (const t of [0, 1, 2, 20_000]) {
    assert.ok(engine.compute(Math.max(t, 2)).values.every(Number.isFinite));
  }
  const row = engine.compute(20_000);
  assert.equal(row.values[spec.index.get("kraken.btc_usd.book.missing") as number], 1);
});

Deno.test("FeatureEngine ignores unknown streams and bad times, clamps late events, refuses going back", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(trade({ venue: "kraken", symbol: "ETH/USD" }, 0, 1, 1, "buy"));
  engine.onEvent(trade(K, 100, 1, 1, "buy"));
  engine.onEvent(trade(K, 50, 1, 1, "buy"));
  engine.onEvent(trade(K, NaN, 1, 1, "buy"));
  assert.deepEqual(engine.counters, { events: 2, ignored: 1, outOfOrder: 1, badTime: 1 });
  assert.equal(engine.time, 100);
  assert.throws(() => engine.compute(99), RangeError);
  assert.throws(() => engine.compute(NaN), RangeError);
  assert.ok(engine.compute(200).values.every(Number.isFinite));
});

Deno.test("FeatureEngine refuses plug-ins that do not match config.extras and unknown instruments", () => {
  const { spec, options } = tinySetup([K], { extras: ["a"] });
  assert.throws(() => new FeatureEngine(spec, options), /config.extras/);
  const noInst = buildFeatureSpec(defaultFeatureConfig([{ venue: "kraken", symbol: "DOGE/EUR" }]));
  assert.throws(() => new FeatureEngine(noInst), /no instrument/);
});
