import assert from "node:assert/strict";
import { loadRecordings } from "../backtest/recording.ts";
import { EngineExecution, instrumentsOf, trainerEngineConfig } from "./engine_execution.ts";
import { evaluatePolicy } from "./evaluate.ts";
import { type Quote, TopOfBookExecution } from "./execution.ts";
import { RewardTracker } from "./reward.ts";
import { TradingEnv } from "./trading_env.ts";

const quotes = (mids: number[]): Quote[] => mids.map((m) => ({ bid: m - 0.5, ask: m + 0.5 }));

Deno.test("TopOfBookExecution fills at the next decision's ask with fee, within the 25 % position cap", () => {
  const x = new TopOfBookExecution(quotes([100, 100, 100]), { feeBps: 10, slippageBps: 0 }, 1000);
  x.reset(0);
  x.order("buy", 1);
  x.advance(1);
  let a = x.account();
  assert.ok(Math.abs(a.cash - (1000 - 250 * 1.001)) < 1e-9, `cash ${a.cash}`);
  assert.ok(Math.abs(a.fees - 0.25) < 1e-12);
  assert.ok(a.positionFraction > 0.24 && a.positionFraction < 0.25);
  x.order("sell", 1);
  x.advance(2);
  a = x.account();
  assert.equal(a.positionFraction, 0);
  assert.equal(a.trades, 2);
  assert.ok(a.equity < 1000, "a round trip costs spread and fees");
});

Deno.test("TradingEnv fills on the way to the next decision: a buy before a jump does not capture it", () => {
  const port = new TopOfBookExecution(quotes([100, 200, 200, 200]), { feeBps: 0, slippageBps: 0 });
  const env = new TradingEnv({ emb: new Float32Array(8), embSize: 2 }, port, {
    episodeLength: 3,
    reward: { kind: "return", drawdownPenalty: 0, eta: 0.01 },
    seed: 1,
  });
  const obs = env.reset();
  assert.equal(obs.length, 3);
  const s = env.step({ choice: 1, u: 100 }); // buy at decision 1's ask (200.5), marked at its bid
  assert.ok(s.reward < 0, `reward ${s.reward}: bought after the jump, pays the spread`);
  assert.ok(Math.abs((s.obs[2] as number) - port.account().positionFraction) < 1e-6);
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

Deno.test("evaluatePolicy() reports baselines gross and net and says plainly when the policy loses", async () => {
  const q = quotes(Array.from({ length: 40 }, (_, i) => 100 + i));
  const report = await evaluatePolicy(
    (withCosts) => new TopOfBookExecution(q, { feeBps: withCosts ? 10 : 0, slippageBps: 0 }),
    () => () => ({ side: "hold", size: 0 }),
    new Array(40).fill(0),
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

Deno.test("EngineExecution trades through core/trading on the recorded book: sized, charged, marked", async () => {
  const files = ["btcusdt_20240808.gz", "btcusdt_20240809.gz"].map((f) =>
    new URL(`../../testdata/binance-spot/${f}`, import.meta.url).pathname
  );
  const events = await loadRecordings(files);
  const t0 = Math.ceil((events[0]?.receiveTime ?? 0) / 1000) * 1000 + 60_000;
  const times = Array.from({ length: 20 }, (_, i) => t0 + i * 1000);
  const inst = instrumentsOf(events);
  const net = new EngineExecution(events, times, () => trainerEngineConfig(inst, 10));
  net.reset(0);
  const start = net.account();
  assert.equal(start.equity, 10_000);
  assert.equal(start.trades, 0);
  net.order("buy", 1);
  net.advance(1);
  const a = net.account();
  assert.ok(a.trades >= 1, "the engine filled the order on the events after the decision");
  assert.ok(
    a.positionFraction > 0.2 && a.positionFraction <= 0.2501,
    `position ${a.positionFraction}`,
  );
  assert.ok(Math.abs(a.fees - 2.5) < 0.1, `fees ${a.fees} (10 bps of ~2,500)`);
  const gross = new EngineExecution(events, times, () => trainerEngineConfig(inst, 0));
  gross.reset(0);
  gross.order("buy", 1);
  gross.advance(1);
  assert.equal(gross.account().fees, 0);
});

Deno.test("evaluatePolicy() asks for a policy per fold (walk-forward retraining hook)", async () => {
  const q = quotes(Array.from({ length: 30 }, (_, i) => 100 + i));
  const asked: [number, number, number][] = [];
  const report = await evaluatePolicy(
    (withCosts) => new TopOfBookExecution(q, { feeBps: withCosts ? 10 : 0, slippageBps: 0 }),
    (fold, from, to) => {
      asked.push([fold, from, to]);
      return fold === 1 ? () => ({ side: "buy", size: 1 }) : () => ({ side: "hold", size: 0 });
    },
    new Array(30).fill(0),
    { folds: 3, barMs: 1000, heuristicThreshold: 0.3 },
  );
  assert.deepEqual(asked, [[0, 0, 10], [1, 10, 20], [2, 20, 30]]);
  assert.equal(report.folds[0]?.net.policy?.trades, 0);
  assert.ok((report.folds[1]?.net.policy?.trades ?? 0) > 0);
});
