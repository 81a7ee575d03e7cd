import assert from "node:assert/strict";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { buildDataset } from "../data/dataset.ts";
import { syntheticSource } from "../data/testing_source.ts";
import { pretrain, type PretrainConfig, type PretrainState } from "./pretrain.ts";
import { learningRate } from "./schedule.ts";

const labels = {
  horizons: [1, 2, 3] as [number, number, number],
  feeBps: 1,
  priceScaleBps: 10,
  sizeScaleBps: 10,
  riskDrawdownBps: 5,
};
const ds = await buildDataset(syntheticSource(400, 4), {
  windowLength: 4,
  labels,
  trainFraction: 0.6,
  valFraction: 0.2,
});
const cfg: PretrainConfig = {
  model: { featureCount: 4, windowLength: 4, dModel: 16, heads: 2, layers: 1, ffnWidth: 32 },
  epochs: 12,
  batchSize: 16,
  schedule: { lr: 3e-3, warmupFraction: 0.05, floor: 0.1 },
  adam: DEFAULT_ADAM,
  weights: DEFAULT_TASK_WEIGHTS,
  patience: 100,
  seed: 3,
};

Deno.test("pretrain() lowers training and validation loss on a learnable synthetic task", async () => {
  const st = await pretrain(cfg, ds);
  const first = st.history[0];
  const last = st.history.at(-1);
  assert.ok(first !== undefined && last !== undefined);
  // size and risk BCE have irreducible entropy; the price head is fully learnable
  assert.ok(
    last.train_loss < 0.7 * first.train_loss,
    `train ${first.train_loss} -> ${last.train_loss}`,
  );
  assert.ok(st.bestVal < 0.8 * first.val_loss, `val ${first.val_loss} -> best ${st.bestVal}`);
  const [p0] = first.val_parts;
  const [p1] = last.val_parts;
  assert.ok((p1 as number) < 0.3 * (p0 as number), `validation price loss ${p0} -> ${p1}`);
});

Deno.test("pretrain() resumed from an epoch state ends exactly where an uninterrupted run ends", async () => {
  const short = { ...cfg, epochs: 3 };
  const full = await pretrain(short, ds);
  let saved: PretrainState | undefined;
  await assert.rejects(
    () =>
      pretrain(short, ds, {
        onEpoch: (s) => {
          saved = structuredClone(s);
          throw new Error("simulated crash after epoch 1");
        },
      }),
    /simulated crash/,
  );
  assert.equal(saved?.epoch, 1);
  const resumed = await pretrain(short, ds, {}, saved);
  assert.deepEqual(resumed.history, full.history);
  assert.deepEqual([...resumed.params.values()], [...full.params.values()]);
});

Deno.test("pretrain() stops early when validation stops improving", async () => {
  const st = await pretrain({
    ...cfg,
    epochs: 40,
    patience: 2,
    schedule: { ...cfg.schedule, lr: 0.05 },
  }, ds);
  assert.equal(st.stale, 2);
  assert.ok(st.epoch < 40);
});

Deno.test("learningRate() warms up linearly then decays by cosine to the floor", () => {
  const s = { lr: 1, warmupFraction: 0.1, floor: 0.1 };
  assert.equal(learningRate(s, 5, 100), 0.5);
  assert.equal(learningRate(s, 10, 100), 1);
  assert.ok(Math.abs(learningRate(s, 100, 100) - 0.1) < 1e-12);
  assert.ok(learningRate(s, 50, 100) < 1 && learningRate(s, 50, 100) > 0.1);
});
