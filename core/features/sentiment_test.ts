import assert from "node:assert/strict";
import { snap, tinySetup, unitInstrument } from "./_testing.ts";
import { FeatureEngine } from "./engine.ts";
import { type HourlySentiment, latestCompleteHour } from "./sentiment.ts";
import type { StreamRef } from "./spec.ts";

const H = 3_600_000;
const AGGS: HourlySentiment[] = [
  { symbol: "BTC", hourStart: 10 * H, score: 0.4, count: 12 },
  { symbol: "ETH", hourStart: 11 * H, score: -0.9, count: 3 },
  { symbol: "BTC", hourStart: 9 * H, score: -0.1, count: 5 },
  { symbol: "BTC", hourStart: 11 * H, score: 0.8, count: 50 },
];

Deno.test("latestCompleteHour() never returns the current, unfinished hour", () => {
  const sorted = [...AGGS].sort((a, b) => a.hourStart - b.hourStart);
  assert.equal(latestCompleteHour(sorted, "BTC", 10 * H), sorted[0]);
  assert.equal(
    latestCompleteHour(sorted, "BTC", 11 * H - 1)?.score,
    -0.1,
    "10:00 hour not complete",
  );
  assert.equal(latestCompleteHour(sorted, "BTC", 11 * H)?.score, 0.4);
  assert.equal(
    latestCompleteHour(sorted, "BTC", 12 * H - 1)?.score,
    0.4,
    "11:00 hour not complete",
  );
  assert.equal(latestCompleteHour(sorted, "BTC", 12 * H)?.score, 0.8);
  assert.equal(latestCompleteHour(sorted, "ETH", 12 * H)?.score, -0.9);
  assert.equal(latestCompleteHour(sorted, "BTC", 10 * H - 1), undefined);
});

Deno.test("SentimentFeatures writes score, log count and age, and is missing when too old", () => {
  const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };
  const { spec } = tinySetup([K], { sentimentMaxAgeHours: 2 });
  const engine = new FeatureEngine(spec, {
    instrument: (r) => unitInstrument(r.venue, r.symbol),
    sentiment: AGGS,
  });
  engine.onEvent(snap(K, 11.5 * H, [[100, 1]], [[101, 1]]));
  const v = (t: number) => {
    const row = engine.compute(t);
    return ["score", "count_log1p", "age_hours", "missing"].map((n) => {
      const i = spec.index.get(`sentiment.${n}`) as number;
      return row.missing[i] === 1 ? null : row.values[i];
    });
  };
  assert.deepEqual(v(11.75 * H), [0.4, Math.log1p(12), 0.75, 0]);
  assert.deepEqual(v(12 * H), [0.8, Math.log1p(50), 0, 0]);
  assert.deepEqual(v(14 * H), [0.8, Math.log1p(50), 2, 0]);
  assert.deepEqual(v(14 * H + 1), [null, null, null, 1]);
});
