/**
 * Short negative control of the whole pipeline (see controls_planted_test.ts):
 * the same pipeline on 2 hours of a null market (same flow and return
 * variance, no link between them) must not beat flat net of fees by more than
 * noise on any fold, must make a net profit on at most 1 of 4 folds (the
 * planted control needs 3), and must not earn gross overall beyond noise. With
 * seed 2 the folds were net −0.09, −0.10, −0.08, −0.17 % (gross +0.17, +0.29,
 * −0.04, +0.10 %, within the noise band of ±0.52–0.55 %).
 */
import assert from "node:assert/strict";
import { grossSum, shortControl } from "./testing_run.ts";

Deno.test("negative control: on a null market the pipeline invents no edge", async () => {
  const r = await shortControl("null");
  assert.equal(r.folds.length, 4);
  assert.equal(r.passed, true, r.verdict);
  const net = r.folds.filter((f) => f.policy_net_pct > 0).length;
  assert.ok(net <= 1, `net profit on ${net} of 4 folds of a market without signal`);
  const noise = r.folds.reduce((s, f) => s + f.noise_pct, 0);
  assert.ok(grossSum(r) < noise / 2, `gross sum ${grossSum(r)} vs noise ${noise}`);
});
