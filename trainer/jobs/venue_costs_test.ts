import assert from "node:assert/strict";
import { readConfigFile } from "../../infra/config/load_config.ts";
import { ENGINE_DEFAULT_FEE_BPS, venueCosts } from "./venue_costs.ts";

const config = await readConfigFile(new URL("../../config.yaml", import.meta.url).pathname);

Deno.test("venueCosts() takes the configured venue's fees and the configured position size", () => {
  const c = venueCosts(config, "config.yaml", "coinbase", "BTC/USD");
  assert.equal(c.fee_bps, 60);
  assert.equal(c.maker_fee_bps, 40);
  assert.equal(c.max_position_fraction, 0.25);
  assert.match(c.costs_source, /taker 60 bps, maker 40 bps from config\.yaml exchanges\.coinbase/);
  const k = venueCosts(config, "config.yaml", "kraken", "BTC/USD");
  assert.deepEqual([k.fee_bps, k.maker_fee_bps], [40, 25]);
});

Deno.test("venueCosts(): the command line wins, and an unconfigured venue says what it used", () => {
  const o = venueCosts(config, "config.yaml", "coinbase", "BTC/USD", {
    feeBps: 1,
    maxPositionFraction: 0.1,
  });
  assert.deepEqual([o.fee_bps, o.maker_fee_bps, o.max_position_fraction], [1, 1, 0.1]);
  assert.match(o.costs_source, /from --fee-bps.*from --max-position-fraction/);
  const b = venueCosts(config, "config.yaml", "binance", "BTC/USDT");
  assert.equal(b.fee_bps, ENGINE_DEFAULT_FEE_BPS);
  assert.match(b.costs_source, /binance is not in config\.yaml exchanges/);
  const stream = venueCosts(
    {
      ...config,
      trading: {
        ...config.trading,
        streams: [{ venue: "kucoin", symbol: "BTC/USDT", max_position_fraction: 0.05 }],
      },
    },
    "c.yaml",
    "kucoin",
    "BTC/USDT",
  );
  assert.equal(stream.max_position_fraction, 0.05);
  assert.match(stream.costs_source, /from the kucoin BTC\/USDT stream/);
});
