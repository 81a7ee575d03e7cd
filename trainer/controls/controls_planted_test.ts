/**
 * Short positive control of the whole pipeline (the full one:
 * `deno task train:controls`): 2 hours of a planted market, trainer reader ->
 * shared feature engine -> dataset with embargo -> walk-forward over 4 folds,
 * each retraining pretraining and PPO on the data before it, trading through
 * the shared engine with 1 bp fees per leg. On 15-minute folds buy-and-hold's
 * drift and the fees outweigh the edge, so the short version checks that the
 * policy earns gross of fees on at least 3 of 4 folds and in total (it found
 * the signal); controls_null_test.ts runs the same settings on a null market.
 */
import assert from "node:assert/strict";
import { grossSum, shortControl } from "./testing_run.ts";

Deno.test("positive control: on a planted market the policy finds the signal (gross)", async () => {
  const r = await shortControl("planted");
  assert.equal(r.folds.length, 4);
  const positive = r.folds.filter((f) => f.policy_gross_pct > 0).length;
  assert.ok(positive >= 3, `gross > 0 on ${positive} of 4 folds: ${r.verdict}`);
  assert.ok(grossSum(r) > 0, `gross sum ${grossSum(r)}`);
});
