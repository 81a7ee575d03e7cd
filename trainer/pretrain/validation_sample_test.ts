import assert from "node:assert/strict";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { type PretrainConfig, validationSample } from "./pretrain.ts";

const cfg: PretrainConfig = {
  model: { featureCount: 2, windowLength: 4, dModel: 8, heads: 2, layers: 1, ffnWidth: 8 },
  epochs: 1,
  batchSize: 4,
  schedule: { lr: 1e-3, warmupFraction: 0.05, floor: 0.1 },
  adam: DEFAULT_ADAM,
  weights: DEFAULT_TASK_WEIGHTS,
  patience: 1,
  seed: 1,
};

Deno.test("validation sample: all windows by default, evenly spaced batches with stepsPerEpoch", () => {
  const val = Array.from({ length: 100 }, (_, i) => 1000 + i);
  assert.equal(validationSample(val, cfg), val);
  const s = validationSample(val, { ...cfg, stepsPerEpoch: 2 });
  assert.deepEqual(s, [1000, 1012, 1025, 1037, 1050, 1062, 1075, 1087]);
  assert.equal(validationSample(val.slice(0, 5), { ...cfg, stepsPerEpoch: 2 }).length, 5);
});
