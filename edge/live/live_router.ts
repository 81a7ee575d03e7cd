/**
 * The live edge's strategy over every traded stream: the model the live ModelService hosts
 * decides the streams it serves ({@linkcode routedModelStrategy} on that same host, one log
 * line per stream), the configured baseline the others. On a hot swap (publish, `incoming/`,
 * `reload_model`) the routes are read again; when the new model serves other streams the
 * per-stream model strategies are rebuilt (a stream that stays served keeps its feature
 * window). The strategy's name stays "model" for the whole run, so a restart continues it.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";
import { routeStreams, type StreamRoute } from "../../core/model/served_streams.ts";
import type { TradingEngine } from "../../core/trading/engine/engine.ts";
import type { Decision, Strategy, StrategyContext } from "../../core/trading/strategy/strategy.ts";
import type { ModelHost } from "../inference/model_host.ts";
import { edgeSpecHash, installedStreamRoutes } from "../inference/stream_routes.ts";
import type { ModelStrategy, PredictionRecord } from "../../infra/inference/model_strategy.ts";
import { type RoutedModel, routedModelStrategy } from "../trader/routed_model.ts";

/** Options of {@linkcode LiveRouter.open}. */
export interface LiveRouterOptions {
  /** The live ModelService's host (its current model decides). */
  readonly host: ModelHost;
  /** Registry directory (config `model.registry_dir`). */
  readonly registryDir: string;
  /** Traded streams. */
  readonly streams: readonly { venue: string; symbol: string }[];
  /** Strategy of the streams no model serves. */
  readonly baseline: Strategy;
  /** Decision interval, ms. */
  readonly intervalMs: number;
  /** Receives each prediction (with its stream). */
  readonly onPrediction: (p: PredictionRecord) => void;
  /** Routing lines. */
  readonly log: (line: string) => void;
}

/** See the module documentation. */
export class LiveRouter {
  /** The strategy the paper trader runs (delegates to the current routes). */
  readonly strategy: Strategy;
  readonly #o: LiveRouterOptions;
  #routed: RoutedModel;
  readonly #all: ModelStrategy[] = [];

  private constructor(o: LiveRouterOptions, routed: RoutedModel) {
    this.#o = o;
    this.#routed = routed;
    this.#all.push(...routed.models.values());
    this.strategy = {
      name: "model",
      intervalMs: o.intervalMs,
      decide: (ctx: StrategyContext): Decision => this.#routed.strategy.decide(ctx),
    };
  }

  /** Routes the streams to the host's current model or the baseline (logs one line each). */
  static async open(o: LiveRouterOptions): Promise<LiveRouter> {
    return new LiveRouter(o, await LiveRouter.#build(o));
  }

  static #build(o: LiveRouterOptions): Promise<RoutedModel> {
    return routedModelStrategy({
      host: o.host,
      registryDir: o.registryDir,
      streams: o.streams,
      baseline: o.baseline,
      intervalMs: o.intervalMs,
      onPrediction: o.onPrediction,
      log: o.log,
    });
  }

  /** Who decides each stream now. */
  get routes(): readonly StreamRoute[] {
    return this.#routed.routes;
  }

  /** Decision latencies of every model strategy of the run (rebuilt ones included), ms. */
  get latencies(): number[] {
    return this.#all.flatMap((m) => [...m.latencies]);
  }

  /** Paper-trader hook: feeds the models the event and waits for their inferences. */
  beforeEvent(e: MarketEvent, engine: TradingEngine): Promise<void> {
    return this.#routed.beforeEvent(e, engine);
  }

  /** Waits for pending inferences of the current models. */
  async settle(): Promise<void> {
    await Promise.all([...this.#routed.models.values()].map((m) => m.settle()));
  }

  /**
   * After a hot swap: reads the routes of the registry's current model; rebuilds the model
   * strategies when the served streams changed (logs the new routes), else keeps them.
   *
   * @returns Whether the routes changed.
   */
  async reroute(): Promise<boolean> {
    const o = this.#o;
    const key = (rs: readonly StreamRoute[]) =>
      rs.map((r) => `${r.venue}:${r.symbol}:${r.decider}`).join(",");
    const next = await installedStreamRoutes(o.registryDir, o.streams, o.baseline.name);
    if (key(next) === key(this.#routed.routes)) return false;
    await this.settle();
    const routed = await LiveRouter.#build(o);
    this.#all.push(...routed.models.values());
    this.#routed = routed;
    return true;
  }
}

/**
 * The live edge's refusal of a package that decides none of the traded streams (it would only
 * route every stream to the baseline): the reason, or undefined when it serves one.
 *
 * @param streams Traded streams.
 */
export function refuseUnserved(
  streams: readonly { venue: string; symbol: string }[],
): (m: ModelManifest) => string | undefined {
  return (m) =>
    routeStreams(streams, [m], edgeSpecHash, "baseline").some((r) => r.decider === "model")
      ? undefined
      : `it serves none of the traded streams (${
        streams.map((s) => `${s.venue} ${s.symbol}`).join(", ")
      }) with this edge's feature spec`;
}
