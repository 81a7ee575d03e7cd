/**
 * A strategy that routes each stream's decision to the strategy that serves it (a model per
 * served stream) and every other stream to a fallback (the configured baseline), so one
 * engine trades all configured streams whatever the installed models cover.
 *
 * @module
 */

import type { Decision, Strategy, StrategyContext } from "./strategy.ts";

/**
 * Builds the router.
 *
 * @param routes Strategy per stream ("venue:symbol").
 * @param fallback Strategy of every other stream.
 * @returns A strategy named after its parts (e.g. "model+imbalance"), deciding at the
 *   shortest interval of its parts (each part is still asked at most once per its own
 *   interval when they are equal, the usual case of one configured decision interval).
 */
export function routedStrategy(
  routes: ReadonlyMap<string, Strategy>,
  fallback: Strategy,
): Strategy & { readonly routeOf: (venue: string, symbol: string) => Strategy } {
  const parts = [...new Set([...routes.values()].map((s) => s.name)), fallback.name];
  const routeOf = (venue: string, symbol: string) => routes.get(`${venue}:${symbol}`) ?? fallback;
  return {
    name: routes.size === 0 ? fallback.name : [...new Set(parts)].join("+"),
    intervalMs: Math.min(fallback.intervalMs, ...[...routes.values()].map((s) => s.intervalMs)),
    routeOf,
    decide: (ctx: StrategyContext): Decision =>
      routeOf(ctx.inst.venue, ctx.inst.symbol).decide(ctx),
  };
}
