import assert from "node:assert/strict";
import {
  assertSpecMatches,
  buildFeatureSpec,
  canonicalJson,
  defaultFeatureConfig,
  FeatureSpecMismatchError,
} from "./spec.ts";
import { sha256Hex } from "../hash.ts";

const BTC = { venue: "binance", symbol: "BTC/USDT" } as const;
const KRAKEN = { venue: "kraken", symbol: "BTC/USD" } as const;

Deno.test("buildFeatureSpec() orders features by group, each ending with its missing flag", () => {
  const spec = buildFeatureSpec(defaultFeatureConfig([BTC, KRAKEN]));
  const names = spec.features.map((f) => f.name);
  assert.equal(names[0], "binance.btc_usdt.book.mid");
  assert.ok(
    names.indexOf("binance.btc_usdt.book.missing") < names.indexOf("binance.btc_usdt.flow.ofi_10s"),
  );
  assert.ok(names.includes("cross.lead_lag.kraken.btc_usd"));
  assert.ok(names.includes("tech.rsi_14"));
  assert.equal(names.at(-1), "portfolio.missing");
  let group = "";
  for (const f of spec.features) {
    if (f.group !== group) {
      assert.notEqual(f.kind, "flag", `group ${f.group} starts with values`);
      group = f.group;
    }
    if (f.kind === "flag") assert.equal(f.name, `${f.group}.missing`);
  }
  spec.features.forEach((f, i) => assert.equal(spec.index.get(f.name), i));
});

Deno.test("buildFeatureSpec() hash is the SHA-256 of the canonical text and tracks the config", () => {
  const a = buildFeatureSpec(defaultFeatureConfig([BTC]));
  const b = buildFeatureSpec(defaultFeatureConfig([BTC]));
  assert.equal(a.hash, b.hash);
  assert.equal(a.hash, sha256Hex(a.text));
  assert.match(a.hash, /^[0-9a-f]{64}$/);
  const c = buildFeatureSpec({ ...defaultFeatureConfig([BTC]), staleMs: 10_000 });
  assert.notEqual(
    c.hash,
    a.hash,
    "a parameter change without a name change still changes the hash",
  );
  const d = buildFeatureSpec(defaultFeatureConfig([BTC, KRAKEN]));
  assert.notEqual(d.hash, a.hash);
});

Deno.test("assertSpecMatches() refuses a model trained on another spec with a clear error", () => {
  const spec = buildFeatureSpec(defaultFeatureConfig([BTC]));
  assertSpecMatches("v1", spec.hash, spec);
  assert.throws(
    () => assertSpecMatches("models/v7.onnx", "0".repeat(64), spec),
    (e: unknown) =>
      e instanceof FeatureSpecMismatchError && e.name === "FeatureSpecMismatchError" &&
      e.message.includes("models/v7.onnx") && e.actual === spec.hash,
  );
});

Deno.test("buildFeatureSpec() rejects no streams and repeated streams", () => {
  assert.throws(() => buildFeatureSpec(defaultFeatureConfig([])), RangeError);
  assert.throws(() => buildFeatureSpec(defaultFeatureConfig([BTC, BTC])), /repeats/);
});

Deno.test("canonicalJson() sorts keys at every level", () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: null } }),
    '{"a":{"c":null,"d":[2,{"e":0,"f":1}]},"b":1}',
  );
});
