import assert from "node:assert/strict";
import { near, snap, tinySetup } from "./_testing.ts";
import { FeatureEngine, type FeatureRow } from "./engine.ts";
import type { FeatureSpec, StreamRef } from "./spec.ts";

const KR: StreamRef = { venue: "kraken", symbol: "BTC/USDT" };
const CB: StreamRef = { venue: "coinbase", symbol: "BTC/USD" };
const KU: StreamRef = { venue: "kucoin", symbol: "BTC/USDT" };

const get = (spec: FeatureSpec, row: FeatureRow, name: string) => {
  const i = spec.index.get(name) as number;
  return row.missing[i] === 1 ? null : row.values[i] as number;
};
const book = (ref: StreamRef, t: number, mid: number) =>
  snap(ref, t, [[mid - 1, 1]], [[mid + 1, 1]]);

function pearson(x: number[], y: number[]): number {
  const mx = x.reduce((a, b) => a + b) / x.length;
  const my = y.reduce((a, b) => a + b) / y.length;
  let sxy = 0, sxx = 0, syy = 0;
  x.forEach((xi, i) => {
    const dy = (y[i] as number) - my;
    sxy += (xi - mx) * dy;
    sxx += (xi - mx) ** 2;
    syy += dy * dy;
  });
  return sxy / Math.sqrt(sxx * syy);
}

Deno.test("CrossVenueFeatures dispersion and USDT/USD basis over present venues", () => {
  const { spec, options } = tinySetup([KR, CB, KU]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(book(KR, 0, 101));
  engine.onEvent(book(CB, 0, 100));
  engine.onEvent(book(KU, 0, 103));
  const row = engine.compute(1_000);
  near(
    get(spec, row, "cross.dispersion_bps") as number,
    (103 - 100) / ((101 + 100 + 103) / 3) * 1e4,
    "dispersion",
  );
  near(
    get(spec, row, "cross.basis_usdt_usd_bps") as number,
    ((101 + 103) / 2 / 100 - 1) * 1e4,
    "basis",
  );
  // Coinbase (the only USD venue) goes stale: basis missing, dispersion over the two others.
  engine.onEvent(book(KR, 5_000, 101));
  engine.onEvent(book(KU, 5_000, 103));
  const later = engine.compute(5_001);
  assert.equal(get(spec, later, "cross.basis_usdt_usd_bps"), null);
  near(get(spec, later, "cross.dispersion_bps") as number, 2 / 102 * 1e4, "dispersion of two");
  assert.equal(get(spec, later, "cross.missing"), 1);
  engine.onEvent(book(KU, 11_000, 103));
  assert.equal(get(spec, engine.compute(11_000), "cross.dispersion_bps"), null, "one venue left");
});

Deno.test("CrossVenueFeatures lead-lag is positive for a venue that moves one second earlier", () => {
  const { spec, options } = tinySetup([KR, CB, KU]);
  const engine = new FeatureEngine(spec, options);
  const cb = [100, 101, 103, 102, 104, 103, 105, 107, 106, 108, 110];
  const kr = [100, ...cb.slice(0, -1)]; // Kraken follows Coinbase one second later
  for (let k = 0; k < cb.length; k++) {
    engine.onEvent(book(KR, 1000 * k + 500, kr[k] as number));
    engine.onEvent(book(CB, 1000 * k + 500, cb[k] as number));
    engine.onEvent(book(KU, 1000 * k + 500, 103)); // never moves
  }
  const row = engine.compute(11_000);
  // Grid points 5,000..11,000 hold mids 4..10; returns r[k] = ln(m[k]/m[k-1]) for k = 5..10.
  const rets = (m: number[]) => m.slice(5).map((v, i) => Math.log(v / (m[i + 4] as number)));
  const o = rets(cb);
  const p = rets(kr);
  const want = pearson(o.slice(0, 5), p.slice(1)) - pearson(p.slice(0, 5), o.slice(1));
  const got = get(spec, row, "cross.lead_lag.coinbase.btc_usd") as number;
  near(got, want, "lead-lag");
  assert.ok(got > 0.5, `coinbase leads: ${got}`);
  assert.equal(get(spec, row, "cross.lead_lag.kucoin.btc_usdt"), null, "no variance: missing");
});

Deno.test("CrossVenueFeatures lead-lag is missing until enough 1-second returns exist", () => {
  const { spec, options } = tinySetup([KR, CB]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(book(KR, 0, 100));
  engine.onEvent(book(CB, 0, 100));
  assert.equal(get(spec, engine.compute(3_000), "cross.lead_lag.coinbase.btc_usd"), null);
});
