import assert from "node:assert/strict";
import { Decoder } from "./decoder.ts";

Deno.test("Decoder uses the store's decimals, then core's defaults, and flags the rest", () => {
  const d = new Decoder([{
    venue: "kraken",
    symbol: "BTC/USD",
    price_decimals: 1,
    size_decimals: 8,
  }]);
  assert.equal(d.price("kraken", "BTC/USD", 615021), 61502.1);
  // No instruments row (a store only the paper trader wrote): core's Binance BTC/USDT.
  assert.equal(d.price("binance", "BTC/USDT", 6160823), 61608.23);
  assert.equal(d.size("binance", "BTC/USDT", 4050000), 0.0405);
  assert.equal(d.unknown.size, 0);
  assert.equal(d.price("nowhere", "X/Y", 5), 5);
  assert.deepEqual([...d.unknown], ["nowhere X/Y"]);
});
