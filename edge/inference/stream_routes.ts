/**
 * What the edge calls to learn which traded streams an installed model decides: reads the
 * registry's current model (`CURRENT`) and routes every configured stream to it when it
 * serves that stream with the edge's feature spec, else to the configured baseline, with a
 * log line per stream so the fallback is visible.
 *
 * @module
 */

import type { ModelManifest } from "../../core/model/manifest.ts";
import {
  describeRoutes,
  routeStreams,
  type StreamRoute,
  streamSpecHash,
} from "../../core/model/served_streams.ts";
import { ModelRegistry } from "./model_registry.ts";

/** The feature-spec hash the edge builds for one traded stream (it is the primary stream). */
export const edgeSpecHash: (s: { venue: string; symbol: string }) => string = streamSpecHash;

/**
 * Routes the traded streams to the registry's current model or the baseline.
 *
 * @param registryDir Model registry directory (config `model.registry_dir`).
 * @param streams Traded streams (config `trading.streams`).
 * @param baseline Configured baseline strategy (`trading.strategy`, or its fallback).
 * @param log Receives one line per stream.
 */
export async function installedStreamRoutes(
  registryDir: string,
  streams: readonly { venue: string; symbol: string }[],
  baseline: string,
  log: (line: string) => void = () => {},
): Promise<StreamRoute[]> {
  const registry = new ModelRegistry(registryDir);
  const models: ModelManifest[] = [];
  const current = await registry.currentVersion();
  if (current !== undefined) models.push(await registry.manifest(current));
  const routes = routeStreams(streams, models, edgeSpecHash, baseline);
  for (const line of describeRoutes(routes)) log(`streams: ${line}`);
  return routes;
}
