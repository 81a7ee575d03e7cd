// Feature-engine throughput on the bundled 11-minute BTCUSDT recording.
// Run: deno bench -A edge/features/features_bench.ts
// (Lives in edge/ because reading the recording needs the edge parser; the code measured is core/.)
import { DecisionClock } from "../../core/features/clock.ts";
import { buildFeatureDataset } from "../../core/features/dataset.ts";
import { FeatureEngine } from "../../core/features/engine.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { BTCUSDT_RECORDING, loadRecordedEvents } from "./recorded_events.ts";

const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
const SPEC = buildFeatureSpec(defaultFeatureConfig([{ venue: "binance", symbol: "BTC/USDT" }]));

Deno.bench({
  name: "whole recording (26,400 events), every event applied, 1 vector/s (651 vectors)",
  group: "features",
  baseline: true,
  fn: () => {
    const ds = buildFeatureDataset(SPEC, events, { intervalMs: 1000 });
    if (ds.times.length !== 651) throw new Error(`expected 651 rows, got ${ds.times.length}`);
  },
});

Deno.bench({
  name: "whole recording, window of T=100 vectors at each 1 s decision",
  group: "features",
  fn: () => {
    let n = 0;
    const clock = new DecisionClock(new FeatureEngine(SPEC), {
      intervalMs: 1000,
      window: 100,
      onDecision: (d) => void (n += d.rows.length),
    });
    for (const e of events) clock.onEvent(e);
    if (n === 0) throw new Error("no decisions");
  },
});

Deno.bench({
  name: "whole recording, a vector after every 10 events (2,640 vectors)",
  group: "features",
  fn: () => {
    let n = 0;
    const clock = new DecisionClock(new FeatureEngine(SPEC), {
      everyEvents: 10,
      onDecision: () => void n++,
    });
    for (const e of events) clock.onEvent(e);
    if (n !== 2_640) throw new Error(`expected 2,640 vectors, got ${n}`);
  },
});
