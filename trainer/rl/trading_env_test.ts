import assert from "node:assert/strict";
import { evaluatePolicy } from "./evaluate.ts";
import { TopOfBookExecution } from "./execution.ts";
import { RewardTracker } from "./reward.ts";
import { type MarketTape, TradingEnv } from "./trading_env.ts";

const tape = (mids: number[]): MarketTape => ({
  emb: new Float32Array(mids.length * 2),
  embSize: 2,
  quotes: mids.map((m) => ({ bid: m - 0.5, ask: m + 0.5 })),
});

Deno.test("TopOfBookExecution fills buys at the ask with fee and slippage, caps sells by the position", () => {
  const x = new TopOfBookExecution({ feeBps: 10, slippageBps: 0 });
  x.reset(1000);
  x.trade("buy", 0.25, { bid: 99.5, ask: 100.5 });
  let a = x.account({ bid: 99.5, ask: 100.5 });
  assert.ok(Math.abs(a.position - 250 / 100.5) < 1e-12);
  assert.ok(Math.abs(a.cash - (1000 - 250 * 1.001)) < 1e-9);
  assert.ok(Math.abs(a.fees - 0.25) < 1e-12);
  x.trade("sell", 1, { bid: 99.5, ask: 100.5 }); // more than held: sells the position only
  a = x.account({ bid: 99.5, ask: 100.5 });
  assert.equal(a.position, 0);
  assert.equal(a.trades, 2);
  assert.ok(a.equity < 1000, "a round trip costs spread and fees");
});

Deno.test("TradingEnv fills at the next bar's quote: a buy before a jump does not capture it", () => {
  const env = new TradingEnv(
    tape([100, 200, 200, 200]),
    new TopOfBookExecution({ feeBps: 0, slippageBps: 0 }),
    {
      episodeLength: 3,
      cash: 1000,
      reward: { kind: "return", drawdownPenalty: 0, eta: 0.01 },
      seed: 1,
    },
  );
  const obs = env.reset();
  assert.equal(obs.length, 3);
  const s = env.step({ choice: 1, u: 100 }); // buy 25 % at bar 1's ask (200.5), marked at bar 1's bid
  assert.ok(s.reward < 0, `reward ${s.reward}: bought after the jump, pays the spread`);
  assert.ok(
    Math.abs((s.obs[2] as number) - 0.25 * 199.5 / 200.5) < 1e-3,
    "position fraction observed",
  );
});

Deno.test("RewardTracker penalizes only increases of the drawdown", () => {
  const r = new RewardTracker({ kind: "return", drawdownPenalty: 1, eta: 0.01 });
  r.reset(100);
  const down = r.step(100, 99); // -100.5 bps return, +100 bps drawdown
  const flatAtLow = r.step(99, 99);
  const up = r.step(99, 100);
  assert.ok(Math.abs(down - (Math.log(0.99) * 1e4 - 100)) < 1e-9);
  assert.equal(flatAtLow, 0);
  assert.ok(up > 0);
});

Deno.test("evaluatePolicy() reports baselines and says plainly when the policy loses", async () => {
  const mids = Array.from({ length: 40 }, (_, i) => 100 + i);
  const report = await evaluatePolicy(
    tape(mids),
    () => ({ side: "hold", fraction: 0 }),
    new Array(40).fill(0),
    {
      feeBps: 10,
      slippageBps: 0,
    },
    { folds: 2, barMs: 1000, heuristicThreshold: 0.3 },
  );
  assert.equal(report.folds.length, 2);
  assert.ok((report.mean_net_return_pct.buy_and_hold as number) > 0);
  assert.equal(report.mean_net_return_pct.flat, 0);
  assert.ok(
    (report.mean_gross_return_pct.buy_and_hold as number) >
      (report.mean_net_return_pct.buy_and_hold as number),
  );
  assert.match(report.verdict, /does NOT beat buy_and_hold/);
});
