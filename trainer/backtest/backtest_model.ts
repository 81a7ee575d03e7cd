/**
 * The backtester's `--model DIR`: each exported package is opened through the shared
 * inference layer (infra/inference: the same normalization, ONNX Runtime graph run and
 * decision decoding as the edge), every traded stream is routed to the first package that
 * serves it with that stream's feature spec (core/model/served_streams.ts), the others to
 * the `--strategy` baseline, with one line per stream saying which.
 *
 * @module
 */

import type { Instrument } from "../../core/market/instrument.ts";
import { describeRoutes, routeStreams, streamSpecHash } from "../../core/model/served_streams.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { PackageDecider } from "../../infra/inference/package_decider.ts";
import { type RoutedModels, routedModels } from "../../infra/inference/routed_models.ts";

/** The routed model strategy of a backtest, with what it needs afterwards. */
export interface BacktestModel extends RoutedModels {
  /** One line per stream ("binance_us BTC/USDT: model v1"). */
  readonly lines: string[];
  /** Frees the ORT sessions. */
  readonly release: () => Promise<void>;
  /** Predicted actions per stream ("venue:symbol" -> buy/sell/hold counts). */
  readonly actions: ReadonlyMap<string, Record<"buy" | "sell" | "hold", number>>;
}

/** Thrown when the packages decide none of the traded streams. */
export class NoServedStreamError extends Error {
  /** @param detail The routing lines. */
  constructor(detail: string[]) {
    super(`the model packages serve none of the traded streams: ${detail.join("; ")}`);
    this.name = "NoServedStreamError";
  }
}

/**
 * Opens the packages and routes the instruments.
 *
 * @param dirs Package directories (first = preferred when two serve a stream).
 * @param instruments Traded instruments.
 * @param baseline Strategy of the streams no package serves.
 * @param intervalMs Decision interval, ms.
 * @param precision Which ONNX file (default: each manifest's default precision).
 * @throws {NoServedStreamError} When no stream is decided by a model.
 */
export async function openBacktestModel(
  dirs: readonly string[],
  instruments: readonly Instrument[],
  baseline: Strategy,
  intervalMs: number,
  precision?: "fp32" | "int8",
): Promise<BacktestModel> {
  const deciders: PackageDecider[] = [];
  try {
    for (const d of dirs) {
      deciders.push(await PackageDecider.open(d, precision ? { precision } : {}));
    }
    const manifests = deciders.map((d) => d.current.manifest);
    const routes = routeStreams(instruments, manifests, streamSpecHash, baseline.name);
    const lines = describeRoutes(routes);
    if (!routes.some((r) => r.decider === "model")) throw new NoServedStreamError(lines);
    const byVersion = new Map(deciders.map((d) => [d.current.manifest.version, d]));
    const actions = new Map<string, Record<"buy" | "sell" | "hold", number>>();
    const routed = routedModels(routes, (v) => byVersion.get(v), baseline, intervalMs, (p) => {
      const key = `${p.venue}:${p.symbol}`;
      const counts = actions.get(key) ?? { buy: 0, sell: 0, hold: 0 };
      counts[p.result.decision.action]++;
      actions.set(key, counts);
    });
    return {
      ...routed,
      actions,
      lines,
      release: async () => {
        await Promise.all(deciders.map((d) => d.release().catch(() => {})));
      },
    };
  } catch (e) {
    await Promise.all(deciders.map((d) => d.release().catch(() => {})));
    throw e;
  }
}

/** Model figures of a backtest: predictions and decision latency per stream. */
export interface ModelFigures {
  /** Routing lines. */
  readonly routes: string[];
  /** Per model-decided stream: predictions made, failures, latency p50/p99 ms. */
  readonly streams: Record<
    string,
    {
      predictions: number;
      actions: Record<"buy" | "sell" | "hold", number>;
      failures: number;
      latency_p50_ms: number;
      latency_p99_ms: number;
    }
  >;
}

/** Collects {@linkcode ModelFigures} after the replay. */
export function modelFigures(m: BacktestModel): ModelFigures {
  const q = (xs: number[], p: number) => {
    if (xs.length === 0) return 0;
    const s = [...xs].sort((a, b) => a - b);
    return s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  };
  const streams: ModelFigures["streams"] = {};
  for (const [key, s] of m.models) {
    const lat = [...s.latencies];
    streams[key] = {
      predictions: lat.length,
      actions: m.actions.get(key) ?? { buy: 0, sell: 0, hold: 0 },
      failures: s.failures,
      latency_p50_ms: q(lat, 0.5),
      latency_p99_ms: q(lat, 0.99),
    };
  }
  return { routes: m.lines, streams };
}
