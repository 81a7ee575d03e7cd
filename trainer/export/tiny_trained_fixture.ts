/**
 * The tiny *trained* fixture model (testdata/models/tiny_trained/): the tiny
 * shape pretrained by the project's trainer on the synthetic learnable source
 * (trainer/data/testing_source.ts, whose labels follow from the window's last
 * row), so its decisions have real margins, unlike the seeded golden models.
 * INT8 parity and the kernel-emulation tests run on it with its held-out
 * (validation + test) windows, normalized, in tiny_trained_windows.json.
 * Regenerate with `deno run -A trainer/main.ts fixture --kind tiny-trained`.
 *
 * @module
 */
import { buildDataset, writeWindow } from "../data/dataset.ts";
import { syntheticSource } from "../data/testing_source.ts";
import { DEFAULT_ADAM } from "../nn/adam.ts";
import { DEFAULT_TASK_WEIGHTS } from "../nn/losses.ts";
import { pretrain } from "../pretrain/pretrain.ts";
import { buildPackage, type BuiltPackage, writePackage } from "./model_package.ts";
import { TINY_SHAPE } from "./tiny_fixture.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";

/** Where the fixture lives, relative to the repository root. */
export const TINY_TRAINED_DIR = "testdata/models/tiny_trained";

/** Package metadata of the fixture (also used to re-export it in tests). */
export const TINY_TRAINED_INFO = {
  version: "tiny-trained-v1",
  createdAt: "2026-12-07T00:00:00.000Z",
  training: { note: "tiny shape pretrained on trainer/data/testing_source.ts (seed 5), 16 epochs" },
} as const;

/** Trains the fixture (deterministic) and returns its weights, package and held-out windows. */
export async function trainTinyFixture(): Promise<
  { weights: ModelWeights; pkg: BuiltPackage; windows: number[][][] }
> {
  const { featureCount: F, windowLength: T } = TINY_SHAPE;
  const ds = await buildDataset(syntheticSource(900, F, 5), {
    windowLength: T,
    labels: {
      horizons: [1, 2, 3],
      feeBps: 1,
      priceScaleBps: 10,
      sizeScaleBps: 10,
      riskDrawdownBps: 5,
    },
    trainFraction: 0.6,
    valFraction: 0.2,
  });
  const st = await pretrain({
    model: TINY_SHAPE,
    epochs: 16,
    batchSize: 16,
    schedule: { lr: 3e-3, warmupFraction: 0.05, floor: 0.1 },
    adam: DEFAULT_ADAM,
    weights: DEFAULT_TASK_WEIGHTS,
    patience: 100,
    seed: 3,
  }, ds);
  const weights = { spec: TINY_SHAPE, params: st.best };
  const pkg = await buildPackage(weights, {
    ...TINY_TRAINED_INFO,
    featureSpec: { hash: ds.specHash, names: [...ds.names] },
    normalization: { mean: ds.normalization.mean, std: ds.normalization.std, clip: 10 },
    metrics: { pretrain_best_val_loss: st.bestVal },
  });
  const buf = new Float32Array(T * F);
  const windows = [...ds.splits.val, ...ds.splits.test].map((i) => {
    writeWindow(ds, i, buf, 0);
    // 4 decimals keep the file small; the rounded values are the test inputs
    return Array.from(
      { length: T },
      (_, t) => Array.from(buf.subarray(t * F, (t + 1) * F), (v) => Math.round(v * 1e4) / 1e4),
    );
  });
  return { weights, pkg, windows };
}

/** Writes the fixture (`deno run -A trainer/main.ts fixture --kind tiny-trained`). */
export async function writeTinyTrainedFixture(): Promise<void> {
  const { pkg, windows } = await trainTinyFixture();
  await writePackage(pkg, TINY_TRAINED_DIR);
  await Deno.writeTextFile(`${TINY_TRAINED_DIR}_windows.json`, JSON.stringify(windows));
  console.log(`wrote ${TINY_TRAINED_DIR} (${windows.length} held-out windows)`);
  Deno.exit(0);
}
