import assert from "node:assert/strict";
import { streamInputName, withStreamInput } from "./stream_input.ts";

Deno.test("the stream's one-hot follows every row's values, never missing", () => {
  const inputs = ["binance_us:BTC/USDT", "coinbase:ETH/USD"];
  const rows = withStreamInput(
    [[1, 2], { values: [3, 4], missing: [0, 1] }],
    inputs,
    "coinbase:ETH/USD",
  );
  assert.deepEqual(rows.map((r) => Array.from((r as { values: ArrayLike<number> }).values)), [
    [1, 2, 0, 1],
    [3, 4, 0, 1],
  ]);
  assert.deepEqual(Array.from((rows[1] as { missing: ArrayLike<number> }).missing), [0, 1, 0, 0]);
  assert.equal(streamInputName("coinbase:ETH/USD"), "stream.coinbase:ETH/USD");
  assert.throws(
    () => withStreamInput([[1]], inputs, "kraken:BTC/USD"),
    /Cannot decide kraken:BTC\/USD: the model's stream inputs are binance_us:BTC\/USDT, coinbase:ETH\/USD/,
  );
});
