import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { applyControl, type ControlCommand, NO_MODEL_DETAIL } from "./controls.ts";
import { fixedLatency } from "../exchange/latency.ts";
import type { Order } from "../orders/order.ts";
import { scenario } from "../testing/testing.ts";

const BUY = { action: "buy", size: 0.5 } as const; // half the cap: room for a second entry
const SELL = { action: "sell", size: 0.5 } as const;
const cmd = (command: string, id = 1): ControlCommand => ({ id, command, source: "test@op" });
const held = (s: ReturnType<typeof scenario>) =>
  s.engine.ledger.position("binance", "BTC/USDT").qty;

Deno.test("pause_entries blocks entries, lets exits through, and resume lifts it", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  assert.ok(held(s) > 0);
  const out = applyControl(s.engine, cmd("pause_entries"), 1_500);
  assert.equal(out.status, "applied");
  assert.equal(s.engine.risk.state, "REDUCING");
  assert.match(s.engine.risk.reason, /entries paused by test@op/);
  assert.equal(s.engine.risk.snapshot().paused, s.engine.risk.reason);
  assert.match(JSON.stringify(s.engine.riskLog.at(-1)), /REDUCING.*entries paused by test@op/);
  s.decide(2_000, BUY);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /entries blocked: entries paused/);
  assert.equal(s.engine.fills.length, 1);
  s.decide(3_000, SELL);
  assert.equal(s.engine.fills.length, 2, "the exit passes while paused");
  assert.equal(s.engine.fills[1]?.side, "sell");
  assert.match(applyControl(s.engine, cmd("pause_entries"), 3_500).detail, /already paused/);
  const r = applyControl(s.engine, cmd("resume"), 4_000);
  assert.equal(r.status, "applied");
  assert.match(r.detail, /entries resumed; state ACTIVE/);
  assert.equal(s.engine.risk.state, "ACTIVE");
  s.decide(5_000, BUY);
  assert.equal(s.engine.fills.length, 3, "entries allowed again");
  assert.equal(s.engine.fills[2]?.side, "buy");
});

Deno.test("flatten_all cancels open orders and sells every position; later entries stay", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  const resting = s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "buy",
    type: "limit",
    price: 9000 as Ticks,
    size: 100_000_000 as Lots,
  }, 1_200) as Order;
  assert.equal(resting.status, "open");
  const out = applyControl(s.engine, cmd("flatten_all"), 2_000);
  assert.equal(out.status, "applied");
  assert.match(out.detail, /1 open order\(s\) cancelled; binance:BTC\/USDT .* BTC: exit order o3/);
  assert.equal(resting.status, "cancelled");
  assert.equal(held(s), 0);
  assert.equal(s.engine.fills.at(-1)?.tag, "flatten_all");
  assert.equal(s.engine.risk.state, "ACTIVE", "flatten does not pause");
  s.decide(3_000, BUY);
  s.move(4_000, 9999, 10001);
  assert.ok(held(s) > 0, "a new entry after the flatten is kept");
  assert.equal(s.engine.fills.filter((f) => f.tag === "flatten_all").length, 1);
  const flat = scenario();
  assert.match(
    applyControl(flat.engine, cmd("flatten_all"), 1_000).detail,
    /0 open order\(s\) cancelled; no position held/,
  );
});

Deno.test("flatten_all on a halted book waits for a fresh snapshot, then exits", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  s.engine.onEvent(s.script.delta(1_500, [[9998, 5]], [], 3)); // sequence gap: book halted
  const out = applyControl(s.engine, cmd("flatten_all"), 2_000);
  assert.match(out.detail, /exit when the book is tradable/);
  assert.ok(held(s) > 0);
  s.engine.onEvent(s.script.snapshot(3_000, [[9999, 1e10]], [[10001, 1e10]]));
  s.move(3_100, 9999, 10001);
  assert.equal(held(s), 0, "sold once the book was tradable again");
  assert.equal(s.engine.fills.at(-1)?.tag, "flatten_all");
});

Deno.test("with latency, the locked part is sold after the cancels reach the book", () => {
  const s = scenario({ latency: fixedLatency(100) });
  s.decide(1_000, BUY);
  s.move(1_200, 9999, 10001); // the entry arrives
  const qty = held(s);
  s.engine.submit({
    venue: "binance",
    symbol: "BTC/USDT",
    side: "sell",
    type: "limit",
    price: 10500 as Ticks,
    size: qty,
    reduceOnly: true,
  }, 1_300);
  s.move(1_450, 9999, 10001); // the limit sell rests, locking the whole position
  const out = applyControl(s.engine, cmd("flatten_all"), 2_000);
  assert.match(out.detail, /exit once the cancels reach the book/);
  for (let t = 2_100; t <= 2_600; t += 100) s.move(t, 9999, 10001);
  assert.equal(held(s), 0);
  assert.equal(s.engine.fills.at(-1)?.tag, "flatten_all");
});

Deno.test("kill_switch halts: cancel all, flatten, nothing passes until resume", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  const out = applyControl(s.engine, cmd("kill_switch"), 2_000);
  assert.equal(out.status, "applied");
  assert.match(out.detail, /kill switch engaged, HALTED until resume/);
  assert.equal(s.engine.risk.state, "HALTED");
  assert.match(s.engine.risk.reason, /kill switch: by test@op/);
  assert.equal(held(s), 0);
  assert.equal(s.engine.fills.at(-1)?.tag, "kill_switch");
  s.decide(3_000, BUY);
  assert.match(s.engine.decisions.at(-1)?.rejected ?? "", /trading halted/);
  const f = applyControl(s.engine, cmd("flatten_all"), 3_500);
  assert.equal(f.status, "rejected");
  assert.match(f.detail, /HALTED .* send resume first/);
  assert.match(applyControl(s.engine, cmd("kill_switch"), 3_600).detail, /already HALTED/);
  const r = applyControl(s.engine, cmd("resume"), 4_000);
  assert.match(r.detail, /kill switch released; state ACTIVE/);
  s.decide(5_000, BUY);
  assert.ok(held(s) > 0);
});

Deno.test("resume keeps other breakers; reload_model and unknown commands change nothing", () => {
  const s = scenario();
  s.decide(1_000, BUY);
  s.engine.risk.onEquity(2_000, 10_000);
  s.engine.risk.onEquity(3_000, 8_000); // 20 % drawdown: REDUCING
  applyControl(s.engine, cmd("pause_entries"), 3_000);
  const r = applyControl(s.engine, cmd("resume"), 4_000);
  assert.match(r.detail, /entries resumed; state REDUCING \(still REDUCING: max drawdown/);
  const before = JSON.stringify(s.engine.risk.snapshot());
  const fills = s.engine.fills.length;
  assert.deepEqual(applyControl(s.engine, cmd("reload_model"), 5_000), {
    status: "applied",
    detail: NO_MODEL_DETAIL,
  });
  const bad = applyControl(s.engine, cmd("sell_everything"), 5_000);
  assert.equal(bad.status, "rejected");
  assert.match(bad.detail, /unknown command "sell_everything": expected one of pause_entries/);
  assert.equal(JSON.stringify(s.engine.risk.snapshot()), before);
  assert.equal(s.engine.fills.length, fills);
  assert.match(applyControl(s.engine, cmd("resume"), NaN).detail, /not processed any event/);
});
