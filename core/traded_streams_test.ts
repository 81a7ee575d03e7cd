import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig } from "./config.ts";
import { ConfigError } from "./errors.ts";
import { tradedStreams } from "./traded_streams.ts";

const base = parse(await Deno.readTextFile(new URL("../config.yaml", import.meta.url)));

function doc(change: (d: Record<string, Record<string, unknown>>) => void): unknown {
  const d = structuredClone(base);
  change(d);
  return d;
}

function issuesOf(d: unknown): string[] {
  try {
    parseConfig(d, "t.yaml");
  } catch (e) {
    assert.ok(e instanceof ConfigError);
    return [...e.issues];
  }
  assert.fail("expected a ConfigError");
}

Deno.test("the shipped config trades the seed's four pairs, one account with portfolio caps", () => {
  const cfg = parseConfig(base, "config.yaml");
  assert.deepEqual(tradedStreams(cfg).map((s) => `${s.venue} ${s.symbol}`), [
    "binance_us BTC/USDT",
    "binance_us ETH/USDT",
    "coinbase BTC/USD",
    "coinbase ETH/USD",
  ]);
  assert.equal(cfg.trading.portfolio.max_symbol_fraction, 0.25);
  assert.equal(cfg.trading.portfolio.max_total_exposure, 1);
});

Deno.test("without trading.streams each symbol trades on the first enabled venue listing it", () => {
  const cfg = parseConfig(
    doc((d) => {
      delete d.trading!.streams;
      (d.exchanges!.binance_us as Record<string, unknown>).enabled = false;
    }),
    "t.yaml",
  );
  assert.deepEqual(tradedStreams(cfg).map((s) => `${s.venue} ${s.symbol}`), [
    "coinbase BTC/USDT",
    "coinbase ETH/USDT",
    "coinbase BTC/USD",
    "coinbase ETH/USD",
  ]);
  assert.equal(
    parseConfig(doc((d) => delete d.trading!.portfolio), "t").trading.portfolio
      .max_asset_fraction,
    0.35,
  );
});

Deno.test("an unknown venue, an unlisted symbol and a duplicate are refused with key paths", () => {
  const issues = issuesOf(doc((d) => {
    d.trading!.streams = [
      { venue: "bitstamp", symbol: "BTC/USD" },
      { venue: "kucoin", symbol: "BTC/USD" },
      { venue: "binance_us", symbol: "BTC/USDT" },
      { venue: "binance_us", symbol: "BTC/USDT" },
      { venue: "kraken", symbol: "SOL/USD" },
    ];
  }));
  assert.deepEqual(issues, [
    'trading.streams.0.venue: unknown venue "bitstamp" (expected one of binance_us, coinbase, kraken, kucoin)',
    "trading.streams.1.symbol: kucoin does not list BTC/USD (exchanges.kucoin.symbols)",
    "trading.streams.3.symbol: binance_us:BTC/USDT is listed twice",
    "trading.streams.4.symbol: kraken does not list SOL/USD (exchanges.kraken.symbols)",
    "trading.streams.4.symbol: SOL/USD is not one of symbols",
  ]);
});

Deno.test("a disabled or missing venue, bad caps and balances are refused with key paths", () => {
  const issues = issuesOf(doc((d) => {
    (d.exchanges!.coinbase as Record<string, unknown>).enabled = false;
    delete d.exchanges!.kraken;
    d.trading!.streams = [
      { venue: "coinbase", symbol: "BTC/USD" },
      { venue: "kraken", symbol: "BTC/USD" },
    ];
    d.trading!.balances = { coinbase: { USDT: 100 }, kucoin: { USDT: 5 } };
  }));
  assert.deepEqual(issues, [
    "trading.streams.0.venue: coinbase is disabled (exchanges.coinbase)",
    "trading.streams.1.venue: kraken is not configured under exchanges",
    "trading.balances.kucoin: no traded stream is on kucoin",
    "trading.balances.coinbase: needs a USD balance to trade BTC/USD",
    "trading.balances.kraken: needs a USD balance to trade BTC/USD",
  ]);
  assert.deepEqual(
    issuesOf(doc((d) => {
      d.trading!.portfolio = { max_symbol_fraction: 1.5 };
      (d.trading!.streams as Record<string, unknown>[])[0]!.max_position_fraction = 2;
    })),
    [
      "trading.streams.0.max_position_fraction: Too big: expected number to be <=1",
      "trading.portfolio.max_symbol_fraction: Too big: expected number to be <=1",
    ],
  );
});
