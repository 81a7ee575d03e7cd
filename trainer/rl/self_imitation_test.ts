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

/** Log mid path (bps steps) where buying at even points pays over 3 steps and at odd ones loses. */
function mids(even: number, odd: number): number[] {
  const out = [100];
  for (let k = 1; k < N; k++) {
    out.push((out[k - 1] as number) * Math.exp((k % 2 === 1 ? even : odd) / 1e4));
  }
  return out;
}

function rec(k: number, action: "hold" | "buy"): ExperienceRecord {
  return {
    runId: "r",
    seq: k,
    time: TIMES[k] as number + 123,
    venue: "binance",
    symbol: "BTC/USDT",
    action,
    size: action === "buy" ? 0.8 : 0,
    positionFraction: 0,
    outcomeBps: 0,
    horizonMs: 3 * BAR,
    positionCap: 0.25,
  };
}

Deno.test("experienceTransitions() places records on the tape and prices them with the environment's reward", () => {
  const m = Array.from({ length: N }, () => 100);
  m[11] = 100.4;
  m[12] = 100.2;
  m[13] = 100.6;
  const records = [
    { ...rec(10, "buy"), positionFraction: 0.05, outcomeBps: 60 },
    { ...rec(11, "hold"), positionFraction: 0.2, outcomeBps: 20 },
    { ...rec(12, "buy"), positionFraction: 0.2, size: 1 },
    { ...rec(0, "hold"), time: TIMES[0] as number - 1 }, // before the tape
    rec(N - 2, "buy"), // horizon past the tape's end
    { ...rec(30, "buy"), positionCap: 0.5, size: 0.5 }, // the edge's own cap
  ];
  const plain = experienceTransitions(records, TIMES, m, TAPE, {
    barMs: BAR,
    feeBps: 5,
    gamma: 1,
    reward: { kind: "return", drawdownPenalty: 0, eta: 0.01 },
  });
  const t = plain.transitions;
  assert.equal(t.n, 4);
  assert.deepEqual(plain.skipped, {
    "not at a training decision point": 1,
    "horizon beyond the training decision points": 1,
  });
  const bps = (x: number) => Math.log(x) * 1e4;
  // buy 0.8 of the 0.25 cap from 5 %: Δ = 0.2, held 0.25 from k to k + 3, fee 5 bps on 0.2
  const r0 = 0.25 * bps(100.6 / 100) + bps(1 - 0.2 * 5e-4);
  assert.ok(Math.abs((t.reward[0] as number) - r0) < 1e-3, `${t.reward[0]} vs ${r0}`);
  // hold: the 20 % position rides the move from m[11] to m[14]
  assert.ok(Math.abs((t.reward[1] as number) - 0.2 * bps(100 / 100.4)) < 1e-3);
  // buy at 20 %: only 5 % of room left under the cap
  const r2 = 0.25 * bps(100 / 100.2) + bps(1 - 0.05 * 5e-4);
  assert.ok(Math.abs((t.reward[2] as number) - r2) < 1e-3);
  assert.ok(Math.abs((t.nextObs[3 * 3 + 2] as number) - 0.25) < 1e-6, "half of a 0.5 cap");
  assert.deepEqual([...t.steps], [3, 3, 3, 3]);
  assert.deepEqual([...t.choice], [1, 0, 1, 1]);
  assert.deepEqual([...t.obs.subarray(0, 3)].map((v) => Math.round(v * 100) / 100), [1, 0, 0.05]);
  assert.ok(Math.abs((t.nextObs[2] as number) - 0.25) < 1e-6, "position after the buy");
  assert.equal(t.sizeMask[1], 0);
  assert.equal(plain.usedUntil, (TIMES[30] as number) + 123 + 3 * BAR);
  // outcome check: |60 − 60.0|, |20 − (−39.8)|, |0 − (−19.9)|, |0 − 0| → median of 4 = third smallest
  assert.ok(Math.abs((plain.outcomeCheckBps as number) - 19.96) < 0.01, `${plain.outcomeCheckBps}`);
  // discount and drawdown penalty as the environment: up 8.98 bps, down 4.99 (penalized), up 9.96
  const shaped = experienceTransitions(records.slice(0, 1), TIMES, m, TAPE, {
    barMs: BAR,
    feeBps: 5,
    gamma: 0.9,
    reward: { kind: "return", drawdownPenalty: 0.5, eta: 0.01 },
  }).transitions;
  const e1 = (1 - 0.2 * 5e-4) * Math.exp(0.25 * Math.log(100.4 / 100));
  const e2 = e1 * Math.exp(0.25 * Math.log(100.2 / 100.4));
  const e3 = e2 * Math.exp(0.25 * Math.log(100.6 / 100.2));
  const dd = (e1 - e2) / e1 * 1e4;
  const want = bps(e1) + 0.9 * (bps(e2 / e1) - 0.5 * dd) + 0.81 * bps(e3 / e2);
  assert.ok(Math.abs((shaped.reward[0] as number) - want) < 1e-3, `${shaped.reward[0]} vs ${want}`);
  assert.throws(
    () =>
      experienceTransitions(records, TIMES, m, TAPE, {
        barMs: BAR,
        feeBps: 5,
        gamma: 1,
        reward: { kind: "dsr", drawdownPenalty: 0, eta: 0.01 },
      }),
    /dsr/,
  );
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
  for (let k = 0; k < N - 4; k++) records.push(rec(k, k % 4 < 2 ? "buy" : "hold"));
  // buying in A (even points) pays over the 3-step horizon when even steps rise, else B pays
  const m = good === "A" ? mids(30, -20) : mids(-20, 30);
  const { transitions } = experienceTransitions(records, TIMES, m, TAPE, {
    barMs: BAR,
    feeBps: 1,
    gamma: 0.99,
    reward: { kind: "return", drawdownPenalty: 0.5, eta: 0.01 },
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
