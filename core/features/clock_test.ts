import assert from "node:assert/strict";
import { snap, tinySetup, trade } from "./_testing.ts";
import { type Decision, DecisionClock, windowTensor } from "./clock.ts";
import { type ExtraFeature, FeatureEngine } from "./engine.ts";
import type { StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

/** A plug-in counting the events it has seen: shows exactly which events a vector includes. */
function counting(): ExtraFeature {
  let n = 0;
  return { name: "events_seen", onEvent: () => void n++, value: () => n };
}

function setup(options: { intervalMs?: number; everyEvents?: number; window?: number }) {
  const { spec, options: eo } = tinySetup([K], { extras: ["events_seen"] });
  const engine = new FeatureEngine(spec, { ...eo, extras: [counting()] });
  const decisions: Decision[] = [];
  const clock = new DecisionClock(engine, { ...options, onDecision: (d) => decisions.push(d) });
  const seen = (d: Decision) =>
    d.rows.at(-1)?.values[spec.index.get("extra.events_seen") as number];
  return { spec, clock, decisions, seen };
}

Deno.test("DecisionClock boundary b includes events stamped <= b and none after", () => {
  const { clock, decisions, seen } = setup({ intervalMs: 1000 });
  for (const t of [500, 999, 1000, 1000.5, 2500]) clock.onEvent(trade(K, t, 100, 1, "buy"));
  assert.deepEqual(decisions.map((d) => [d.time, seen(d)]), [[1000, 3], [2000, 4]]);
  clock.flushThrough(3000);
  assert.deepEqual(decisions.map((d) => d.time), [1000, 2000, 3000]);
  clock.onEvent(trade(K, NaN, 100, 1, "buy")); // a bad time neither emits nor breaks the clock
  clock.advanceTo(NaN);
  clock.onEvent(trade(K, 4100, 100, 1, "buy"));
  assert.deepEqual(decisions.map((d) => [d.time, seen(d)]).at(-1), [4000, 5]);
});

Deno.test("DecisionClock live timer emits only boundaries strictly before now", () => {
  const { clock, decisions, seen } = setup({ intervalMs: 1000 });
  clock.onEvent(trade(K, 100, 100, 1, "buy"));
  clock.advanceTo(1000); // an event stamped 1000 may still arrive
  assert.equal(decisions.length, 0);
  clock.onEvent(trade(K, 1000, 100, 1, "buy"));
  clock.advanceTo(1000.001);
  assert.deepEqual(decisions.map((d) => [d.time, seen(d)]), [[1000, 2]]);
  clock.advanceTo(4200); // quiet period: one vector per boundary
  assert.deepEqual(decisions.map((d) => d.time), [1000, 2000, 3000, 4000]);
});

Deno.test("DecisionClock keeps a window of the last T vectors, oldest first", () => {
  const { spec, clock, decisions } = setup({ intervalMs: 1000, window: 3 });
  clock.onEvent(snap(K, 0, [[100, 1]], [[101, 1]]));
  clock.advanceTo(4500);
  assert.deepEqual(decisions.map((d) => [d.rows.length, d.ready]), [[1, false], [2, false], [
    3,
    true,
  ], [3, true]]);
  assert.deepEqual(decisions[3]?.rows.map((r) => r.time), [2000, 3000, 4000]);
  const f = spec.features.length;
  const x = windowTensor(decisions[0] as Decision, 3, f);
  assert.equal(x.length, 3 * f);
  assert.ok(x.subarray(0, 2 * f).every((v) => v === 0), "missing rows at the front are zeros");
  assert.equal(x[2 * f + (spec.index.get("kraken.btc_usd.book.mid") as number)], 100.5);
});

Deno.test("DecisionClock every N events takes a vector after each N-th event", () => {
  const { clock, decisions, seen } = setup({ everyEvents: 2 });
  for (const t of [10, 20, 30, 40, 50]) clock.onEvent(trade(K, t, 100, 1, "sell"));
  assert.deepEqual(decisions.map((d) => [d.time, seen(d)]), [[20, 2], [40, 4]]);
});

Deno.test("DecisionClock rejects a bad configuration", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  const onDecision = () => {};
  assert.throws(() => new DecisionClock(engine, { onDecision }), RangeError);
  assert.throws(
    () => new DecisionClock(engine, { intervalMs: 1000, everyEvents: 5, onDecision }),
    RangeError,
  );
  assert.throws(
    () => new DecisionClock(engine, { intervalMs: 1000, window: 0, onDecision }),
    RangeError,
  );
});
