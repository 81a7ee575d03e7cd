/**
 * Short negative control of the whole pipeline (see controls_planted_test.ts):
 * the same pipeline on 2 hours of a null market (same flow and return
 * variance, no link between them) must not beat flat net of fees by more than
 * noise on any fold, and must not earn gross overall beyond noise either.
 */
import assert from "node:assert/strict";
import { grossSum, shortControl } from "./testing_run.ts";

Deno.test("negative control: on a null market the pipeline invents no edge", async () => {
  const r = await shortControl("null");
  assert.equal(r.folds.length, 4);
  assert.equal(r.passed, true, r.verdict);
  const noise = r.folds.reduce((s, f) => s + f.noise_pct, 0);
  assert.ok(grossSum(r) < noise / 2, `gross sum ${grossSum(r)} vs noise ${noise}`);
});
