import { parseFlags } from "../../infra/cli/flags.ts";
import { DecisionClock } from "../../core/features/clock.ts";
import type { FeatureRow } from "../../core/features/engine.ts";
import { FeatureEngine } from "../../core/features/engine.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { BUNDLED_MODEL, BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE =
  "usage: deno task infer --test [--model DIR | --registry DIR] [--precision fp32|int8] " +
  "[--venue binance|binance_us] [--position F] [--json] [RECORDING...]";

/**
 * `infer --test` (the seed's `infer.py --test`): loads a model (the registry's CURRENT, a
 * package directory, or the bundled demo model), replays recorded data through the feature
 * engine and decision clock, runs a decision on every ready window, and prints the last
 * decision's outputs and the latency distribution. An RL policy (manifest
 * `policy.position_input`) is fed the position fraction `--position` (default 0, flat);
 * other models ignore it.
 *
 * @returns Exit code (0 ok, 1 no decision could be made, 2 bad usage or a refused model).
 */
export async function inferCommand(args: string[], out: Output): Promise<number> {
  const parsed = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      test: { type: "boolean", default: false },
      model: { type: "string" },
      registry: { type: "string" },
      precision: { type: "string" },
      venue: { type: "string", default: "binance_us" },
      interval: { type: "string", default: "500" },
      position: { type: "string", default: "0" },
      json: { type: "boolean", default: false },
    },
  });
  const { values, positionals } = parsed;
  if (!values.test) {
    throw new UsageError(`only --test is supported (live decisions run in the trader)\n${USAGE}`);
  }
  const venue = values.venue;
  if (venue !== "binance" && venue !== "binance_us") {
    throw new UsageError(`--venue must be binance or binance_us`);
  }
  const precision = values.precision;
  if (precision !== undefined && precision !== "fp32" && precision !== "int8") {
    throw new UsageError(`--precision must be fp32 or int8`);
  }
  const positionFraction = Number(values.position);
  if (!Number.isFinite(positionFraction) || positionFraction < 0 || positionFraction > 1) {
    throw new UsageError(`--position must be a fraction in 0..1: ${values.position}`);
  }
  const spec = buildFeatureSpec(defaultFeatureConfig([{ venue, symbol: "BTC/USDT" }]));
  const registry = new ModelRegistry(
    values.registry ?? await Deno.makeTempDir({ prefix: "tickerml-infer-" }),
    { featureHash: spec.hash },
  );
  let version = values.registry ? await registry.currentVersion() : undefined;
  if (!version) version = (await registry.installFromDir(values.model ?? BUNDLED_MODEL)).version;
  const host = new ModelHost(registry, { ...(precision ? { precision } : {}) });
  const model = await host.swapTo(version);
  if (model.precision === "int8" && model.int8.status === "legacy") {
    out.stderr(`infer: warning: ${model.int8.note}`);
  }
  const windows: FeatureRow[][] = [];
  const clock = new DecisionClock(new FeatureEngine(spec), {
    intervalMs: Number(values.interval),
    window: model.manifest.shape.window,
    onDecision: (d) => {
      if (d.ready) windows.push([...d.rows]);
    },
  });
  const files = positionals.length > 0 ? positionals : [...BUNDLED_RECORDING];
  await replayBinanceRecording(files, { venue, sink: { onEvent: (e) => clock.onEvent(e) } });
  if (windows.length === 0) {
    out.stderr("infer: the recording produced no complete window");
    return 1;
  }
  const latencies: number[] = [];
  const counts: Record<string, number> = { hold: 0, buy: 0, sell: 0 };
  let last;
  for (const w of windows) {
    last = await host.decide(w, { positionFraction });
    latencies.push(last.latencyMs);
    counts[last.decision.action] = (counts[last.decision.action] ?? 0) + 1;
  }
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] as number;
  const report = {
    model_version: model.manifest.version,
    precision: model.precision,
    int8_scheme: model.int8,
    policy: model.manifest.policy,
    ...(last?.positionFraction !== undefined ? { position_fraction: last.positionFraction } : {}),
    feature_spec: spec.hash,
    decisions: windows.length,
    actions: counts,
    last_decision: last?.decision,
    latency_ms: { p50: pct(0.5), p99: pct(0.99), max: latencies.at(-1) },
  };
  if (values.json) out.stdout(JSON.stringify(report));
  else {
    out.stdout(
      [
        `model ${report.model_version} (${report.precision}, ${
          policyLabel(report.policy)
        }), ${report.decisions} decisions on ${files.length} file(s)`,
        `  ${model.int8.note}`,
        `  actions: hold ${counts.hold}, buy ${counts.buy}, sell ${counts.sell}`,
        `  last: ${JSON.stringify(report.last_decision)}`,
        `  latency (normalize + ONNX Runtime Web + decode): p50 ${
          report.latency_ms.p50.toFixed(2)
        } ms, p99 ${report.latency_ms.p99.toFixed(2)} ms`,
      ].join("\n"),
    );
  }
  return 0;
}

function policyLabel(p: ModelManifest["policy"]): string {
  if (p.kind !== "rl") return "pretrained";
  return `RL ${[p.algo, p.network].filter(Boolean).join(" ")} policy, position input`;
}
