import assert from "node:assert/strict";
import { buildFeatureSpec, defaultFeatureConfig } from "../features/spec.ts";
import type { VenueId } from "../market/instrument.ts";
import { parseManifest } from "./manifest.ts";
import { describeRoutes, routeStreams, servedStreams } from "./served_streams.ts";

const dir = new URL("../../models/demo/20261207T234600242Z-03585c/", import.meta.url);
const doc = JSON.parse(await Deno.readTextFile(new URL("manifest.json", dir)));
const hashOf = (s: { venue: string; symbol: string }) =>
  buildFeatureSpec(defaultFeatureConfig([{ venue: s.venue as VenueId, symbol: s.symbol }])).hash;
const STREAMS = [
  { venue: "binance_us", symbol: "BTC/USDT" },
  { venue: "binance_us", symbol: "ETH/USDT" },
  { venue: "coinbase", symbol: "BTC/USD" },
  { venue: "coinbase", symbol: "ETH/USD" },
];

function manifest(d: unknown) {
  const r = parseManifest(d);
  if (!r.ok) assert.fail(r.issues.join("\n"));
  return r.manifest;
}

Deno.test("an older manifest serves the one stream its feature spec was built for", () => {
  const m = manifest(doc);
  assert.equal(m.serves, undefined);
  assert.deepEqual(servedStreams(m), [
    { venue: "binance_us", symbol: "BTC/USDT", featureSpecHash: m.feature_spec.hash },
  ]);
  const routes = routeStreams(STREAMS, [m], hashOf, "imbalance");
  assert.deepEqual(describeRoutes(routes), [
    `binance_us BTC/USDT: model ${m.version}`,
    `binance_us ETH/USDT: baseline imbalance (no installed model serves it (${m.version}))`,
    `coinbase BTC/USD: baseline imbalance (no installed model serves it (${m.version}))`,
    `coinbase ETH/USD: baseline imbalance (no installed model serves it (${m.version}))`,
  ]);
  assert.deepEqual(
    describeRoutes(routeStreams(STREAMS.slice(0, 1), [], hashOf, "flat")),
    ["binance_us BTC/USDT: baseline flat (no model is installed)"],
  );
});

Deno.test("a manifest's serves list routes each listed stream whose feature spec matches", () => {
  const m = manifest({
    ...doc,
    serves: [
      { venue: "binance_us", symbol: "BTC/USDT", feature_spec_hash: hashOf(STREAMS[0]!) },
      { venue: "coinbase", symbol: "BTC/USD", feature_spec_hash: hashOf(STREAMS[2]!) },
      { venue: "coinbase", symbol: "ETH/USD", feature_spec_hash: "0123456789abcdef" },
    ],
  });
  const routes = routeStreams(STREAMS, [m], hashOf, "momentum");
  assert.deepEqual(routes.map((r) => r.decider), ["model", "baseline", "model", "baseline"]);
  assert.match(
    describeRoutes(routes)[3]!,
    /^coinbase ETH\/USD: baseline momentum \(model \S+ serves it with feature spec 0123456789ab, the edge builds [0-9a-f]{12}\)$/,
  );
  const bad = parseManifest({ ...doc, serves: [{ venue: "Coinbase", symbol: "btc-usd" }] });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.issues, [
    "serves.0.venue: expected a venue id like binance_us",
    "serves.0.symbol: expected a symbol like BTC/USDT",
    "serves.0.feature_spec_hash: Invalid input: expected string, received undefined",
  ]);
});
