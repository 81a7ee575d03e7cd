import assert from "node:assert/strict";
import type { Lots, Ticks } from "../../market/fixed_point.ts";
import { parseAmount } from "./money.ts";
import { type EntryInput, sizeEntry, sizeExit } from "./sizing.ts";
import { testInstrument } from "../testing/testing.ts";

const inst = testInstrument();
const base: EntryInput = {
  inst,
  rules: { minNotional: parseAmount("5") },
  fraction: 1,
  equity: parseAmount("10000"),
  price: 100_00 as Ticks,
  symbolExposure: 0n,
  venueExposure: 0n,
  cash: parseAmount("10000"),
  limits: { maxEquityFraction: 0.25 },
};

Deno.test("sizeEntry scales the output to the equity cap and rounds to the lot", () => {
  const r = sizeEntry({ ...base, price: 333_33 as Ticks });
  assert.ok(r.ok);
  // 2500 / 333.33 = 7.50007500... BTC -> 7.50007 on the 0.00001 lot
  assert.equal(r.size, 750_007_000);
  assert.equal(r.size % inst.lotSize, 0);
});

Deno.test("sizeEntry honours the symbol headroom, symbol, venue and cash caps", () => {
  const a = sizeEntry({ ...base, symbolExposure: parseAmount("2000") });
  assert.ok(a.ok);
  assert.equal(a.notional, parseAmount("500"));
  const b = sizeEntry({
    ...base,
    limits: { maxEquityFraction: 0.25, maxSymbolNotional: parseAmount("100") },
  });
  assert.ok(b.ok);
  assert.equal(b.notional, parseAmount("100"));
  const c = sizeEntry({
    ...base,
    venueExposure: parseAmount("950"),
    limits: { maxEquityFraction: 0.25, maxVenueNotional: parseAmount("1000") },
  });
  assert.ok(c.ok);
  assert.equal(c.notional, parseAmount("50"));
  const d = sizeEntry({ ...base, cash: parseAmount("42") });
  assert.ok(d.ok);
  assert.equal(d.notional, parseAmount("42"));
});

Deno.test("sizeEntry rejects below min notional with the limit that caused it", () => {
  const r = sizeEntry({ ...base, symbolExposure: parseAmount("2498") });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, "min_notional");
  assert.match(!r.ok ? r.reason : "", /equity cap/);
});

Deno.test("sizeEntry rejects NaN, negative and >1 size outputs", () => {
  for (const fraction of [NaN, -0.1, 1.5, Infinity]) {
    const r = sizeEntry({ ...base, fraction });
    assert.equal(!r.ok && r.code, "size_output", `fraction ${fraction}`);
  }
});

Deno.test("sizeExit sells a fraction on the lot step, or everything", () => {
  const held = 123_456_000 as Lots;
  const half = sizeExit({ inst, rules: base.rules, fraction: 0.5, held, price: 100_00 as Ticks });
  assert.ok(half.ok);
  assert.equal(half.size, 61_728_000);
  const all = sizeExit({ inst, rules: base.rules, fraction: 1, held, price: 100_00 as Ticks });
  assert.ok(all.ok);
  assert.equal(all.size, held);
  const flat = sizeExit({
    inst,
    rules: base.rules,
    fraction: 1,
    held: 0 as Lots,
    price: 100_00 as Ticks,
  });
  assert.equal(!flat.ok && flat.code, "flat");
});

Deno.test("sizeEntry reduces an entry to the portfolio caps' headroom and names the cap", () => {
  const caps = { maxTotal: 0.8, maxSymbol: 0.25, maxVenue: 0.5, maxAsset: 0.35 };
  const held = { symbol: 0n, asset: 0n, total: 0n };
  const at = (portfolio: typeof held, venueExposure = 0n) =>
    sizeEntry({
      ...base,
      venueExposure,
      portfolio,
      limits: { maxEquityFraction: 0.25, portfolio: caps },
    });
  const free = at(held);
  assert.ok(free.ok);
  assert.equal(free.notional, parseAmount("2500"));
  assert.equal(free.limitedBy, "size output");
  const cases: [typeof held, bigint, string, string][] = [
    [{ ...held, symbol: parseAmount("2000") }, 0n, "500", "portfolio cap 0.25 on BTC/USDT"],
    [{ ...held, asset: parseAmount("3000") }, 0n, "500", "portfolio cap 0.35 on BTC"],
    [{ ...held, total: parseAmount("7000") }, 0n, "1000", "portfolio cap 0.8 on total exposure"],
    [held, parseAmount("4000"), "1000", "portfolio cap 0.5 on binance"],
  ];
  for (const [p, venue, notional, cap] of cases) {
    const r = at(p, venue);
    assert.ok(r.ok, cap);
    assert.equal(r.notional, parseAmount(notional), cap);
    assert.equal(r.limitedBy, cap);
  }
  const full = at({ ...held, asset: parseAmount("3500") });
  assert.ok(!full.ok);
  assert.equal(full.code, "portfolio_cap");
  assert.match(full.reason, /after the portfolio cap 0\.35 on BTC is below the minimum notional/);
  const own = sizeEntry({
    ...base,
    limits: { maxEquityFraction: 0.25, streamFractions: { "binance:BTC/USDT": 0.1 } },
  });
  assert.ok(own.ok);
  assert.equal(own.notional, parseAmount("1000"), "a stream's own max_position_fraction");
});
