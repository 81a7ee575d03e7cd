import assert from "node:assert/strict";
import type { Ticks } from "../../market/fixed_point.ts";
import { TradingEngine } from "./engine.ts";
import { captureState } from "./engine_state.ts";
import { scenario, scriptedStrategy } from "../testing/testing.ts";

Deno.test("restore brings back balances, positions, trips and risk; open orders are cancelled", () => {
  const s = scenario();
  s.decide(1_000, { action: "buy", size: 1 });
  s.decide(2_000, { action: "sell", size: 0.5 });
  const open = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "sell",
    type: "limit",
    price: 10200 as Ticks,
    size: s.engine.ledger.position("binance", "BTC/USDT").qty,
    reduceOnly: true,
  }, 3_000);
  assert.ok(!("ok" in open) && open.status === "open");
  s.engine.risk.kill(3_500, "test");
  const state = captureState(s.engine);
  const json = JSON.parse(
    JSON.stringify(state, (_k, v) => typeof v === "bigint" ? `${v}n` : v),
    (_k, v) => typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  );

  const fresh = new TradingEngine(s.engine.cfg, scriptedStrategy());
  const cancelled = fresh.restore(json, { now: 63_500 });
  assert.deepEqual(fresh.ledger.balances(), s.engine.ledger.balances());
  assert.deepEqual(
    fresh.ledger.position("binance", "BTC/USDT"),
    s.engine.ledger.position("binance", "BTC/USDT"),
  );
  assert.deepEqual(fresh.counters, s.engine.counters);
  assert.equal(fresh.feesPaid, s.engine.feesPaid);
  assert.equal(fresh.risk.state, "HALTED");
  assert.equal(cancelled.length, 1);
  assert.equal(fresh.orders.get(open.id)?.status, "cancelled");
  assert.match(fresh.orders.get(open.id)?.reason ?? "", /after downtime/);
  assert.match(JSON.stringify(fresh.riskLog), /downtime gap of 61\.5 s/);
  // Reservations are not carried over: the whole base balance is available again.
  assert.equal(fresh.ledger.available("binance", "BTC"), fresh.ledger.balance("binance", "BTC"));
});
