import assert from "node:assert/strict";
import type { Instrument } from "../../market/instrument.ts";
import { defaultInstrument } from "../../market/instruments.ts";
import { portfolioScenario } from "../testing/portfolio_testing.ts";
import { DEFAULT_RISK } from "../risk/risk.ts";
import { DEFAULT_SIZING } from "../orders/sizing.ts";

const BUY = { action: "buy", size: 1 } as const;
const SELL = { action: "sell", size: 1 } as const;
const inst = (venue: "binance_us" | "coinbase", symbol: string) =>
  defaultInstrument(venue, symbol) as Instrument;
const BTC_USDT = "binance_us:BTC/USDT";
const ETH_USDT = "binance_us:ETH/USDT";
const BTC_USD = "coinbase:BTC/USD";
const CAPS = { maxTotal: 1, maxSymbol: 0.25, maxVenue: 1, maxAsset: 0.35 };

/** Quote notional of a fill (prices in 0.01, sizes in 1e-8). */
const notional = (f: { price: number; size: number }) => f.price * f.size / 1e10;

/** 25 minutes of mids: BTC follows `btc(m)`, ETH follows `eth(m)` (ticks around 10,000). */
function minutes(
  s: ReturnType<typeof portfolioScenario>,
  btc: (m: number) => number,
  eth: (m: number) => number,
): number {
  for (let m = 1; m <= 25; m++) {
    const t = m * 60_000 + 100;
    const b = Math.round(btc(m));
    const e = Math.round(eth(m));
    s.move(BTC_USDT, t, b - 1, b + 1);
    s.move(ETH_USDT, t + 1, e - 1, e + 1);
  }
  return 26 * 60_000;
}

Deno.test("an entry whose returns correlate with a held position is refused; an uncorrelated one passes", () => {
  const wave = (m: number) => 10_000 + 150 * Math.sin(m * 1.3) + 40 * m;
  const s = portfolioScenario([inst("binance_us", "BTC/USDT"), inst("binance_us", "ETH/USDT")]);
  const t = minutes(s, wave, (m) => 2 * wave(m) - 10_000); // ETH moves with BTC
  assert.ok(s.engine.risk.correlation(ETH_USDT, BTC_USDT) > 0.99);
  s.decide(BTC_USDT, t, BUY);
  assert.equal(s.engine.fills.length, 1);
  s.decide(ETH_USDT, t + 1_000, BUY);
  assert.match(
    s.last(ETH_USDT)?.rejected ?? "",
    /returns of binance_us:ETH\/USDT correlate 1\.00 with held binance_us:BTC\/USDT/,
  );
  assert.equal(s.engine.fills.length, 1, "the correlated entry is refused");
  s.decide(BTC_USDT, t + 2_000, SELL);
  s.decide(ETH_USDT, t + 3_000, BUY);
  assert.equal(s.last(ETH_USDT)?.rejected, undefined, "with BTC flat, ETH may enter");

  const u = portfolioScenario([inst("binance_us", "BTC/USDT"), inst("binance_us", "ETH/USDT")]);
  const t2 = minutes(u, wave, (m) => 10_000 + 150 * Math.sin(m * 2.9 + 1) - 30 * m);
  const c = u.engine.risk.correlation(ETH_USDT, BTC_USDT);
  assert.ok(c < 0.8, `correlation ${c}`);
  u.decide(BTC_USDT, t2, BUY);
  u.decide(ETH_USDT, t2 + 1_000, BUY);
  assert.equal(u.last(ETH_USDT)?.rejected, undefined);
  assert.equal(u.engine.fills.length, 2, "an uncorrelated entry passes");
});

Deno.test("a second position in the same base asset is reduced to the asset cap, a third refused", () => {
  const s = portfolioScenario([inst("binance_us", "BTC/USDT"), inst("coinbase", "BTC/USD")], {
    sizing: { ...DEFAULT_SIZING, portfolio: CAPS },
  });
  const equity = Number(s.engine.equityNow()) / 1e18; // 10,000 USDT + 10,000 USD
  assert.equal(equity, 20_000);
  s.decide(BTC_USDT, 1_000, BUY);
  const first = notional(s.engine.fills[0]!);
  assert.ok(first > 4_990 && first <= 5_000, `first ${first}`); // 25 % of equity
  s.decide(BTC_USD, 2_000, BUY);
  assert.equal(s.engine.fills.length, 2);
  const second = notional(s.engine.fills[1]!);
  // BTC together at most 35 %: 7,000 - 5,000 held, less the fee the first fill paid
  assert.ok(second > 1_980 && second <= 2_000, `second reduced to ${second}`);
  s.decide(BTC_USD, 3_000, BUY);
  assert.match(s.last(BTC_USD)?.rejected ?? "", /after the portfolio cap 0\.35 on BTC is below/);
  assert.equal(s.engine.fills.length, 2);
  // a per-symbol cap across venues and the total exposure cap bite the same way
  const t = portfolioScenario([inst("binance_us", "BTC/USDT"), inst("binance_us", "ETH/USDT")], {
    sizing: { ...DEFAULT_SIZING, portfolio: { ...CAPS, maxTotal: 0.3 } },
  });
  t.decide(BTC_USDT, 1_000, BUY);
  t.decide(ETH_USDT, 2_000, BUY);
  const eth = notional(t.engine.fills[1]!);
  assert.ok(eth > 490 && eth <= 500, `ETH reduced to the 30 % total: ${eth}`);
});

for (const breaker of ["max drawdown", "daily loss"] as const) {
  Deno.test(`the account's ${breaker} breaker halts entries on every stream; exits pass`, () => {
    const risk = breaker === "max drawdown"
      ? { ...DEFAULT_RISK, maxDrawdownPct: 0.01, dailyLossPct: 0.5 }
      : { ...DEFAULT_RISK, maxDrawdownPct: 0.5, dailyLossPct: 0.01 };
    const all = [BTC_USDT, ETH_USDT, BTC_USD];
    const s = portfolioScenario(
      [inst("binance_us", "BTC/USDT"), inst("binance_us", "ETH/USDT"), inst("coinbase", "BTC/USD")],
      { risk, sizing: { ...DEFAULT_SIZING, portfolio: { ...CAPS, maxAsset: 1 } } },
    );
    s.decide(BTC_USDT, 1_000, BUY);
    s.decide(BTC_USD, 2_000, BUY);
    assert.equal(s.engine.fills.length, 2);
    // BTC falls 5 % on both venues: -2.5 % of the account (15,000 of 30,000 in BTC)
    s.move(BTC_USDT, 30_000, 9499, 9501);
    s.move(BTC_USD, 30_001, 9499, 9501);
    s.move(ETH_USDT, 61_000, 9999, 10001); // the minute sample
    assert.equal(s.engine.risk.state, "REDUCING");
    assert.match(s.engine.risk.reason, new RegExp(breaker));
    all.forEach((k, i) => s.decide(k, 62_000 + i * 100, BUY));
    for (const k of all) {
      assert.match(s.last(k)?.rejected ?? "", new RegExp(`entries blocked: ${breaker}`), k);
    }
    assert.equal(s.engine.fills.length, 2, "no entry on any stream");
    s.decide(BTC_USDT, 63_000, SELL);
    s.decide(BTC_USD, 63_100, SELL);
    assert.equal(s.engine.fills.length, 4, "both exits pass");
    assert.equal(s.engine.ledger.position("binance_us", "BTC/USDT").qty, 0);
    assert.equal(s.engine.ledger.position("coinbase", "BTC/USD").qty, 0);
  });
}
