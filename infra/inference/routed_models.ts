/**
 * One {@linkcode ModelStrategy} per stream a model decides (its own feature engine and
 * window on that stream's spec), a {@linkcode routedStrategy} over them with the baseline for
 * the other streams, and the hook a replay calls before each event: feed every model the
 * event with the live portfolio of its stream, then wait for their inferences, so replays are
 * deterministic. Shared by the edge (paper trader, live router) and the trainer's backtester.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { VenueId } from "../../core/market/instrument.ts";
import { streamFeatureSpec, type StreamRoute } from "../../core/model/served_streams.ts";
import type { TradingEngine } from "../../core/trading/engine/engine.ts";
import { portfolioStateOf } from "../../core/trading/portfolio/portfolio_view.ts";
import { routedStrategy } from "../../core/trading/strategy/routed_strategy.ts";
import type { Strategy } from "../../core/trading/strategy/strategy.ts";
import type { WindowDecider } from "./model_session.ts";
import { ModelStrategy, type PredictionRecord } from "./model_strategy.ts";

/** The strategies built from routes. */
export interface RoutedModels {
  /** The strategy of every stream. */
  readonly strategy: Strategy;
  /** Who decides each stream. */
  readonly routes: StreamRoute[];
  /** One model strategy per model-decided stream ("venue:symbol"). */
  readonly models: ReadonlyMap<string, ModelStrategy>;
  /** Replay hook: feeds every model the event, then waits for their inferences. */
  readonly beforeEvent: (e: MarketEvent, engine: TradingEngine) => Promise<void>;
}

/**
 * Builds the routed strategies.
 *
 * @param routes Who decides each stream.
 * @param deciderOf The decider of a model version named by a route.
 * @param baseline Strategy of the baseline-decided streams.
 * @param intervalMs Decision interval, ms.
 * @param onPrediction Receives each prediction.
 * @throws {Error} When a route names a model `deciderOf` does not know.
 */
export function routedModels(
  routes: StreamRoute[],
  deciderOf: (version: string) => WindowDecider | undefined,
  baseline: Strategy,
  intervalMs: number,
  onPrediction?: (p: PredictionRecord) => void | Promise<void>,
): RoutedModels {
  const models = new Map<string, ModelStrategy>();
  for (const r of routes) {
    if (r.decider !== "model") continue;
    const host = deciderOf(r.model);
    if (host === undefined) {
      throw new Error(`No decider for model ${r.model} (${r.venue} ${r.symbol})`);
    }
    const stream = { venue: r.venue as VenueId, symbol: r.symbol };
    models.set(
      `${r.venue}:${r.symbol}`,
      new ModelStrategy({
        host,
        spec: streamFeatureSpec(stream),
        stream,
        intervalMs,
        ...(onPrediction ? { onPrediction } : {}),
      }),
    );
  }
  return {
    strategy: routedStrategy(models, baseline),
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
