import assert from "node:assert/strict";
import { snap, tinySetup } from "./_testing.ts";
import { FeatureEngine } from "./engine.ts";
import type { StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

Deno.test("PortfolioFeatures are appended at decision time, missing without a state", () => {
  const { spec, options } = tinySetup([K], { portfolio: true });
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(snap(K, 0, [[100, 1]], [[101, 1]]));
  const names = [
    "position_fraction",
    "unrealized_pnl",
    "cash_ratio",
    "time_in_position_h",
    "missing",
  ];
  const read = (row: ReturnType<FeatureEngine["compute"]>) =>
    names.map((n) => {
      const i = spec.index.get(`portfolio.${n}`) as number;
      return row.missing[i] === 1 ? null : row.values[i];
    });
  assert.deepEqual(read(engine.compute(1_000)), [null, null, null, null, 1]);
  const state = {
    equity: 10_000,
    cash: 7_500,
    positionValue: 2_500,
    unrealizedPnl: -100,
    positionOpenedAt: 0,
  };
  assert.deepEqual(read(engine.compute(5_400_000, state)), [0.25, -0.01, 0.75, 1.5, 0]);
  const flat = { equity: 10_000, cash: 10_000, positionValue: 0, unrealizedPnl: 0 };
  assert.deepEqual(read(engine.compute(5_400_000, flat)), [0, 0, 1, 0, 0]);
  assert.deepEqual(read(engine.compute(5_400_000, { ...flat, equity: 0 })), [
    null,
    null,
    null,
    null,
    1,
  ]);
});
