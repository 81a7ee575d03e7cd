import assert from "node:assert/strict";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { routedModelStrategy } from "./routed_model.ts";

Deno.test("without an installed model every stream trades the baseline, and the log says so", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    const r = await routedModelStrategy({
      registryDir: dir,
      streams: [{ venue: "binance_us", symbol: "BTC/USDT" }, {
        venue: "coinbase",
        symbol: "ETH/USD",
      }],
      baseline: baselineStrategy("momentum"),
      intervalMs: 1_000,
      log: (l) => lines.push(l),
    });
    assert.equal(r.strategy.name, "momentum");
    assert.equal(r.models.size, 0);
    assert.deepEqual(lines, [
      "streams: binance_us BTC/USDT: baseline momentum (no model is installed)",
      "streams: coinbase ETH/USD: baseline momentum (no model is installed)",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
