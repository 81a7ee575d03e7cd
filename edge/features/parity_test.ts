import assert from "node:assert/strict";
import { checkLookahead, checkWarmup } from "../../core/features/bias_checks.ts";
import { type Decision, DecisionClock } from "../../core/features/clock.ts";
import { buildFeatureDataset } from "../../core/features/dataset.ts";
import { type ExtraFeature, FeatureEngine } from "../../core/features/engine.ts";
import { buildFeatureSpec, defaultFeatureConfig } from "../../core/features/spec.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { BTCUSDT_RECORDING, loadRecordedEvents } from "./recorded_events.ts";

const SPEC = buildFeatureSpec(defaultFeatureConfig([{ venue: "binance", symbol: "BTC/USDT" }]));
const bytes = (a: Float64Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

Deno.test("live loop and offline dataset give bitwise identical vectors on the BTCUSDT recording", async () => {
  // Live: events pushed one by one from the replay (as the harvester's sink does),
  // with a live timer firing at pseudo-random moments between events.
  const live: Decision[] = [];
  const clock = new DecisionClock(new FeatureEngine(SPEC), {
    intervalMs: 1000,
    window: 16,
    onDecision: (d) => live.push(d),
  });
  let prev = 0;
  let seed = 7;
  let lastTime = 0;
  await replayBinanceRecording(BTCUSDT_RECORDING, {
    sink: {
      onEvent: (e) => {
        seed = (seed * 16_807) % 2_147_483_647;
        if (prev > 0) clock.advanceTo(prev + (e.receiveTime - prev) * (seed / 2_147_483_647));
        clock.onEvent(e);
        prev = lastTime = e.receiveTime;
      },
    },
  });
  clock.flushThrough(lastTime);
  // Offline: the trainer's path, all events in memory, one row per second.
  const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
  const ds = buildFeatureDataset(SPEC, events, { intervalMs: 1000 });
  const f = SPEC.features.length;
  assert.equal(live.length, ds.times.length);
  assert.ok(live.length >= 650, `${live.length} decisions`);
  live.forEach((d, i) => {
    assert.equal(d.time, ds.times[i]);
    d.rows.forEach((row, j) => {
      const k = i - (d.rows.length - 1) + j;
      assert.deepEqual(
        bytes(row.values),
        bytes(ds.values.subarray(k * f, (k + 1) * f)),
        `row ${k}`,
      );
      assert.deepEqual(row.missing, ds.missing.subarray(k * f, (k + 1) * f), `mask ${k}`);
    });
  });
  assert.equal(ds.nonFinite.length, 0, "no NaN/Infinity computed anywhere");
  assert.ok(ds.values.every(Number.isFinite));
  // The book and flow groups are present once warmed up (the recording starts with a snapshot).
  const last = (name: string) =>
    ds.values[(ds.times.length - 1) * f + (SPEC.index.get(name) as number)];
  assert.equal(last("binance.btc_usdt.book.missing"), 0);
  assert.equal(last("binance.btc_usdt.flow.missing"), 0);
  assert.equal(last("binance.btc_usdt.book.mid"), (6_160_201 + 6_160_202) / 2 / 100);
});

Deno.test("look-ahead check: 0 violations on the recording, a leaky feature is caught", async () => {
  const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
  const clean = checkLookahead(SPEC, events, { samples: 8 });
  assert.equal(clean.checked, 8);
  assert.equal(clean.violations, 0, JSON.stringify(clean.features));
  // Leak: a trade price from more than 5 s later, joined from the whole event list (as a
  // precomputed label would be).
  const leakySpec = buildFeatureSpec({ ...SPEC.config, extras: ["future_trade_price_5s"] });
  const leaky = (list: readonly MarketEvent[]): ExtraFeature => {
    const trades = list.filter((e) => e.kind === "trade");
    return {
      name: "future_trade_price_5s",
      value: (t) => {
        const x = trades.find((e) => e.receiveTime > t + 5_000);
        return x?.kind === "trade" ? x.price : undefined;
      },
    };
  };
  const report = checkLookahead(leakySpec, events, {
    samples: 8,
    makeOptions: (list) => ({ extras: [leaky(list)] }),
  });
  assert.ok(report.features.some((x) => x.name === "extra.future_trade_price_5s" && x.count === 8));
  assert.ok(report.features.every((x) => x.name.startsWith("extra.")), "only the leaky group");
});

Deno.test("warm-up check: the default features do not depend on warm-up length on the recording", async () => {
  const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
  const report = checkWarmup(SPEC, events);
  assert.equal(report.checked, 120);
  assert.equal(report.violations, 0, JSON.stringify(report.features));
  assert.deepEqual(report.unwarmed, []);
});

Deno.test("warm-up check flags EMA-smoothed indicators and passes the windowed %B (short periods)", async () => {
  const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
  const spec = buildFeatureSpec({
    ...SPEC.config,
    technical: { rsi: 3, macd: [2, 3, 2], bollinger: [3, 2], atr: 3, emaRatios: [[2, 3]] },
  });
  const report = checkWarmup(spec, events);
  const names = report.features.map((f) => f.name).sort();
  assert.deepEqual(names, [
    "tech.atr_bps_3",
    "tech.ema_ratio_2_3",
    "tech.macd_bps",
    "tech.macd_hist_bps",
    "tech.macd_signal_bps",
    "tech.rsi_3",
  ]);
});
