import assert from "node:assert/strict";
import { streamFeatureSpec } from "../../core/model/served_streams.ts";
import type { DecisionResult, WindowDecider, WindowRow } from "./model_session.ts";
import { ModelStrategy } from "./model_strategy.ts";

const STREAM = { venue: "coinbase", symbol: "ETH/USD" } as const;

Deno.test("a model with stream inputs gets its stream's one-hot after every row's features", async () => {
  const seen: WindowRow[][] = [];
  const result: DecisionResult = {
    decision: {
      action: "hold",
      probs: { buy: 0.1, sell: 0.1, hold: 0.8 },
      confidence: 0.8,
      sizeFraction: 0,
      risk: 0.1,
      pricePred: [0, 0, 0],
    },
    version: "stub",
    latencyMs: 1,
  };
  const host = {
    current: {
      manifest: {
        shape: { window: 2 },
        stream_inputs: ["binance_us:BTC/USDT", "coinbase:ETH/USD"],
      },
    },
    decide: (rows: readonly WindowRow[]) => {
      seen.push([...rows]);
      return Promise.resolve(result);
    },
  } as unknown as WindowDecider;
  const spec = streamFeatureSpec(STREAM);
  const s = new ModelStrategy({ host, spec, stream: STREAM, intervalMs: 500 });
  s.advanceTo(0);
  s.advanceTo(1_200);
  await s.settle();
  assert.equal(seen.length, 1);
  const f = spec.features.length;
  for (const row of seen[0]!) {
    const values = (row as { values: ArrayLike<number> }).values;
    assert.equal(values.length, f + 2);
    assert.deepEqual([values[f], values[f + 1]], [0, 1]);
  }
});
