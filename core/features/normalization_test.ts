import assert from "node:assert/strict";
import { snap, tinySetup, trade } from "./_testing.ts";
import { buildFeatureDataset } from "./dataset.ts";
import { assertNormalizationMatches, fitNormalization, normalizeVector } from "./normalization.ts";
import { FeatureSpecMismatchError, type StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

Deno.test("fitNormalization() uses present values only and normalizeVector() maps missing to 0", () => {
  const { spec, options } = tinySetup([K]);
  // Mids 100.5, 101.5, 102.5 at the three boundaries after the snapshots; 0 before.
  const events = [
    trade(K, 100, 100, 1, "buy"),
    snap(K, 1_500, [[100, 1]], [[101, 1]]),
    snap(K, 2_500, [[101, 1]], [[102, 1]]),
    snap(K, 3_500, [[102, 1]], [[103, 1]]),
    trade(K, 4_000, 102, 1, "sell"),
  ];
  const ds = buildFeatureDataset(spec, events, { ...options, intervalMs: 1000 });
  assert.deepEqual([...ds.times], [1000, 2000, 3000, 4000]);
  const norm = fitNormalization(ds);
  const mid = spec.index.get("kraken.btc_usd.book.mid") as number;
  assert.equal(norm.count[mid], 3, "the row without a book is not counted");
  assert.equal(norm.mean[mid], 101.5);
  assert.equal(norm.std[mid], 1);
  const flag = spec.index.get("kraken.btc_usd.book.missing") as number;
  assert.deepEqual([norm.mean[flag], norm.std[flag]], [0, 1]);
  const f = spec.features.length;
  const first = normalizeVector(ds.values.subarray(0, f), ds.missing.subarray(0, f), norm);
  assert.equal(first[mid], 0, "missing -> 0");
  assert.equal(first[flag], 1, "flag kept");
  const last = normalizeVector(ds.values.subarray(3 * f), ds.missing.subarray(3 * f), norm);
  assert.equal(last[mid], 1);
  assert.equal(
    normalizeVector(Float64Array.of(1e9), Uint8Array.of(0), { ...norm, mean: [0], std: [1] })[0],
    10,
  );
  assertNormalizationMatches("m", norm, spec);
  const other = tinySetup([K], { staleMs: 1 }).spec;
  assert.throws(() => assertNormalizationMatches("m", norm, other), FeatureSpecMismatchError);
});
