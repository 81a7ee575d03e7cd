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

import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { installedStreamRoutes } from "../inference/stream_routes.ts";
import type { PredictionRecord } from "../../infra/inference/model_strategy.ts";
import { type RoutedModels, routedModels } from "../../infra/inference/routed_models.ts";

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
export type RoutedModel = RoutedModels;

/** Builds the routed model strategy (see the module documentation). */
export async function routedModelStrategy(o: RoutedModelOptions): Promise<RoutedModel> {
  const registry = new ModelRegistry(o.registryDir);
  if (o.modelDir !== undefined && o.host === undefined) {
    await registry.activate((await registry.installFromDir(o.modelDir)).version);
  }
  const routes = await installedStreamRoutes(o.registryDir, o.streams, o.baseline.name, o.log);
  const host = o.host ?? new ModelHost(registry, { threads: o.threads ?? 1, maxFraction: 1 });
  if (routes.some((r) => r.decider === "model") && !host.current) await host.loadCurrent();
  return routedModels(
    routes,
    () => host,
    o.baseline,
    o.intervalMs,
    ...(o.onPrediction ? [o.onPrediction] : []),
  );
}
