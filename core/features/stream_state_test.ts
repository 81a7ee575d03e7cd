import assert from "node:assert/strict";
import { delta, near, snap, tinySetup, trade } from "./_testing.ts";
import { FeatureEngine, type FeatureRow } from "./engine.ts";
import type { FeatureSpec, StreamRef } from "./spec.ts";

const K: StreamRef = { venue: "kraken", symbol: "BTC/USD" };
const P = "kraken.btc_usd";

function get(spec: FeatureSpec, row: FeatureRow, name: string): number | null {
  const i = spec.index.get(name);
  assert.ok(i !== undefined, `no feature ${name}`);
  return row.missing[i] === 1 ? null : row.values[i] as number;
}

// Bids 100x3, 99x2, 98x5; asks 102x1, 103x4, 105x2. Mid 101.
const BIDS: [number, number][] = [[100, 3], [99, 2], [98, 5]];
const ASKS: [number, number][] = [[102, 1], [103, 4], [105, 2]];

Deno.test("StreamState book features match hand-computed values on a tiny book", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(snap(K, 1_000, BIDS, ASKS));
  const row = engine.compute(1_500);
  const f = (n: string) => get(spec, row, `${P}.book.${n}`) as number;
  assert.equal(f("mid"), 101);
  near(f("spread_bps"), 2 / 101 * 1e4, "spread");
  // weighted mid = (Pa*Qb + Pb*Qa)/(Qa+Qb) = (102*3 + 100*1)/4 = 101.5
  near(f("microprice_offset_bps"), 0.5 / 101 * 1e4, "microprice");
  near(f("imbalance_l1"), (3 - 1) / (3 + 1), "imbalance l1");
  near(f("imbalance_l2"), (5 - 5) / 10, "imbalance l2");
  // 100 bps of 101 = 1.01: bids >= 99.99 (100), asks <= 102.01 (102)
  assert.equal(f("depth_bid_100bps"), 3);
  assert.equal(f("depth_ask_100bps"), 1);
  // 200 bps = 2.02: bids >= 98.98 (100, 99), asks <= 103.02 (102, 103)
  assert.equal(f("depth_bid_200bps"), 5);
  assert.equal(f("depth_ask_200bps"), 5);
  // distances d, 2d, 3d bps with d = 1/101*1e4; cumulative bids 3, 5, 10; asks 1, 5, 7 at d, 2d, 4d
  const d = 1 / 101 * 1e4;
  near(f("book_slope_bid"), (d * 3 + 2 * d * 5 + 3 * d * 10) / (d * d * (1 + 4 + 9)), "slope bid");
  near(f("book_slope_ask"), (d * 1 + 2 * d * 5 + 4 * d * 7) / (d * d * (1 + 4 + 16)), "slope ask");
  assert.equal(get(spec, row, `${P}.book.missing`), 0);
});

Deno.test("StreamState flow features match hand-computed values", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(snap(K, 0, BIDS, ASKS));
  engine.onEvent(trade(K, 1_000, 102, 2, "buy"));
  engine.onEvent(delta(K, 2_000, [[100, 5]], [])); // bid size 3 -> 5: e = +2
  engine.onEvent(delta(K, 3_000, [], [[101, 2]])); // ask price 102 -> 101: e = -2, mid 100.5
  engine.onEvent(trade(K, 4_000, 100, 1, "sell"));
  engine.onEvent(delta(K, 5_000, [], [[101, 0]])); // ask back to 102x1: e = +2, mid 101
  // Windows of 10 s are not complete before t = 10,000 (the stream started at 0).
  const early = engine.compute(9_999);
  assert.equal(get(spec, early, `${P}.flow.ofi_10s`), null);
  assert.equal(get(spec, early, `${P}.flow.missing`), 1);
  const row = engine.compute(10_000);
  const f = (n: string) => get(spec, row, `${P}.flow.${n}`) as number;
  assert.equal(f("ofi_10s"), 2 - 2 + 2);
  near(f("trade_flow_imbalance_10s"), (2 - 1) / (2 + 1), "trade flow");
  near(f("trade_intensity_10s"), 2 / 10, "intensity");
  const vwap = (102 * 2 + 100 * 1) / 3;
  near(f("vwap_dev_bps_10s"), (101 - vwap) / vwap * 1e4, "vwap dev");
  const r1 = Math.log(100.5 / 101);
  const r2 = Math.log(101 / 100.5);
  near(f("rv_bps_10s"), Math.sqrt(r1 * r1 + r2 * r2) * 1e4, "rv");
  assert.equal(get(spec, row, `${P}.flow.missing`), 0);
  // The window is (t - 10 s, t]: at t = 11,000 the trade at 1,000 has left it.
  const later = engine.compute(11_000);
  assert.equal(get(spec, later, `${P}.flow.trade_intensity_10s`), 1 / 10);
  assert.equal(get(spec, later, `${P}.flow.trade_flow_imbalance_10s`), -1);
});

Deno.test("StreamState marks a missing, one-sided or stale book with flags, never zeros as data", () => {
  const { spec, options } = tinySetup([K]);
  const engine = new FeatureEngine(spec, options);
  const before = engine.compute(0);
  assert.equal(get(spec, before, `${P}.book.missing`), 1);
  assert.equal(get(spec, before, `${P}.book.mid`), null);
  engine.onEvent(snap(K, 1_000, BIDS, []));
  assert.equal(get(spec, engine.compute(1_000), `${P}.book.spread_bps`), null);
  engine.onEvent(delta(K, 2_000, [], ASKS));
  assert.equal(get(spec, engine.compute(2_000), `${P}.book.mid`), 101);
  // staleMs = 5 s: at 7,000 the book is 5 s old (still fresh), at 7,001 stale.
  assert.equal(get(spec, engine.compute(7_000), `${P}.book.missing`), 0);
  const stale = engine.compute(7_001);
  assert.equal(get(spec, stale, `${P}.book.missing`), 1);
  assert.equal(get(spec, stale, `${P}.book.mid`), null);
  engine.onFeedDown(K.venue, K.symbol);
  engine.onEvent(delta(K, 8_000, [[100, 1]], []));
  assert.equal(
    get(spec, engine.compute(8_000), `${P}.book.missing`),
    1,
    "no snapshot since feed down",
  );
});

Deno.test("StreamState treats a Binance sequence gap as missing until the next snapshot", () => {
  const B: StreamRef = { venue: "binance", symbol: "BTC/USDT" };
  const { spec, options } = tinySetup([B]);
  const engine = new FeatureEngine(spec, options);
  engine.onEvent(snap(B, 0, BIDS, ASKS, 10));
  engine.onEvent(delta(B, 100, [[100, 4]], [], 11));
  assert.equal(get(spec, engine.compute(100), "binance.btc_usdt.book.missing"), 0);
  engine.onEvent(delta(B, 200, [[100, 5]], [], 13)); // 12 is missing: gap
  assert.equal(get(spec, engine.compute(200), "binance.btc_usdt.book.missing"), 1);
  assert.equal(get(spec, engine.compute(200), "binance.btc_usdt.book.mid"), null);
});
