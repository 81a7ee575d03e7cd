import assert from "node:assert/strict";
import type { ExperienceRecord } from "../data/experience.ts";
import { compile, initBackend, keepTree, type Tensor, tensor, toHost } from "../nn/backend.ts";
import type { Params } from "../nn/layers.ts";
import { experienceTransitions } from "./experience_buffer.ts";
import { initPolicy, policyForward, uploadPolicy } from "./policy.ts";
import { SelfImitation } from "./self_imitation.ts";
import type { MarketTape } from "./trading_env.ts";

const BAR = 1_000;
const N = 200;
/** Even points are state A = [1, 0], odd ones state B = [0, 1]. */
const TAPE: MarketTape = {
  emb: Float32Array.from({ length: N * 2 }, (_, i) => (i % 2 === (i >> 1) % 2 ? 1 : 0)),
  embSize: 2,
};
const TIMES = Array.from({ length: N }, (_, k) => 1_000_000 + k * BAR);

function rec(k: number, action: "hold" | "buy", outcomeBps: number): ExperienceRecord {
  return {
    runId: "r",
    seq: k,
    time: TIMES[k] as number + 123,
    venue: "binance",
    symbol: "BTC/USDT",
    action,
    size: action === "buy" ? 0.8 : 0,
    positionFraction: 0,
    outcomeBps,
    horizonMs: 3 * BAR,
  };
}

Deno.test("experienceTransitions() matches records to decision points and prices them in bps of equity", () => {
  const records = [
    { ...rec(10, "buy", 40), positionFraction: 0.05 },
    { ...rec(11, "hold", -20), positionFraction: 0.2 },
    { ...rec(12, "buy", 40), positionFraction: 0.2, size: 1 },
    { ...rec(0, "hold", 0), time: TIMES[0] as number - 1 }, // before the tape
    rec(N - 2, "buy", 10), // horizon past the tape's end
  ];
  const { transitions: t, skipped } = experienceTransitions(records, TIMES, TAPE, {
    barMs: BAR,
    feeBps: 5,
    cap: 0.25,
  });
  assert.equal(t.n, 3);
  assert.deepEqual(skipped, {
    "not at a training decision point": 1,
    "horizon beyond the training decision points": 1,
  });
  // buy 0.8 of the 0.25 cap from 5 %: Δ = 0.2; (0.05 + 0.2)·40 − 0.2·5 = 9
  assert.ok(Math.abs((t.reward[0] as number) - 9) < 1e-5);
  assert.equal(t.reward[1], 0.2 * -20); // hold: the position rides the move
  // buy at 20 %: only 5 % of room left under the cap
  assert.ok(Math.abs((t.reward[2] as number) - (0.25 * 40 - 0.05 * 5)) < 1e-5);
  assert.deepEqual([...t.steps], [3, 3, 3]);
  assert.deepEqual([...t.choice], [1, 0, 1]);
  assert.deepEqual([...t.obs.subarray(0, 3)].map((v) => Math.round(v * 100) / 100), [1, 0, 0.05]);
  assert.ok(Math.abs((t.nextObs[2] as number) - 0.25) < 1e-6, "position after the buy");
  assert.equal(t.sizeMask[1], 0);
});

async function buyProbability(p: Params, state: [number, number]): Promise<number> {
  const f = compile((q: Params, o: Tensor) => policyForward(q, o));
  const out = f(keepTree(p), tensor([...state, 0], [1, 3]));
  const logp = await toHost(out.logp);
  for (const t of [out.mean, out.logStd, out.value]) t.dispose();
  return Math.exp(logp[1] as number);
}

async function replayed(good: "A" | "B"): Promise<{ a: number; b: number; a0: number }> {
  await initBackend();
  const records: ExperienceRecord[] = [];
  for (let k = 0; k < N - 4; k++) {
    const isA = k % 2 === 0;
    records.push(rec(k, k % 4 < 2 ? "buy" : "hold", isA === (good === "A") ? 60 : -60));
  }
  const { transitions } = experienceTransitions(records, TIMES, TAPE, {
    barMs: BAR,
    feeBps: 1,
    cap: 0.25,
  });
  let params = uploadPolicy(initPolicy({ obsSize: 3, choices: 3, hidden: 16 }, 5));
  const a0 = await buyProbability(params, [1, 0]);
  const sil = new SelfImitation(transitions, 3, {
    batch: 32,
    stepsPerUpdate: 20,
    valueCoef: 0.01,
    gamma: 0.99,
    maxGradNorm: 0.5,
    seed: 1,
  });
  for (let i = 0; i < 10; i++) params = (await sil.replay(params, 3e-3)).params;
  sil.dispose();
  return {
    a: await buyProbability(params, [1, 0]),
    b: await buyProbability(params, [0, 1]),
    a0,
  };
}

Deno.test("self-imitation learns from the recorded buys that paid, not from those that lost", async () => {
  const goodA = await replayed("A");
  assert.ok(goodA.a0 > 0.25 && goodA.a0 < 0.42, `starts near uniform: ${goodA.a0}`);
  assert.ok(goodA.a > 0.8, `buys in A after replay: ${goodA.a}`);
  assert.ok(goodA.b < goodA.a0, `does not copy the losing buys in B: ${goodA.b}`);
  const goodB = await replayed("B");
  assert.ok(goodB.b > 0.8, `buys in B when B pays: ${goodB.b}`);
  assert.ok(goodB.a < goodB.a0, `and not in A: ${goodB.a}`);
});
