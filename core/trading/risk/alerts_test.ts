import assert from "node:assert/strict";
import { PerformanceMonitor } from "./alerts.ts";

Deno.test("PerformanceMonitor alerts once when the hit rate falls, re-arms on recovery", () => {
  const m = new PerformanceMonitor({ window: 4, minHitRate: 0.5, confidenceWindow: 3 });
  for (const r of [0.01, 0.01, -0.01, -0.01]) m.onRoundTrip(r, 1);
  assert.equal(m.pending.length, 0);
  m.onRoundTrip(-0.01, 2); // 1 of 4 wins
  m.onRoundTrip(-0.01, 3);
  assert.deepEqual(m.pending.map((a) => [a.kind, a.time]), [["hit_rate", 2]]);
  for (const r of [0.01, 0.01, 0.01]) m.onRoundTrip(r, 4);
  m.onRoundTrip(-0.01, 5);
  m.onRoundTrip(-0.01, 6);
  m.onRoundTrip(-0.01, 7);
  assert.equal(m.pending.length, 2);
});

Deno.test("PerformanceMonitor alerts on trip Sharpe and confidence collapse", () => {
  const m = new PerformanceMonitor({
    window: 3,
    minTripSharpe: 0,
    confidenceWindow: 3,
    minConfidence: 0.5,
  });
  for (const r of [-0.02, -0.01, -0.03]) m.onRoundTrip(r, 1);
  assert.equal(m.pending[0]?.kind, "trip_sharpe");
  for (const c of [0.9, 0.2, 0.1]) m.onConfidence(c, 2);
  assert.equal(m.pending[1]?.kind, "confidence");
  assert.match(m.pending[1]?.message ?? "", /confidence 0\.400 fell below 0\.5/);
});
