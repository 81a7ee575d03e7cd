import assert from "node:assert/strict";
import { type EvalReport, evaluatePolicy, type Rule } from "./evaluate.ts";
import { TopOfBookExecution } from "./execution.ts";

const quotes = Array.from({ length: 200 }, (_, i) => {
  const mid = 100 * (1 + 0.001 * Math.sin(i / 7));
  return { bid: mid * (1 - 1e-4), ask: mid * (1 + 1e-4) };
});
const port = (withCosts: boolean) =>
  new TopOfBookExecution(quotes, { feeBps: withCosts ? 1 : 0, slippageBps: 0 });
const alternate: Rule = (
  k,
) => (k % 10 === 0
  ? { side: "buy", size: 1 }
  : k % 10 === 5
  ? { side: "sell", size: 1 }
  : { side: "hold", size: 0 });
const opts = { folds: 4, barMs: 1000, heuristicThreshold: 0.5 };

Deno.test("walk-forward resume: finished folds are reused, the rest recomputed identically", async () => {
  const saved: EvalReport["folds"] = [];
  const full = await evaluatePolicy(port, () => alternate, new Array(200).fill(0), {
    ...opts,
    onFold: (f, r) => {
      saved[f] = r;
    },
  });
  assert.equal(saved.length, 4);
  const built: number[] = [];
  const resumed = await evaluatePolicy(
    port,
    (f) => {
      built.push(f);
      return alternate;
    },
    new Array(200).fill(0),
    { ...opts, done: saved.slice(0, 2) },
  );
  assert.deepEqual(built, [2, 3], "only the unfinished folds build a policy");
  assert.deepEqual(resumed.folds, full.folds);
  assert.equal(resumed.verdict, full.verdict);
});
