import assert from "node:assert/strict";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { engineFeatureSource } from "./engine_feature_source.ts";

const files = ["btcusdt_20240808.gz", "btcusdt_20240809.gz"].map((f) =>
  new URL(`../../testdata/binance-spot/${f}`, import.meta.url).pathname
);

Deno.test("engineFeatureSource() replays the recording through core/features at a fixed interval", async () => {
  const src = await engineFeatureSource(files, { intervalMs: 500 });
  const spec = buildFeatureSpec(defaultFeatureConfig([{ venue: "binance", symbol: "BTC/USDT" }]));
  assert.equal(src.specHash, spec.hash, "the edge computes the same spec for this stream");
  assert.deepEqual(src.names, spec.features.map((f) => f.name));
  assert.equal(src.stats.bad, 0);
  let n = 0;
  let prev = -Infinity;
  for await (const r of src.rows()) {
    assert.ok(r.time > prev && r.time % 500 === 0);
    assert.ok(
      r.bid > 0 && r.ask > r.bid && (r.ask - r.bid) / r.bid < 1e-3,
      `bid ${r.bid} ask ${r.ask}`,
    );
    assert.equal(r.features.length, src.names.length);
    prev = r.time;
    n++;
  }
  assert.ok(n > 1200, `${n} rows from 11 minutes at 500 ms`);
});
