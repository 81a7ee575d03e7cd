import assert from "node:assert/strict";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { loadRecordings, newReadStats } from "./recording.ts";
import { runBacktest } from "./run.ts";

const FILES = [
  new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname,
  new URL("../../testdata/binance-spot/btcusdt_20240809.gz", import.meta.url).pathname,
];
const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;
const stats = newReadStats();
const events = await loadRecordings(FILES, { stats });

Deno.test("recording reader yields the known event counts in receive-time order", () => {
  assert.equal(stats.bad, 0);
  assert.equal(events.filter((e) => e.kind === "trade").length, 19_904);
  assert.equal(events.filter((e) => e.kind === "delta").length, 6_495);
  assert.equal(events.filter((e) => e.kind === "snapshot").length, 1);
  for (let i = 1; i < events.length; i++) {
    assert.ok(
      (events[i] as { receiveTime: number }).receiveTime >=
        (events[i - 1] as { receiveTime: number }).receiveTime,
    );
  }
});

Deno.test("backtest is deterministic: same seed, same fills fingerprint", async () => {
  const run = (seed: number) =>
    runBacktest(events, {
      instruments: [BTC],
      strategy: baselineStrategy("imbalance"),
      baselines: [],
      seed,
      latencyMs: 50,
      latencySigma: 0.8,
    });
  const a = await run(7);
  const b = await run(7);
  assert.equal(a.fingerprint, b.fingerprint);
  assert.deepEqual(a.results[0]?.net, b.results[0]?.net);
  assert.ok((a.results[0]?.net.fills ?? 0) > 0, "the strategy traded");
  assert.match(a.fingerprint, /^[0-9a-f]{64}$/);
  const c = await run(8);
  assert.notEqual(c.fingerprint, a.fingerprint, "another seed samples other latencies");
});

Deno.test("backtest reports the baselines side by side, net and gross of fees", async () => {
  const r = await runBacktest(events, {
    instruments: [BTC],
    strategy: baselineStrategy("momentum"),
  });
  assert.deepEqual(r.results.map((x) => x.strategy), [
    "momentum",
    "flat",
    "buy-and-hold",
    "imbalance",
  ]);
  const flat = r.results[1];
  assert.equal(flat?.net.total_return, 0);
  assert.equal(flat?.net.fills, 0);
  const bh = r.results[2];
  assert.equal(bh?.net.fills, 1);
  assert.ok((bh?.gross.total_return ?? 0) > (bh?.net.total_return ?? 0), "gross excludes the fee");
  assert.equal(r.events, 26_400);
  assert.equal(r.book_events, 6_496);
  assert.ok((bh?.equity.length ?? 0) >= 11);
});

Deno.test("backtest CLI prints one JSON object with the fingerprint", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "backtest",
      "--data",
      ...FILES,
      "--strategy",
      "buy-and-hold",
      "--json",
      "--html",
      "none",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  assert.equal(json.strategy, "buy-and-hold");
  assert.match(json.fingerprint, /^[0-9a-f]{64}$/);
  assert.equal(json.results.length, 4);
  assert.equal(json.read.bad, 0);
});

Deno.test("backtest CLI rejects an unknown strategy with the known names", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("../main.ts", import.meta.url).pathname,
      "backtest",
      "--data",
      FILES[0] as string,
      "--strategy",
      "nope",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 2);
  assert.match(
    new TextDecoder().decode(out.stderr),
    /known strategies are flat, buy-and-hold, momentum, imbalance/,
  );
});

Deno.test("limit-order variant of a baseline fills as maker through the queue model", async () => {
  const { withLimitOrders } = await import("../../core/trading/strategy/baselines.ts");
  const r = await runBacktest(events, {
    instruments: [BTC],
    strategy: withLimitOrders(baselineStrategy("imbalance")),
    baselines: [],
  });
  const res = r.results[0];
  assert.equal(res?.strategy, "imbalance+limit");
  assert.ok((res?.net.fills ?? 0) > 0);
  assert.equal(res?.maker_share, 1, "post-only orders only ever fill as maker");
});

// Golden fingerprints of the bundled recording with the built-in defaults. A change here means
// the fills changed: if that is intended (fill model, sizing, risk defaults), update the values
// in the same commit and say why; otherwise an optimization changed results.
const GOLDEN: [
  string,
  () => import("../../core/trading/strategy/strategy.ts").Strategy,
  number,
  string,
][] = [
  [
    "imbalance",
    () => baselineStrategy("imbalance"),
    0,
    "b3752ef363ad319e58ea74c1fcfca2c45879d46d8f4437b98774a80837657547",
  ],
  [
    "momentum",
    () => baselineStrategy("momentum"),
    0,
    "70d2bb959699fbd18d0bf7c9d05c2ae4009aa7170f33f99d7cf0021670cfd35e",
  ],
  [
    "momentum, 50 ms sampled latency",
    () => baselineStrategy("momentum"),
    50,
    "ed8d1ae8386bc8eac4b0911775033ee205bf0c899d2e1415463c87e1114d47cb",
  ],
];

Deno.test("golden fills fingerprints of the bundled recording", async (t) => {
  for (const [name, make, latencyMs, want] of GOLDEN) {
    await t.step(name, async () => {
      const r = await runBacktest(events, {
        instruments: [BTC],
        strategy: make(),
        baselines: [],
        seed: 7,
        latencyMs,
        latencySigma: latencyMs > 0 ? 0.8 : 0,
      });
      assert.equal(r.fingerprint, want);
    });
  }
});
