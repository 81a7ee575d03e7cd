import assert from "node:assert/strict";
import { momentumStrategy } from "./baselines.ts";
import { portfolioScenario } from "../testing/portfolio_testing.ts";
import { defaultInstrument } from "../../market/instruments.ts";
import type { Instrument } from "../../market/instrument.ts";
import { routedStrategy } from "./routed_strategy.ts";
import type { Strategy } from "./strategy.ts";

Deno.test("each stream is decided by its route; unrouted streams by the fallback", () => {
  const asked: string[] = [];
  const named = (name: string): Strategy => ({
    name,
    intervalMs: 1_000,
    decide: (ctx) => {
      asked.push(`${name} ${ctx.inst.venue}:${ctx.inst.symbol}`);
      return { action: "hold", size: 0 };
    },
  });
  const r = routedStrategy(new Map([["binance_us:BTC/USDT", named("model")]]), named("imbalance"));
  assert.equal(r.name, "model+imbalance");
  assert.equal(routedStrategy(new Map(), momentumStrategy()).name, "momentum");
  const s = portfolioScenario([
    defaultInstrument("binance_us", "BTC/USDT") as Instrument,
    defaultInstrument("coinbase", "BTC/USD") as Instrument,
  ]);
  for (const inst of s.engine.cfg.instruments) {
    r.decide({
      time: 1,
      inst,
      book: s.engine.runner(inst.venue, inst.symbol)!.book,
      position: s.engine.ledger.position(inst.venue, inst.symbol),
      riskState: "ACTIVE",
      portfolio: () => assert.fail("not needed"),
    });
  }
  assert.deepEqual(asked, ["model binance_us:BTC/USDT", "imbalance coinbase:BTC/USD"]);
});
