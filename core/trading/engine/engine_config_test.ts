import assert from "node:assert/strict";
import { parse } from "yaml";
import { parseConfig } from "../../config.ts";
import { BinanceBookSync } from "../../market/binance_sync.ts";
import { defaultInstrument } from "../../market/instruments.ts";
import { type Instrument, makeInstrument } from "../../market/instrument.ts";
import { venueBookSync } from "../../market/venue_book_sync.ts";
import { tradedInstruments } from "../../traded_streams.ts";
import { engineConfigFromConfig, rulesFor } from "./engine_config.ts";
import { parseAmount } from "../orders/money.ts";

Deno.test("engineConfigFromConfig maps config.yaml onto the engine settings", async () => {
  const doc = parse(await Deno.readTextFile(new URL("../../../config.yaml", import.meta.url)));
  doc.exchanges.binance_us.min_notional = 10;
  const config = parseConfig(doc, "config.yaml");
  const inst = defaultInstrument("binance_us", "BTC/USDT") as Instrument;
  const cfg = engineConfigFromConfig(config, [inst], (b) => new BinanceBookSync(b));
  const v = config.exchanges.binance_us;
  assert.deepEqual(cfg.fees.binance_us, {
    makerPpm: (v?.maker_fee_bps ?? 0) * 100,
    takerPpm: (v?.taker_fee_bps ?? 0) * 100,
  });
  assert.equal(cfg.minNotional.binance_us, parseAmount("10"));
  assert.equal(cfg.sizing.maxEquityFraction, config.trading.max_position_fraction);
  assert.equal(cfg.maxSlippageBps, config.trading.slippage_band_bps);
  assert.equal(cfg.latency.next(), config.trading.order_latency_ms);
  assert.equal(cfg.risk.maxDrawdownPct, config.risk.max_drawdown);
  assert.equal(cfg.risk.cooldownMs, config.risk.cooldown_minutes * 60_000);
  assert.equal(cfg.exits.stopLossPct, config.risk.stop_loss);
  assert.equal(cfg.bookGuard.staleMs, config.risk.stale_after_s * 1000);
  assert.deepEqual(cfg.initialBalances, [{
    venue: "binance_us",
    asset: "USDT",
    amount: parseAmount(String(config.trading.initial_balance)),
  }]);
});

Deno.test("engineConfigFromConfig: one account over the streams, portfolio caps, per-stream caps", async () => {
  const doc = parse(await Deno.readTextFile(new URL("../../../config.yaml", import.meta.url)));
  const config = parseConfig(doc, "config.yaml");
  const insts = tradedInstruments(config);
  const cfg = engineConfigFromConfig(config, insts, venueBookSync);
  assert.deepEqual(cfg.initialBalances, [
    { venue: "binance_us", asset: "USDT", amount: parseAmount("5000") },
    { venue: "coinbase", asset: "USD", amount: parseAmount("5000") },
  ]);
  assert.deepEqual(cfg.sizing.portfolio, {
    maxTotal: 1,
    maxSymbol: 0.25,
    maxVenue: 0.6,
    maxAsset: 0.35,
  });
  doc.trading.balances = { binance_us: { USDT: 7000 }, coinbase: { USD: 1000 } };
  doc.trading.streams[2].max_position_fraction = 0.1;
  const c2 = engineConfigFromConfig(parseConfig(doc, "c"), insts, venueBookSync);
  assert.deepEqual(c2.initialBalances.map((b) => b.amount), [
    parseAmount("7000"),
    parseAmount("1000"),
  ]);
  assert.deepEqual(c2.sizing.streamFractions, { "coinbase:BTC/USD": 0.1 });
});

Deno.test("rulesFor() takes the venue's published minimum notional when it is above the configured one", async () => {
  const doc = parse(await Deno.readTextFile(new URL("../../../config.yaml", import.meta.url)));
  doc.exchanges.binance_us.min_notional = 10;
  const config = parseConfig(doc, "config.yaml");
  const table = defaultInstrument("binance_us", "BTC/USDT") as Instrument;
  const cfg = engineConfigFromConfig(config, [table], (b) => new BinanceBookSync(b));
  assert.equal(rulesFor(cfg, table).minNotional, parseAmount("10"));
  const listed = (minNotional: string) => makeInstrument({ ...table, minNotional });
  assert.equal(rulesFor(cfg, listed("25.00000000")).minNotional, parseAmount("25"));
  assert.equal(rulesFor(cfg, listed("1.00000000")).minNotional, parseAmount("10"));
});
