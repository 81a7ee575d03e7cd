/**
 * The strategy `reconcile` replays a live run with: the run's baseline, or, for a run traded
 * with the model, the routed model strategy the live edge builds, on the model package the
 * run recorded — copied from the live registry (`model.registry_dir`) into a throwaway
 * registry, so the live edge's current model is never touched.
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import type { TradingEngine } from "../../core/trading/engine/engine.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import { ModelHost } from "../inference/model_host.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { routedModelStrategy } from "../trader/routed_model.ts";

/** A run whose strategy or model the replay cannot rebuild. */
export class ReconcileUnsupportedError extends Error {
  /** @param message Why. */
  constructor(message: string) {
    super(message);
    this.name = "ReconcileUnsupportedError";
  }
}

/** The replay's strategy, its per-event hook (models) and its cleanup. */
export interface ReplayStrategy {
  readonly strategy: Strategy;
  /** Awaited before the engine sees each event (feeds the models, waits for inference). */
  readonly beforeEvent?: (e: MarketEvent, engine: TradingEngine) => Promise<void>;
  /** Releases the model and removes the throwaway registry. */
  close(): Promise<void>;
}

/**
 * Builds the replay's strategy.
 *
 * @throws {ReconcileUnsupportedError} When the recorded model is no longer in the registry or
 *   does not load.
 */
export async function replayStrategy(o: {
  config: Config;
  streams: readonly { venue: string; symbol: string }[];
  strategy: string;
  intervalMs: number;
  modelVersion: string | null;
}): Promise<ReplayStrategy> {
  const intervalMs = o.intervalMs;
  if (o.modelVersion === null) {
    return { strategy: baselineStrategy(o.strategy, { intervalMs }), close: async () => {} };
  }
  const version = o.modelVersion;
  const tmp = await Deno.makeTempDir({ prefix: "tickerml-reconcile-" });
  let host: ModelHost | undefined;
  const close = async () => {
    await host?.release().catch(() => {});
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  };
  try {
    const src = `${o.config.model.registry_dir}/${version}`;
    const registry = new ModelRegistry(tmp);
    try {
      await registry.installFromDir(src);
    } catch (e) {
      throw new ReconcileUnsupportedError(
        `the run traded with model ${version}, which cannot be read from the registry (${src}): ${
          (e as Error).message
        }`,
      );
    }
    const m = o.config.model;
    host = new ModelHost(registry, {
      threads: m.ort_threads,
      maxFraction: 1,
      ...(m.ort_runtime ? { runtime: m.ort_runtime } : {}),
    });
    await host.swapTo(version);
    // The streams no model serves trade the configured baseline, as in the live edge.
    const base = o.config.trading.strategy === "model" ? "imbalance" : o.config.trading.strategy;
    const routed = await routedModelStrategy({
      host,
      registryDir: tmp,
      streams: o.streams,
      baseline: baselineStrategy(base, { intervalMs }),
      intervalMs,
    });
    return { strategy: routed.strategy, beforeEvent: routed.beforeEvent, close };
  } catch (e) {
    await close();
    throw e;
  }
}
