import assert from "node:assert/strict";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import type { StrategyContext } from "../../core/trading/strategy.ts";
import type { DecideContext, DecisionResult, ModelHost } from "../inference/model_host.ts";
import { ModelStrategy } from "./model_strategy.ts";

const STREAM = { venue: "binance_us", symbol: "BTC/USDT" } as const;

/** A host that records what each decision was given and always buys. */
function recordingHost(seen: (DecideContext | undefined)[]): ModelHost {
  const result: DecisionResult = {
    decision: {
      action: "buy",
      probs: { buy: 0.8, sell: 0.1, hold: 0.1 },
      confidence: 0.8,
      sizeFraction: 0.5,
      risk: 0.1,
      pricePred: [0, 0, 0],
    },
    version: "stub",
    latencyMs: 1,
  };
  return {
    current: { manifest: { shape: { window: 2 } } },
    decide: (_rows: unknown, ctx?: DecideContext) => {
      seen.push(ctx);
      return Promise.resolve(result);
    },
  } as unknown as ModelHost;
}

function context(time: number, equity: number, positionValue: number): StrategyContext {
  return {
    time,
    inst: STREAM,
    portfolio: () => ({ equity, cash: equity - positionValue, positionValue, unrealizedPnl: 0 }),
  } as unknown as StrategyContext;
}

Deno.test("ModelStrategy passes the latest portfolio's position fraction to the model", async () => {
  const seen: (DecideContext | undefined)[] = [];
  const s = new ModelStrategy({
    host: recordingHost(seen),
    spec: buildFeatureSpec(defaultFeatureConfig([STREAM])),
    stream: STREAM,
    intervalMs: 500,
  });
  s.advanceTo(0);
  s.advanceTo(1_200); // boundaries 500 (window not full) and 1000
  await s.settle();
  assert.deepEqual(seen, [{ positionFraction: 0 }], "no portfolio seen yet: flat");
  const d = s.decide(context(1_100, 10_000, 2_500));
  assert.equal(d.action, "buy");
  s.advanceTo(1_700);
  await s.settle();
  assert.deepEqual(seen.at(-1), { positionFraction: 0.25 });
  s.decide(context(1_600, 0, 0)); // no equity: unknown, treated as flat
  s.advanceTo(2_200);
  await s.settle();
  assert.deepEqual(seen.at(-1), { positionFraction: 0 });
  assert.equal(s.failures, 0);
});
