import assert from "node:assert/strict";
import { DEFAULT_RISK } from "../risk/risk.ts";
import { scenario } from "../testing/testing.ts";
import type { Lots } from "../../market/fixed_point.ts";

const BUY = { action: "buy", size: 1 } as const;
const SELL = { action: "sell", size: 1 } as const;

Deno.test("stop-loss exits the position with a tagged reduce-only order", () => {
  const s = scenario({ exits: { stopLossPct: 0.02 } });
  s.decide(1_000, BUY);
  assert.equal(s.engine.fills.length, 1);
  assert.equal(s.engine.fills[0]?.price, 10001);
  s.move(2_000, 9850, 9852); // mid 98.51 > 100.01 * 0.98 = 98.0098
  assert.equal(s.engine.fills.length, 1);
  s.move(3_000, 9799, 9801); // mid 98.00
  assert.equal(s.engine.fills.length, 2);
  assert.equal(s.engine.fills[1]?.tag, "stop_loss");
  assert.equal(s.engine.fills[1]?.side, "sell");
  assert.equal(s.engine.ledger.position("binance", "BTC/USDT").qty, 0);
});

Deno.test("take-profit exits at the target", () => {
  const s = scenario({ exits: { takeProfitPct: 0.04 } });
  s.decide(1_000, BUY);
  s.move(2_000, 10390, 10392);
  assert.equal(s.engine.fills.length, 1);
  s.move(3_000, 10410, 10412);
  assert.equal(s.engine.fills[1]?.tag, "take_profit");
});

Deno.test("trailing stop arms on the activation gain and fires on the give-back", () => {
  const s = scenario({ exits: { trailing: { activationPct: 0.01, deltaPct: 0.005 } } });
  s.decide(1_000, BUY);
  s.move(2_000, 10149, 10151); // mid 101.50: armed, peak 101.50
  s.move(3_000, 10119, 10121); // 101.20 > 101.50 * 0.995 = 100.9925
  assert.equal(s.engine.fills.length, 1);
  s.move(4_000, 10089, 10091); // 100.90
  assert.equal(s.engine.fills[1]?.tag, "trailing_stop");
});

Deno.test("max drawdown breaker: REDUCING blocks entries and lets exits through", () => {
  const s = scenario({ risk: { ...DEFAULT_RISK, maxDrawdownPct: 0.01 } });
  s.decide(1_000, BUY); // 25 % of 10,000 in BTC at 100.01
  s.move(30_000, 9499, 9501); // -5 % on the position = -1.25 % equity
  s.move(61_000, 9499, 9501); // minute sample
  assert.equal(s.engine.risk.state, "REDUCING");
  assert.match(s.engine.risk.reason, /max drawdown/);
  s.decide(62_000, BUY);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /entries blocked: max drawdown/);
  assert.equal(s.engine.fills.length, 1);
  s.decide(63_000, SELL);
  assert.equal(s.engine.fills.length, 2, "the exit passes");
  assert.equal(s.engine.ledger.position("binance", "BTC/USDT").qty, 0);
});

Deno.test("daily loss limit blocks entries until 00:00 UTC, then resets", () => {
  const day = Date.UTC(2024, 0, 1);
  const s = scenario(
    { risk: { ...DEFAULT_RISK, dailyLossPct: 0.005, maxDrawdownPct: 0.5 } },
    day - 10 * 60_000,
  );
  s.decide(day - 9 * 60_000, BUY);
  s.move(day - 8.5 * 60_000, 9699, 9701);
  s.move(day - 8 * 60_000 + 1, 9699, 9701); // minute sample: -0.75 %
  assert.equal(s.engine.risk.state, "REDUCING");
  assert.match(s.engine.risk.reason, /daily loss/);
  s.decide(day - 60_000 + 5, BUY);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /daily loss/);
  s.move(day + 1, 9699, 9701); // first sample of the new UTC day
  assert.equal(s.engine.risk.state, "ACTIVE");
  s.decide(day + 2_000, BUY);
  assert.equal(s.engine.decisions.at(-1)?.rejected, undefined);
  assert.equal(s.engine.fills.length, 2);
});

Deno.test("cooldown after consecutive losing round trips blocks entries, then expires", () => {
  const s = scenario({ risk: { ...DEFAULT_RISK, maxConsecutiveLosses: 2, cooldownMs: 600_000 } });
  for (let i = 0; i < 2; i++) {
    s.decide(1_000 + i * 2_000, BUY);
    s.decide(2_000 + i * 2_000, SELL); // pays the spread and fees: a loss
  }
  assert.equal(s.engine.ledger.roundTrips().length, 2);
  s.decide(10_000, BUY);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /cooldown/);
  s.decide(4_000 + 600_000, BUY);
  assert.equal(s.engine.decisions.at(-1)?.rejected, undefined);
});

Deno.test("kill switch cancels open orders, flattens and then rejects everything", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  const held = s.engine.ledger.position("binance", "BTC/USDT").qty;
  const resting = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "sell",
    type: "limit",
    price: 10100 as never,
    size: 10_000_000 as Lots,
    reduceOnly: true,
  }, 1_500);
  assert.ok(!("ok" in resting));
  s.engine.kill(2_000, "operator", { flatten: true });
  assert.equal(resting.status, "cancelled");
  assert.equal(s.engine.risk.state, "HALTED");
  assert.equal(s.engine.fills.at(-1)?.tag, "kill_switch");
  assert.equal(s.engine.fills.at(-1)?.size, held);
  const r = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    size: 100_000_000 as Lots,
  }, 3_000);
  assert.equal("ok" in r && r.code, "halted");
  s.engine.risk.releaseKill(4_000);
  assert.equal(s.engine.risk.state, "ACTIVE");
});

Deno.test("invalid decisions (NaN size, unknown action) are rejected with reasons", () => {
  const s = scenario();
  s.decide(1_000, { action: "buy", size: NaN });
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /size must be in 0\.\.1, got NaN/);
  s.decide(2_000, { action: "short" as never, size: 1 });
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /action must be buy, sell or hold/);
  s.decide(3_000, SELL);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /no position/);
  assert.equal(s.engine.fills.length, 0);
});

Deno.test("orders beyond the cash balance are rejected; reduce-only cannot exceed the position", () => {
  const s = scenario();
  const big = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    size: 20_000_000_000 as Lots,
  }, 1_000);
  assert.equal("ok" in big && big.code, "balance");
  const ro = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "sell",
    type: "market",
    size: 100_000_000 as Lots,
    reduceOnly: true,
  }, 1_000);
  assert.equal("ok" in ro && ro.code, "reduce_only");
});

Deno.test("an exit signal cancels a resting order on the book and then exits", () => {
  const s = scenario({ exits: { stopLossPct: 0.02 } });
  s.decide(1_000, BUY);
  const tp = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "sell",
    type: "limit",
    price: 10400 as never,
    size: 100_000_000 as Lots,
    reduceOnly: true,
    tag: "manual",
  }, 1_500);
  assert.ok(!("ok" in tp) && tp.status === "open");
  s.move(2_000, 9799, 9801);
  assert.equal(tp.status, "cancelled");
  assert.equal(s.engine.fills.at(-1)?.tag, "stop_loss");
  assert.equal(s.engine.ledger.position("binance", "BTC/USDT").qty, 0);
});

Deno.test("entry orders are rate-limited per rolling minute; exits are not", () => {
  const s = scenario({
    risk: { ...DEFAULT_RISK, maxEntriesPerMinute: 2, maxConsecutiveLosses: 99 },
  });
  const buy = {
    venue: "binance",
    symbol: "BTC/USDT",
    side: "buy",
    type: "market",
    size: 10_000_000 as Lots,
  } as const;
  assert.ok(!("ok" in s.engine.submit(buy, 1_000)));
  assert.ok(!("ok" in s.engine.submit(buy, 2_000)));
  const third = s.engine.submit(buy, 3_000);
  assert.equal("ok" in third && third.code, "rate");
  const exit = s.engine.submit({ ...buy, side: "sell", reduceOnly: true }, 3_500);
  assert.ok(!("ok" in exit), "exits pass");
  assert.ok(!("ok" in s.engine.submit(buy, 61_001)), "the window rolled");
});
