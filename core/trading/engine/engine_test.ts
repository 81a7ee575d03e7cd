import assert from "node:assert/strict";
import { fixedLatency } from "../exchange/latency.ts";
import { scenario } from "../testing/testing.ts";

Deno.test("a limit decision rests post-only at the touch and fills as maker from trades", () => {
  const s = scenario();
  s.decide(1_000, { action: "buy", size: 0.1, orderType: "limit" });
  const order = [...s.engine.orders.values()][0];
  assert.equal(order?.status, "open");
  assert.equal(order?.request.price, 9999);
  assert.equal(order?.request.tif, "POST_ONLY");
  const ahead = order?.queueAhead ?? 0;
  assert.ok(ahead > 1e10, "the displayed bid size is ahead of us");
  s.engine.onEvent(s.script.trade(2_000, 9999, ahead, "sell"));
  assert.equal(s.engine.fills.length, 0, "the trade only cleared the queue ahead");
  s.engine.onEvent(s.script.trade(3_000, 9999, 2e9, "sell"));
  const fill = s.engine.fills[0];
  assert.equal(fill?.liquidity, "maker");
  assert.equal(fill?.price, 9999);
  assert.equal(fill?.fee, fill ? fill.notional / 1000n : -1n, "maker fee 0.1 %");
});

Deno.test("with latency the order fills against the book at its arrival, not at the decision", () => {
  const s = scenario({ latency: fixedLatency(250) });
  s.decide(1_000, { action: "buy", size: 0.1 });
  assert.equal(s.engine.fills.length, 0, "in flight");
  s.move(1_100, 10009, 10011); // the market moves up before the order arrives
  s.move(1_300, 10019, 10021); // first event after arrival (1,250): processed before this update
  const fill = s.engine.fills[0];
  assert.equal(fill?.price, 10011);
  assert.equal(fill?.time, 1_250);
  assert.equal(fill?.decisionMid, 10000, "slippage is measured against the mid at the decision");
});

Deno.test("equity is sampled at the start and at each minute boundary", () => {
  const s = scenario({}, 30_000);
  s.move(61_000, 9999, 10001);
  s.move(185_000, 9999, 10001);
  assert.deepEqual(s.engine.equity.map((p) => p.time), [30_000, 60_000, 180_000]);
});

Deno.test("strategies see the portfolio as the feature engine expects it", () => {
  const seen: number[][] = [];
  const s = scenario();
  s.decide(1_000, { action: "buy", size: 1 });
  const strat = s.strategy;
  const original = strat.decide;
  strat.decide = (ctx) => {
    const p = ctx.portfolio();
    seen.push([p.equity, p.cash, p.positionValue, p.unrealizedPnl, p.positionOpenedAt ?? -1]);
    return original(ctx);
  };
  s.move(2_000, 10099, 10101); // mid 101.00
  const [equity, cash, value, upnl, opened] = seen[0] as [number, number, number, number, number];
  assert.equal(opened, 1_000);
  assert.ok(Math.abs(value - 2500 * 101 / 100.01) < 0.01, `position value ${value}`);
  assert.ok(Math.abs(upnl - (value - 2500)) < 0.01);
  assert.ok(Math.abs(equity - (cash + value)) < 1e-6);
});
