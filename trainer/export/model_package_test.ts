import assert from "node:assert/strict";
import { parseManifest } from "../../core/model/manifest.ts";
import { servedStreams, streamFeatureSpec } from "../../core/model/served_streams.ts";
import { buildPackage, type PackageInfo } from "./model_package.ts";
import { seededWeights } from "./test_weights.ts";

const SHAPE = { featureCount: 0, windowLength: 4, dModel: 16, heads: 2, layers: 1, ffnWidth: 32 };

Deno.test("the export writes the streams the model serves into the manifest", async () => {
  const streams = [
    { venue: "binance_us", symbol: "BTC/USDT" },
    { venue: "coinbase", symbol: "ETH/USD" },
  ];
  const specs = streams.map(streamFeatureSpec);
  const names = specs[0]!.features.map((f) => f.name);
  const w = seededWeights({ ...SHAPE, featureCount: names.length }, 3);
  const info: PackageInfo = {
    version: "t1",
    createdAt: "2026-12-08T00:00:00.000Z",
    featureSpec: { hash: specs[0]!.hash, names },
    normalization: { mean: names.map(() => 0), std: names.map(() => 1), clip: 10 },
    attention: false,
  };
  const pooled = await buildPackage(w, {
    ...info,
    serves: streams.map((s, i) => ({ ...s, featureSpecHash: specs[i]!.hash })),
  });
  assert.deepEqual(pooled.manifest.serves, [
    { venue: "binance_us", symbol: "BTC/USDT", feature_spec_hash: specs[0]!.hash },
    { venue: "coinbase", symbol: "ETH/USD", feature_spec_hash: specs[1]!.hash },
  ]);
  const parsed = parseManifest(JSON.parse(JSON.stringify(pooled.manifest)));
  assert.ok(parsed.ok, parsed.ok ? "" : parsed.issues.join("; "));
  // without `serves`: the stream its feature spec was built for
  const single = await buildPackage(w, info);
  assert.deepEqual(single.manifest.serves, [
    { venue: "binance_us", symbol: "BTC/USDT", feature_spec_hash: specs[0]!.hash },
  ]);
  assert.deepEqual(servedStreams(single.manifest).map((s) => s.symbol), ["BTC/USDT"]);
});

Deno.test("a pooled model with the stream as input lists its stream inputs; the names must end with them", async () => {
  const spec = streamFeatureSpec({ venue: "binance_us", symbol: "BTC/USDT" });
  const keys = ["binance_us:BTC/USDT", "coinbase:ETH/USD"];
  const names = [...spec.features.map((f) => f.name), ...keys.map((k) => `stream.${k}`)];
  const w = seededWeights({ ...SHAPE, featureCount: names.length }, 4);
  const pkg = await buildPackage(w, {
    version: "t2",
    createdAt: "2026-12-08T00:00:00.000Z",
    featureSpec: { hash: spec.hash, names },
    normalization: { mean: names.map(() => 0), std: names.map(() => 1), clip: 10 },
    attention: false,
    streamInputs: keys,
  });
  assert.deepEqual(pkg.manifest.stream_inputs, keys);
  const doc = JSON.parse(JSON.stringify(pkg.manifest));
  assert.ok(parseManifest(doc).ok);
  doc.stream_inputs = [...keys].reverse();
  const bad = parseManifest(doc);
  assert.ok(!bad.ok && bad.issues.some((i) => /^stream_inputs: the last feature names/.test(i)));
});
