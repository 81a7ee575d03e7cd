import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { makeInstrument } from "../../market/instrument.ts";
import { BinanceBookSync } from "../../market/binance_sync.ts";
import { DEFAULT_BOOK_GUARD } from "../books/book_guard.ts";
import { TradingEngine } from "./engine.ts";
import { defaultEngineConfig } from "./engine_config.ts";
import { DEFAULT_RISK } from "../risk/risk.ts";
import { EventScript, scenario, scriptedStrategy, testInstrument } from "../testing/testing.ts";

const BUY = { action: "buy", size: 1 } as const;
const marketBuy = {
  venue: "binance",
  symbol: "BTC/USDT",
  side: "buy",
  type: "market",
  size: 10_000_000 as Lots,
} as const;

Deno.test("stale book halts trading until a fresh snapshot", () => {
  const s = scenario({ bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 5_000 } });
  s.engine.onEvent(s.script.trade(7_000, 9999, 1000, "sell"));
  const r = s.engine.submit(marketBuy, 7_000);
  assert.equal("ok" in r && r.code, "book_halted");
  assert.match("ok" in r ? r.reason : "", /stale/);
  s.move(8_000, 9999, 10001); // in-sequence update: still halted (needs a snapshot)
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, false);
  s.engine.onEvent(s.script.snapshot(9_000, [[9999, 1e10]], [[10001, 1e10]]));
  const ok = s.engine.submit(marketBuy, 9_000);
  assert.ok(!("ok" in ok));
  assert.equal(ok.status, "filled");
});

Deno.test("a sequence gap halts the book: resting orders cancelled, no trades, no decisions", () => {
  const s = scenario();
  const rest = s.engine.submit({ ...marketBuy, type: "limit", price: 9990 as Ticks }, 500);
  assert.ok(!("ok" in rest) && rest.status === "open");
  s.engine.onEvent(s.script.delta(1_000, [[9998, 5]], [], 3)); // gap
  assert.equal(rest.status, "cancelled");
  assert.match(rest.reason ?? "", /gap/);
  s.strategy.queue.push(BUY);
  s.engine.onEvent(s.script.delta(1_100, [[9997, 5]], []));
  s.engine.onEvent(s.script.trade(1_200, 9990, 1e9, "sell"));
  assert.equal(s.engine.fills.length, 0);
  assert.equal(s.strategy.queue.length, 1, "the strategy was not asked on a halted book");
  s.engine.onEvent(s.script.snapshot(2_000, [[9999, 1e10]], [[10001, 1e10]]));
  assert.equal(s.strategy.queue.length, 0);
  assert.equal(s.engine.fills.length, 1);
  const log = s.engine.riskLog.map((c) => "halted" in c ? `${c.halted}:${c.reason}` : "");
  assert.deepEqual(log, ["true:gap", "false:gap"]);
});

Deno.test("a checksum mismatch halts the book until a snapshot", () => {
  const s = scenario({ checksums: { binance: (book) => book.levelCount("bid") } });
  s.engine.onEvent(s.script.deltaWithChecksum(1_000, [[9998, 5]], [], 2));
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
  s.engine.onEvent(s.script.deltaWithChecksum(1_100, [[9997, 5]], [], 7));
  assert.match(s.engine.runner("binance", "BTC/USDT")?.haltReason ?? "", /checksum/);
  const r = s.engine.submit(marketBuy, 1_200);
  assert.equal("ok" in r && r.code, "book_halted");
});

Deno.test("spread blow-out halts while wide and resumes when normal", () => {
  const s = scenario({ bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 1e9, maxSpreadBps: 50 } });
  s.move(1_000, 9900, 10100); // 200 bps
  assert.match(s.engine.runner("binance", "BTC/USDT")?.haltReason ?? "", /spread/);
  assert.equal("ok" in s.engine.submit(marketBuy, 1_000), true);
  s.move(2_000, 9999, 10001);
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
});

Deno.test("a price jump beyond k sigma halts for the pause, then resumes", () => {
  const s = scenario({
    bookGuard: {
      ...DEFAULT_BOOK_GUARD,
      staleMs: 1e9,
      jumpSigma: 5,
      jumpMinSamples: 10,
      jumpPauseMs: 30_000,
    },
  });
  for (let i = 1; i <= 20; i++) {
    const up = i % 2 === 0 ? 1 : 0;
    s.move(i * 1_000, 9999 + up, 10001 + up);
  }
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
  s.move(21_000, 10099, 10101); // +1 %
  assert.match(s.engine.runner("binance", "BTC/USDT")?.haltReason ?? "", /jump/);
  s.move(40_000, 10099, 10101);
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, false);
  s.move(52_000, 10099, 10101);
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
});

Deno.test("correlation limit blocks an entry that correlates with a held position", () => {
  const btc = testInstrument();
  const eth = makeInstrument({
    venue: "binance",
    symbol: "ETH/USDT",
    priceDecimals: 2,
    sizeDecimals: 8,
    lotSize: 1000,
  });
  const cfg = {
    ...defaultEngineConfig([btc, eth], (b) => new BinanceBookSync(b)),
    exits: {},
    bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 1e9 },
    risk: { ...DEFAULT_RISK, correlationMinSamples: 10, maxDrawdownPct: 0.9, dailyLossPct: 0.9 },
  };
  const strat = scriptedStrategy();
  const engine = new TradingEngine(cfg, strat);
  const sb = new EventScript(btc);
  const se = new EventScript(eth);
  const qb = { bid: 9999, ask: 10001 };
  const qe = { bid: 4999, ask: 5001 };
  engine.onEvent(sb.snapshot(0, [[9999, 1e10]], [[10001, 1e10]]));
  engine.onEvent(se.snapshot(0, [[4999, 1e10]], [[5001, 1e10]]));
  strat.queue.push(BUY);
  engine.onEvent(sb.quote(1, 9999, 10001, qb, 1e10 + 1000));
  assert.equal(engine.fills.length, 1);
  for (let m = 1; m <= 15; m++) {
    const k = [3, -2, 5, -1, 2, -4, 1][m % 7] as number;
    engine.onEvent(sb.quote(m * 60_000 + 10, qb.bid + k * 10, qb.ask + k * 10, qb));
    engine.onEvent(se.quote(m * 60_000 + 20, qe.bid + k * 5, qe.ask + k * 5, qe));
  }
  assert.ok(engine.risk.correlation("binance:BTC/USDT", "binance:ETH/USDT") > 0.99);
  strat.queue.push(BUY);
  engine.onEvent(se.quote(16 * 60_000 + 30, qe.bid, qe.ask, qe, 1e10 + 1000));
  assert.match(engine.decisions.at(-1)?.rejected ?? "", /correlate/);
  assert.equal(engine.fills.length, 1);
});

Deno.test("tick() advances the clock without events: staleness and equity samples", () => {
  const s = scenario({ bookGuard: { ...DEFAULT_BOOK_GUARD, staleMs: 5_000 } });
  s.engine.tick(4_000);
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
  s.engine.tick(6_000);
  assert.match(s.engine.runner("binance", "BTC/USDT")?.haltReason ?? "", /stale/);
  s.engine.tick(60_500);
  assert.deepEqual(s.engine.equity.map((p) => p.time), [0, 60_000]);
});

Deno.test("malformed events are counted and ignored; bad book data halts that book, never the engine", () => {
  const s = scenario();
  s.engine.onEvent({ ...s.script.trade(1_000, 9999, 1000, "sell"), receiveTime: NaN });
  s.engine.onEvent(s.script.trade(1_100, 9999, NaN, "sell"));
  assert.equal(s.engine.badEvents.count, 2);
  assert.match(s.engine.badEvents.reasons[0] ?? "", /receive time is not a finite number/);
  assert.match(s.engine.badEvents.reasons[1] ?? "", /positive integers: 9999 x NaN/);
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
  s.engine.onEvent(s.script.delta(1_200, [[9998, NaN]], []));
  assert.equal(s.engine.badEvents.count, 3);
  assert.match(s.engine.runner("binance", "BTC/USDT")?.haltReason ?? "", /bad_data/);
  const r = s.engine.submit(marketBuy, 1_300);
  assert.equal("ok" in r && r.code, "book_halted");
  s.engine.onEvent(s.script.snapshot(2_000, [[9999, 1e10]], [[10001, 1e10]]));
  assert.equal(s.engine.runner("binance", "BTC/USDT")?.tradable, true);
});
