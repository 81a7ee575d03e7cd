import assert from "node:assert/strict";
import { binanceSymbolCandidates, defaultBinanceLookup } from "./binance_symbols.ts";

Deno.test("binanceSymbolCandidates() lists one candidate per known quote suffix", () => {
  assert.deepEqual(binanceSymbolCandidates("BTCUSD"), ["BTC/USD"]);
  assert.deepEqual(binanceSymbolCandidates("BTCUSDT"), ["BTC/USDT"]);
  assert.deepEqual(binanceSymbolCandidates("USDT"), []);
  assert.deepEqual(binanceSymbolCandidates("XYZ"), []);
});

Deno.test("defaultBinanceLookup() resolves the venue's default instruments only", () => {
  const us = defaultBinanceLookup("binance_us");
  assert.equal(us("ETHUSD")?.venue, "binance_us");
  assert.equal(us("ETHUSD")?.symbol, "ETH/USD");
  assert.equal(us("ETHUSD"), us("ETHUSD")); // cached
  assert.equal(us("ETHBTC"), undefined);
});
