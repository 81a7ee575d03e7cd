import assert from "node:assert/strict";
import type { PositionView } from "../live/types.ts";
import { portfolioStreams } from "./portfolio_streams.ts";

const row = (o: Partial<PositionView> & { venue: string; symbol: string }): PositionView => ({
  qty: 0,
  avg_price: null,
  cost: 0,
  realized_pnl: 0,
  unrealized_pnl: null,
  opened_at: null,
  ...o,
});

Deno.test("portfolio view: per stream, per venue and account exposure and P&L", () => {
  const v = portfolioStreams(
    [
      row({
        venue: "binance_us",
        symbol: "BTC/USDT",
        qty: 0.04,
        cost: 2400,
        unrealized_pnl: 100,
        realized_pnl: -3,
      }),
      row({ venue: "coinbase", symbol: "BTC/USD", qty: 0, cost: 0, realized_pnl: -60 }),
      row({ venue: "coinbase", symbol: "ETH/USD", qty: 1, cost: 3000, unrealized_pnl: null }),
    ],
    10_000,
    [
      { venue: "binance_us", symbol: "BTC/USDT" },
      { venue: "binance_us", symbol: "ETH/USDT" },
      { venue: "coinbase", symbol: "BTC/USD" },
      { venue: "coinbase", symbol: "ETH/USD" },
    ],
  );
  assert.deepEqual(
    v.streams.map((s) => [s.venue, s.symbol, s.exposure, s.pnl]),
    [
      ["binance_us", "BTC/USDT", 2500, 97],
      ["binance_us", "ETH/USDT", 0, 0],
      ["coinbase", "BTC/USD", 0, -60],
      ["coinbase", "ETH/USD", 3000, 0],
    ],
    "a configured stream without fills shows flat; a held one without a book shows at cost",
  );
  assert.equal(v.streams[0]!.exposure_fraction, 0.25);
  assert.deepEqual(v.venues, [
    { venue: "binance_us", exposure: 2500, exposure_fraction: 0.25 },
    { venue: "coinbase", exposure: 3000, exposure_fraction: 0.3 },
  ]);
  assert.equal(v.total.exposure, 5500);
  assert.equal(v.total.exposure_fraction, 0.55);
  assert.equal(v.total.pnl, 37);
  assert.equal(v.total.realized_pnl, -63);
  assert.equal(v.total.unrealized_pnl, 100);
});

Deno.test("portfolio view without an equity leaves the fractions unknown", () => {
  const v = portfolioStreams([row({ venue: "kraken", symbol: "BTC/USD", qty: 1, cost: 5 })], null);
  assert.equal(v.streams[0]!.exposure_fraction, null);
  assert.equal(v.total.exposure_fraction, null);
  assert.equal(v.total.exposure, 5);
});
