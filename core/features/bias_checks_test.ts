import assert from "node:assert/strict";
import type { MarketEvent, Trade } from "../market/events.ts";
import { delta, snap, tinySetup, trade } from "./_testing.ts";
import { checkLookahead, checkWarmup } from "./bias_checks.ts";
import type { ExtraFeature } from "./engine.ts";
import type { StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };

/** 200 s of a random-walk book with trades, deterministic. */
function syntheticEvents(): MarketEvent[] {
  let seed = 42;
  const rnd = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const events: MarketEvent[] = [snap(K, 0, [[999, 5], [998, 5]], [[1001, 5], [1002, 5]])];
  let bid = 999;
  for (let t = 250; t < 200_000; t += 250) {
    if (rnd() < 0.3) {
      const up = rnd() < 0.5;
      events.push(delta(K, t, [[bid, 0], [bid + (up ? 1 : -1), 1 + Math.floor(rnd() * 9)]], []));
      bid += up ? 1 : -1;
      events.push(
        delta(K, t + 1, [], [[bid + 2, 1 + Math.floor(rnd() * 9)], [bid + 1, 0], [bid + 3, 0]]),
      );
    } else {
      events.push(
        trade(
          K,
          t,
          bid + (rnd() < 0.5 ? 0 : 2),
          1 + Math.floor(rnd() * 3),
          rnd() < 0.5 ? "buy" : "sell",
        ),
      );
    }
  }
  return events;
}

/** A deliberately leaky feature: the price of the next trade after t, precomputed from the list it is given. */
function leakyNextTradePrice(events: readonly MarketEvent[]): ExtraFeature {
  const trades = events.filter((e): e is Trade => e.kind === "trade");
  return {
    name: "next_trade_price",
    value: (t) => trades.find((x) => x.receiveTime > t)?.price,
  };
}

Deno.test("checkLookahead() reports 0 violations for the incremental features", () => {
  const { spec, options } = tinySetup([K]);
  const report = checkLookahead(spec, syntheticEvents(), {
    makeOptions: () => options,
    samples: 12,
  });
  assert.equal(report.checked, 12);
  assert.equal(report.violations, 0, JSON.stringify(report.features));
});

Deno.test("checkLookahead() catches a leaky feature and only that one", () => {
  const { spec, options } = tinySetup([K], { extras: ["next_trade_price"] });
  const report = checkLookahead(spec, syntheticEvents(), {
    samples: 12,
    makeOptions: (events) => ({ ...options, extras: [leakyNextTradePrice(events)] }),
  });
  assert.deepEqual(report.features.map((f) => f.name).sort(), [
    "extra.missing",
    "extra.next_trade_price",
  ]);
  assert.equal(report.features.find((f) => f.name === "extra.next_trade_price")?.count, 12);
});

Deno.test("checkWarmup() passes windowed features and flags a feature with unbounded memory", () => {
  const { spec, options } = tinySetup([K], { extras: ["events_since_start"] });
  const makeOptions = () => {
    let n = 0;
    const counter: ExtraFeature = {
      name: "events_since_start",
      onEvent: () => void n++,
      value: () => n,
    };
    return { ...options, extras: [counter] };
  };
  const report = checkWarmup(spec, syntheticEvents(), {
    makeOptions,
    warmupsMs: [60_000],
    compareMs: 30_000,
  });
  assert.ok(report.checked >= 30);
  assert.deepEqual(report.features.map((f) => f.name), ["extra.events_since_start"]);
  assert.deepEqual(report.unwarmed, []);
  const short = checkWarmup(spec, syntheticEvents(), {
    makeOptions,
    warmupsMs: [5_000],
    compareMs: 30_000,
  });
  assert.ok(short.unwarmed?.includes("kraken.btc_usd.flow.rv_bps_10s"), "10 s windows need 10 s");
});
