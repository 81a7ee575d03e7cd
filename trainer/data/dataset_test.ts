import assert from "node:assert/strict";
import { buildDataset, makeBatch } from "./dataset.ts";
import type { FeatureSource } from "./market_rows.ts";
import { syntheticSource } from "./testing_source.ts";

const labels = {
  horizons: [1, 2, 3] as [number, number, number],
  feeBps: 1,
  priceScaleBps: 10,
  sizeScaleBps: 10,
  riskDrawdownBps: 5,
};
const cfg = { windowLength: 4, labels, trainFraction: 0.6, valFraction: 0.2 };

Deno.test("buildDataset() splits in time order with an embargo of horizon + T - 1 between splits", async () => {
  const ds = await buildDataset(syntheticSource(200, 3), cfg);
  const { train, val, test } = ds.splits;
  assert.ok(train.length > 0 && val.length > 0 && test.length > 0);
  const gap = 3 + 4 - 1;
  assert.ok((val[0] as number) - (train.at(-1) as number) > gap);
  assert.ok((test[0] as number) - (val.at(-1) as number) > gap);
  // no validation window shares a row with a training window or label interval
  assert.ok((val[0] as number) - 4 + 1 > (train.at(-1) as number) + 3);
  assert.ok((test.at(-1) as number) + 3 < ds.times.length);
});

Deno.test("buildDataset() fits normalization on training rows only", async () => {
  const base = syntheticSource(200, 3);
  const spiked: FeatureSource = {
    ...base,
    async *rows() {
      let i = 0;
      for await (const r of base.rows()) {
        const f = r.features.slice();
        if (i++ >= 150) f[1] = 1e6; // only in the later (val/test) part
        yield { ...r, features: f };
      }
    },
  };
  const a = await buildDataset(base, cfg);
  const b = await buildDataset(spiked, cfg);
  assert.deepEqual(a.normalization, b.normalization);
  const batch = makeBatch(b, [b.splits.test[0] as number]);
  assert.ok(batch.x.every((v) => v >= -10 && v <= 10), "normalized values are clipped to +-10");
});

Deno.test("makeBatch() lays out windows row-major and one-hot actions", async () => {
  const ds = await buildDataset(syntheticSource(60, 2), cfg);
  const i = ds.splits.train[5] as number;
  const b = makeBatch(ds, [i]);
  assert.equal(b.x.length, 4 * 2);
  const { mean, std } = ds.normalization;
  const expected = ((ds.features[i * 2] as number) - (mean[0] as number)) / (std[0] as number);
  assert.ok(Math.abs((b.x[3 * 2] as number) - expected) < 1e-5, "last row of the window is row i");
  assert.equal(b.action.reduce((s, v) => s + v, 0), 1);
});

Deno.test("buildDataset() rejects a source too short for any labelled window", async () => {
  await assert.rejects(() => buildDataset(syntheticSource(8, 2), cfg), /labelled windows/);
});

Deno.test("buildDataset() normalizes like the edge: missing values become 0 and are left out of the fit", async () => {
  const base = syntheticSource(200, 3);
  const gappy: FeatureSource = {
    ...base,
    async *rows() {
      let i = 0;
      for await (const r of base.rows()) {
        const missing = r.missing.slice();
        const features = r.features.slice();
        if (i++ % 2 === 0) {
          missing[2] = 1;
          features[2] = 1e9; // must be ignored
        }
        yield { ...r, features, missing };
      }
    },
  };
  const ds = await buildDataset(gappy, cfg);
  const rows = (ds.splits.train.at(-1) as number) + 1;
  assert.equal(ds.normalization.count[2], Math.floor(rows / 2));
  assert.equal(ds.normalization.spec_hash, base.spec.hash);
  const b = makeBatch(ds, [ds.splits.train[10] as number]);
  for (let k = 0; k < 4; k++) {
    const row = (ds.splits.train[10] as number) - 3 + k;
    if (row % 2 === 0) assert.equal(b.x[k * 3 + 2], 0, `missing value of row ${row} is 0`);
  }
});
