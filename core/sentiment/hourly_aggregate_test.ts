import assert from "node:assert/strict";
import {
  aggregateHour,
  aggregateHourly,
  ALL_SYMBOLS,
  hourStart,
  regimeLabel,
  type ScoredPoint,
} from "./hourly_aggregate.ts";

const H = Date.UTC(2024, 7, 8, 23);
const p = (min: number, symbols: string[], score: number, confidence: number, scorer = "x") => ({
  publishedAt: H + min * 60_000,
  symbols,
  score,
  confidence,
  scorer,
});

Deno.test("aggregateHour() matches a hand computation", () => {
  // scores 0.6, -0.2, 0.5 with confidences 0.9, 0.3, 0.6
  // mean = 0.9 / 3 = 0.3
  // weighted = (0.54 - 0.06 + 0.30) / 1.8 = 0.78 / 1.8 = 0.4333...
  // deviations 0.3, -0.5, 0.2 -> squares 0.09, 0.25, 0.04 -> var 0.38 / 3 -> sd 0.35590...
  const row = aggregateHour("BTC", H, [
    p(1, ["BTC"], 0.6, 0.9, "ollama:qwen3"),
    p(2, ["BTC"], -0.2, 0.3, "lexicon:v1"),
    p(3, ["BTC"], 0.5, 0.6, "ollama:qwen3"),
  ]);
  assert.equal(row.count, 3);
  assert.ok(Math.abs(row.mean - 0.3) < 1e-12);
  assert.ok(Math.abs(row.weightedMean - 0.78 / 1.8) < 1e-12);
  assert.ok(Math.abs(row.dispersion - Math.sqrt(0.38 / 3)) < 1e-12);
  assert.equal(row.regime, "bullish");
  assert.deepEqual(row.scorers, { "ollama:qwen3": 2, "lexicon:v1": 1 });
});

Deno.test("aggregateHour() uses the plain mean when every confidence is zero", () => {
  const row = aggregateHour("ETH", H, [p(0, [], -0.4, 0, "l"), p(5, [], -0.2, 0, "l")]);
  assert.ok(Math.abs(row.weightedMean - -0.3) < 1e-12);
  assert.equal(row.regime, "bearish");
  assert.throws(() => aggregateHour("ETH", H, []), RangeError);
});

Deno.test("regimeLabel() separates trend, disagreement and calm", () => {
  assert.equal(regimeLabel({ count: 5, weightedMean: -0.2, dispersion: 0.9 }), "bearish");
  assert.equal(regimeLabel({ count: 4, weightedMean: 0.1, dispersion: 0.6 }), "mixed");
  assert.equal(regimeLabel({ count: 1, weightedMean: 0.1, dispersion: 0.6 }), "neutral");
  assert.equal(regimeLabel({ count: 4, weightedMean: 0.05, dispersion: 0.1 }), "neutral");
  assert.equal(
    regimeLabel({ count: 4, weightedMean: 0.25, dispersion: 0 }, { trend: 0.3, disagreement: 1 }),
    "neutral",
  );
});

Deno.test("aggregateHourly() groups by UTC hour and symbol, with ALL for every article", () => {
  const points: ScoredPoint[] = [
    p(10, ["BTC"], 0.5, 1),
    p(20, ["BTC", "ETH"], -0.5, 1),
    p(30, [], 0.2, 1),
    p(70, ["ETH"], 0.8, 0.5), // next hour
  ];
  const rows = aggregateHourly(points);
  assert.deepEqual(
    rows.map((r) => [r.hourStart - H, r.symbol, r.count]),
    [[0, ALL_SYMBOLS, 3], [0, "BTC", 2], [0, "ETH", 1], [3_600_000, ALL_SYMBOLS, 1], [
      3_600_000,
      "ETH",
      1,
    ]],
  );
  const btc = rows[1]!;
  assert.equal(btc.mean, 0);
  assert.equal(btc.dispersion, 0.5);
  assert.equal(btc.regime, "mixed");
  assert.equal(hourStart(H + 3_599_999), H);
  assert.deepEqual(aggregateHourly(points), rows, "deterministic");
});
