import assert from "node:assert/strict";
import { labelAt, type LabelConfig } from "./labels.ts";

const cfg: LabelConfig = {
  horizons: [1, 2, 3],
  feeBps: 1,
  priceScaleBps: 1,
  sizeScaleBps: 30,
  riskDrawdownBps: 5,
};

Deno.test("labelAt() buys when the later bid beats the ask plus fees, and sizes by the net edge", () => {
  // mids 100, 100.1, 100.2, 100.3 with a 0.01 spread: +20 bps at h2 covers 2 bp fees + 1 bp spread
  const bid = [99.995, 100.095, 100.195, 100.295];
  const ask = [100.005, 100.105, 100.205, 100.305];
  const l = labelAt(bid, ask, 0, cfg);
  assert.ok(l !== undefined);
  assert.equal(l.action, 1);
  assert.ok(Math.abs(l.price[0] - Math.log(100.1 / 100) * 1e4) < 1e-9);
  const net = (100.195 / 100.005 - 1 - 2e-4) * 1e4;
  assert.ok(Math.abs(l.size - net / 30) < 1e-9, `size ${l.size}`);
  assert.equal(l.risk, 0);
});

Deno.test("labelAt() holds when the move does not cover spread and fees", () => {
  const bid = [99.995, 99.998, 100.0, 99.999];
  const ask = [100.005, 100.008, 100.01, 100.009];
  const l = labelAt(bid, ask, 0, cfg);
  assert.equal(l?.action, 0);
  assert.equal(l?.size, 0);
});

Deno.test("labelAt() sells on a net fall and flags the forward drawdown as risk", () => {
  const bid = [99.995, 99.895, 99.795, 99.695];
  const ask = [100.005, 99.905, 99.805, 99.705];
  const l = labelAt(bid, ask, 0, cfg);
  assert.equal(l?.action, 2);
  assert.equal(l?.risk, 1);
  assert.ok((l?.price[2] ?? 0) < 0);
});

Deno.test("labelAt() returns undefined past the label horizon", () => {
  assert.equal(labelAt([1, 1, 1], [1, 1, 1], 0, cfg), undefined);
});
