/**
 * Future-leak canary: the same training and backtest code, on a random-walk
 * market, once with a feature that leaks the next bars' move and once
 * without. The leaked model must beat flat and buy-and-hold net of costs;
 * the honest one must not. If the "honest" model wins, the pipeline leaks.
 */
import assert from "node:assert/strict";
import { seededRandom } from "../../core/random.ts";
import { buildDataset, type Dataset, writeWindow } from "../data/dataset.ts";
import type { FeatureSource, MarketRow } from "../data/market_rows.ts";
import { plainFeatureSpec } from "../data/testing_source.ts";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import {
  compile,
  initBackend,
  keep,
  keepTree,
  type Tensor,
  tensor,
  toHost,
} from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { forward, positionalTensor, uploadParams } from "../nn/transformer.ts";
import { pretrain } from "../pretrain/pretrain.ts";
import { backtest, baselines } from "./evaluate.ts";
import { TopOfBookExecution } from "./execution.ts";

await initBackend();

function walk(rows: number, leak: boolean): FeatureSource {
  const spec = plainFeatureSpec(["noise_a", "noise_b", leak ? "leak" : "noise_c"]);
  return {
    spec,
    names: spec.features.map((f) => f.name),
    specHash: spec.hash,
    async *rows(): AsyncGenerator<MarketRow> {
      const rand = seededRandom(99);
      const steps = Array.from({ length: rows + 3 }, () => (rand() < 0.5 ? -1 : 1));
      const noise = seededRandom(7);
      let mid = 100;
      for (let t = 0; t < rows; t++) {
        // leak: the sum of the next two moves (exactly what the h2 action label depends on)
        const future = (steps[t] as number) + (steps[t + 1] as number);
        const f = Float64Array.from([noise() - 0.5, noise() - 0.5, leak ? future : noise() - 0.5]);
        const missing = new Uint8Array(3);
        yield {
          time: t * 1000,
          features: f,
          missing,
          bid: mid * (1 - 0.5e-4),
          ask: mid * (1 + 0.5e-4),
        };
        mid *= 1 + 10e-4 * (steps[t] as number);
      }
    },
  };
}

const spec = { featureCount: 3, windowLength: 4, dModel: 16, heads: 2, layers: 1, ffnWidth: 32 };
const labels = {
  horizons: [1, 2, 3] as [number, number, number],
  feeBps: 1,
  priceScaleBps: 10,
  sizeScaleBps: 10,
  riskDrawdownBps: 5,
};
const cost = { feeBps: 1, slippageBps: 0 };

async function netReturns(leak: boolean): Promise<Record<string, number>> {
  const ds: Dataset = await buildDataset(walk(700, leak), {
    windowLength: 4,
    labels,
    trainFraction: 0.6,
    valFraction: 0.2,
  });
  const st = await pretrain({
    model: spec,
    epochs: 15,
    batchSize: 16,
    schedule: { lr: 3e-3, warmupFraction: 0.05, floor: 0.1 },
    adam: DEFAULT_ADAM,
    weights: DEFAULT_TASK_WEIGHTS,
    patience: 100,
    seed: 5,
  }, ds);
  const test = ds.splits.test;
  const n = test.length;
  const x = new Float32Array(n * 4 * 3);
  test.forEach((i, k) => writeWindow(ds, i, x, k * 12));
  const fwd = compile((p: Params, xx: Tensor, pe: Tensor) =>
    forward(spec, p, xx, pe, n).action_logits
  );
  const params = uploadParams(spec, st.best);
  const logits = await toHost(
    fwd(keepTree(params), tensor(x, [n, 4, 3]), keep(positionalTensor(spec))),
  );
  const port = new TopOfBookExecution(
    test.map((i) => ({ bid: ds.bid[i] as number, ask: ds.ask[i] as number })),
    cost,
  );
  const out: Record<string, number> = {};
  const rules = {
    model: (k: number) => {
      const l = [0, 1, 2].map((c) => logits[k * 3 + c] as number);
      const c = l.indexOf(Math.max(...l));
      return c === 1
        ? { side: "buy" as const, size: 1 }
        : c === 2
        ? { side: "sell" as const, size: 1 }
        : { side: "hold" as const, size: 0 };
    },
    ...baselines(new Array(n).fill(0), 1),
  };
  for (const [name, rule] of Object.entries(rules)) {
    out[name] = (await backtest(port, 0, n, rule)).return_pct;
  }
  return out;
}

Deno.test("future-leak canary: a leaked feature wins, the honest pipeline does not", async () => {
  const leaked = await netReturns(true);
  const honest = await netReturns(false);
  assert.ok(
    (leaked.model as number) >
      Math.max(leaked.flat as number, leaked.buy_and_hold as number) + 0.25,
    `leaked model should win clearly: ${JSON.stringify(leaked)}`,
  );
  assert.ok(
    (honest.model as number) < (leaked.model as number) / 4 &&
      (honest.model as number) <=
        Math.max(honest.flat as number, honest.buy_and_hold as number) + 0.05,
    `honest model should not win: ${JSON.stringify(honest)} vs leaked ${JSON.stringify(leaked)}`,
  );
});
