/**
 * A model package deciding the streams it serves, the configured baseline the others:
 * installs the package in a registry, routes every traded stream
 * ({@linkcode installedStreamRoutes}, one visible log line per stream), builds one
 * {@linkcode ModelStrategy} per served stream (its own feature engine and window on that
 * stream's spec) and a {@linkcode routedStrategy} over them, plus the hook the paper trader
 * calls before each event (feed every model, wait for its inference: deterministic replays).
 *
 * @module
 */

import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import type { StreamRoute } from "../../core/model/served_streams.ts";
import type { TradingEngine } from "../../core/trading/engine/engine.ts";
import { portfolioStateOf } from "../../core/trading/portfolio/portfolio_view.ts";
import { routedStrategy } from "../../core/trading/strategy/routed_strategy.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { installedStreamRoutes } from "../inference/stream_routes.ts";
import { ModelStrategy, type PredictionRecord } from "./model_strategy.ts";

/** Options of {@linkcode routedModelStrategy}. */
export interface RoutedModelOptions {
  /** Model package directory to install and make current; without it, the registry's current model. */
  readonly modelDir?: string;
  /**
   * A host that already manages the registry (the live edge's ModelService): its current model
   * decides, nothing is installed and no second host is created (`modelDir` is ignored).
   */
  readonly host?: ModelHost;
  /** Registry directory (config `model.registry_dir`). */
  readonly registryDir: string;
  /** Traded streams. */
  readonly streams: readonly { venue: string; symbol: string }[];
  /** Strategy of the streams no model serves. */
  readonly baseline: Strategy;
  /** Decision interval, ms. */
  readonly intervalMs: number;
  /** ORT threads. */
  readonly threads?: number;
  /** Receives each prediction. */
  readonly onPrediction?: (p: PredictionRecord) => void | Promise<void>;
  /** Receives the routing lines. */
  readonly log?: (line: string) => void;
}

/** What {@linkcode routedModelStrategy} builds. */
export interface RoutedModel {
  /** The strategy of every stream. */
  readonly strategy: Strategy;
  /** Who decides each stream. */
  readonly routes: StreamRoute[];
  /** One model strategy per served stream ("venue:symbol"). */
  readonly models: ReadonlyMap<string, ModelStrategy>;
  /** Paper-trader hook: feeds every model the event, then waits for their inferences. */
  readonly beforeEvent: (e: MarketEvent, engine: TradingEngine) => Promise<void>;
}

/** Builds the routed model strategy (see the module documentation). */
export async function routedModelStrategy(o: RoutedModelOptions): Promise<RoutedModel> {
  const registry = new ModelRegistry(o.registryDir);
  if (o.modelDir !== undefined && o.host === undefined) {
    await registry.activate((await registry.installFromDir(o.modelDir)).version);
  }
  const routes = await installedStreamRoutes(o.registryDir, o.streams, o.baseline.name, o.log);
  const host = o.host ?? new ModelHost(registry, { threads: o.threads ?? 1, maxFraction: 1 });
  if (routes.some((r) => r.decider === "model") && !host.current) await host.loadCurrent();
  const models = new Map<string, ModelStrategy>();
  for (const r of routes) {
    if (r.decider !== "model") continue;
    const stream = { venue: r.venue as VenueId, symbol: r.symbol };
    models.set(
      `${r.venue}:${r.symbol}`,
      new ModelStrategy({
        host,
        spec: buildFeatureSpec(defaultFeatureConfig([stream])),
        stream,
        intervalMs: o.intervalMs,
        ...(o.onPrediction ? { onPrediction: o.onPrediction } : {}),
      }),
    );
  }
  return {
    strategy: routedStrategy(models, o.baseline),
    routes,
    models,
    beforeEvent: async (e, engine) => {
      for (const r of routes) {
        const m = models.get(`${r.venue}:${r.symbol}`);
        m?.observe(e, () => {
          const runner = engine.runner(r.venue as VenueId, r.symbol);
          return runner ? portfolioStateOf(engine, runner) : undefined;
        });
      }
      await Promise.all([...models.values()].map((m) => m.settle()));
    },
  };
}
