/**
 * Decision latency with every traded stream on: replays a `tickerml-events/1` recording
 * through the paper trader's engine with the configured streams, a model strategy on each
 * stream's own feature window (the bundled model, run on all four streams so each decision
 * boundary costs four inferences, as a model serving every stream would) and the engine's
 * decision path (strategy, sizing, portfolio caps, risk, order) on every decision.
 *
 * `deno task bench:portfolio [--data FILE] [--model DIR] [--config PATH] [--json]`
 * prints p50/p99 per decision (inference; engine path), per decision boundary (all streams'
 * inferences together), and the decisions and fills per stream.
 *
 * @module
 */

import { scriptFlags } from "../../infra/cli/script_flags.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { engineConfigFromConfig } from "../../core/trading/engine/engine_config.ts";
import { portfolioStateOf } from "../../core/trading/portfolio/portfolio_view.ts";
import { routedStrategy } from "../../core/trading/strategy/routed_strategy.ts";
import { reportStreams } from "../../core/trading/report/stream_report.ts";
import { tradedInstruments } from "../../core/traded_streams.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { readEventRecordings } from "../recording/event_recording.ts";
import { ModelStrategy } from "../../infra/inference/model_strategy.ts";

const { values } = scriptFlags("bench:portfolio", {
  options: {
    data: { type: "string", default: "testdata/portfolio/sim_4streams.events.jsonl.gz" },
    model: { type: "string", default: "models/demo/20261207T234600242Z-03585c" },
    config: { type: "string", default: "config.yaml" },
    json: { type: "boolean", default: false },
  },
});
const { config } = await loadConfig(values.config);
const instruments = tradedInstruments(config);
const intervalMs = config.trading.decision_interval_s * 1000;
const dir = await Deno.makeTempDir();
const registry = new ModelRegistry(dir);
const manifest = await registry.installFromDir(values.model);
const host = new ModelHost(registry, { threads: config.model.ort_threads, maxFraction: 1 });
await host.swapTo(manifest.version);
const models = new Map<string, ModelStrategy>();
const boundaryWall: number[] = []; // wall ms of the inferences one event started (every stream)
const perDecision: number[] = []; // that wall time / inferences started
for (const inst of instruments) {
  const stream = { venue: inst.venue, symbol: inst.symbol };
  models.set(
    `${inst.venue}:${inst.symbol}`,
    new ModelStrategy({
      host,
      spec: buildFeatureSpec(defaultFeatureConfig([stream])),
      stream,
      intervalMs,
    }),
  );
}
const inferencesSoFar = () => [...models.values()].reduce((a, m) => a + m.latencies.length, 0);
const strategy = routedStrategy(models, baselineStrategy(config.trading.strategy, { intervalMs }));
const engine = new TradingEngine(
  { ...engineConfigFromConfig(config, instruments, venueBookSync), keepDecisions: false },
  strategy,
);
const enginePath: number[] = [];
let events = 0;
for await (const e of readEventRecordings([values.data])) {
  events++;
  const done = inferencesSoFar();
  const w0 = performance.now();
  for (const [key, m] of models) {
    const [venue, symbol] = key.split(/:(.*)/s) as [string, string];
    m.observe(e, () => {
      const r = engine.runner(venue as never, symbol);
      return r ? portfolioStateOf(engine, r) : undefined;
    });
  }
  await Promise.all([...models.values()].map((m) => m.settle()));
  const k = inferencesSoFar() - done;
  if (k > 0) {
    const wall = performance.now() - w0;
    boundaryWall.push(wall);
    for (let i = 0; i < k; i++) perDecision.push(wall / k);
  }
  const before = engine.decisionLog.count;
  const t0 = performance.now();
  engine.onEvent(e);
  const n = engine.decisionLog.count - before;
  if (n > 0) {
    const each = (performance.now() - t0) / n;
    for (let i = 0; i < n; i++) enginePath.push(each);
  }
}
await Deno.remove(dir, { recursive: true });
const inference = [...models.values()].flatMap((m) => [...m.latencies]);
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length
    ? Number((s[Math.min(s.length - 1, Math.floor(p * s.length))]!).toFixed(3))
    : null;
};
const out = {
  data: values.data,
  model: manifest.version,
  precision: host.current?.precision,
  streams: instruments.map((i) => `${i.venue}:${i.symbol}`),
  events,
  inferences: inference.length,
  inference_ms: { p50: pct(inference, 0.5), p99: pct(inference, 0.99) },
  per_decision_ms: { p50: pct(perDecision, 0.5), p99: pct(perDecision, 0.99) },
  boundary_all_streams_ms: { p50: pct(boundaryWall, 0.5), p99: pct(boundaryWall, 0.99) },
  engine_decisions: enginePath.length,
  engine_decision_ms: { p50: pct(enginePath, 0.5), p99: pct(enginePath, 0.99) },
  per_stream: reportStreams(engine).map((s) => ({
    stream: `${s.venue}:${s.symbol}`,
    decisions: s.decisions,
    fills: s.fills,
    pnl_net: Number(s.pnl_net.toFixed(4)),
  })),
};
if (values.json) console.log(JSON.stringify(out));
else {
  console.log(`decision latency with ${out.streams.length} streams on (${out.streams.join(", ")})`);
  console.log(`  model ${out.model} (${out.precision}), ${events} events`);
  console.log(
    `  model per decision (wall time of a boundary's inferences / their count): p50 ${out.per_decision_ms.p50} ms, p99 ${out.per_decision_ms.p99} ms (${out.inferences} inferences)`,
  );
  console.log(
    `  one decision boundary, all streams' inferences (wall): p50 ${out.boundary_all_streams_ms.p50} ms, p99 ${out.boundary_all_streams_ms.p99} ms`,
  );
  console.log(
    `  host-reported latency (includes waiting behind the other streams): p50 ${out.inference_ms.p50} ms, p99 ${out.inference_ms.p99} ms`,
  );
  console.log(
    `  engine decision path (strategy, sizing, caps, risk, order): p50 ${out.engine_decision_ms.p50} ms, p99 ${out.engine_decision_ms.p99} ms (${out.engine_decisions} decisions)`,
  );
  for (const s of out.per_stream) {
    console.log(`  ${s.stream}: ${s.decisions} decisions, ${s.fills} fills, net ${s.pnl_net}`);
  }
}
