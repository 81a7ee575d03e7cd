import assert from "node:assert/strict";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { portfolioStateOf } from "../../core/trading/portfolio/portfolio_view.ts";
import type { Strategy, StrategyContext } from "../../core/trading/strategy/strategy.ts";
import type { DecideContext, DecisionResult, ModelHost } from "../inference/model_host.ts";
import { ModelStrategy } from "../../infra/inference/model_strategy.ts";
import { runPaperTrader } from "./paper_trader.ts";

const RECORDING = new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url)
  .pathname;

const STREAM = { venue: "binance_us", symbol: "BTC/USDT" } as const;

/** A host that records what each decision was given and always buys. */
function recordingHost(seen: (DecideContext | undefined)[]): ModelHost {
  const result: DecisionResult = {
    decision: {
      action: "buy",
      probs: { buy: 0.8, sell: 0.1, hold: 0.1 },
      confidence: 0.8,
      sizeFraction: 0.5,
      risk: 0.1,
      pricePred: [0, 0, 0],
    },
    version: "stub",
    latencyMs: 1,
  };
  return {
    current: { manifest: { shape: { window: 2 } } },
    decide: (_rows: unknown, ctx?: DecideContext) => {
      seen.push(ctx);
      return Promise.resolve(result);
    },
  } as unknown as ModelHost;
}

function context(time: number, equity: number, positionValue: number): StrategyContext {
  return {
    time,
    inst: STREAM,
    portfolio: () => ({ equity, cash: equity - positionValue, positionValue, unrealizedPnl: 0 }),
  } as unknown as StrategyContext;
}

Deno.test("ModelStrategy falls back to the last decision's portfolio without a live view", async () => {
  const seen: (DecideContext | undefined)[] = [];
  const s = new ModelStrategy({
    host: recordingHost(seen),
    spec: buildFeatureSpec(defaultFeatureConfig([STREAM])),
    stream: STREAM,
    intervalMs: 500,
  });
  s.advanceTo(0);
  s.advanceTo(1_200); // boundaries 500 (window not full) and 1000
  await s.settle();
  assert.deepEqual(seen, [{ positionFraction: 0 }], "no portfolio seen yet: flat");
  const d = s.decide(context(1_100, 10_000, 2_500));
  assert.equal(d.action, "buy");
  s.advanceTo(1_700);
  await s.settle();
  assert.deepEqual(seen.at(-1), { positionFraction: 0.25 });
  s.decide(context(1_600, 0, 0)); // no equity: unknown, treated as flat
  s.advanceTo(2_200);
  await s.settle();
  assert.deepEqual(seen.at(-1), { positionFraction: 0 });
  assert.equal(s.failures, 0);
});

Deno.test("ModelStrategy feeds the position as the engine holds it at the boundary, and no portfolio features", async () => {
  const stream = { venue: "binance", symbol: "BTC/USDT" } as const;
  const spec = buildFeatureSpec(defaultFeatureConfig([stream]));
  const portfolioSlots = spec.features.flatMap((f, i) =>
    f.name.startsWith("portfolio.") && f.name !== "portfolio.missing" ? [i] : []
  );
  assert.ok(portfolioSlots.length > 0, "the default spec has a portfolio group");
  const fed: number[] = [];
  let calls = 0;
  let portfolioSeen = 0;
  const host = {
    current: { manifest: { shape: { window: 4 } } },
    decide: (rows: readonly { missing?: ArrayLike<number> }[], ctx?: DecideContext) => {
      fed.push(ctx?.positionFraction ?? NaN);
      for (const r of rows) {
        for (const i of portfolioSlots) if (r.missing?.[i] !== 1) portfolioSeen++;
      }
      calls++;
      const action = calls % 4 === 0 ? "sell" : "buy"; // the position changes often
      return Promise.resolve({
        decision: {
          action,
          probs: { buy: 0.5, sell: 0.3, hold: 0.2 },
          confidence: 0.5,
          sizeFraction: 0.5,
          risk: 0,
          pricePred: [0, 0, 0],
        },
        version: "stub",
        latencyMs: 0,
      });
    },
  } as unknown as ModelHost;
  const model = new ModelStrategy({ host, spec, stream, intervalMs: 1_000 });
  const acted: { engine: number; fed: number }[] = [];
  const probe: Strategy = {
    name: "probe",
    intervalMs: 1_000,
    decide(ctx: StrategyContext) {
      const p = ctx.portfolio();
      const d = model.decide(ctx);
      if (d.action !== "hold") {
        acted.push({ engine: p.positionValue / p.equity, fed: fed.at(-1) as number });
      }
      return d;
    },
  };
  const inst = defaultInstrument("binance", "BTC/USDT") as Instrument;
  await runPaperTrader({
    files: [RECORDING],
    config: defaultEngineConfig([inst], (b) => new BinanceBookSync(b)),
    strategy: probe,
    beforeEvent: async (e, engine) => {
      model.observe(e, () => {
        const r = engine.runner(inst.venue, inst.symbol);
        return r ? portfolioStateOf(engine, r) : undefined;
      });
      await model.settle();
    },
  });
  assert.ok(acted.length > 100, `the strategy acted: ${acted.length}`);
  assert.ok(
    acted.some((a) => a.engine > 0.2) && acted.some((a) => a.engine < 0.15),
    "positions moved",
  );
  const off = acted.filter((a) => Math.abs(a.engine - a.fed) > 1e-3);
  assert.equal(
    off.length,
    0,
    `fed position differs from the engine's: ${JSON.stringify(off.slice(0, 3))}`,
  );
  assert.equal(portfolioSeen, 0, "portfolio features stay missing, as in training");
});
