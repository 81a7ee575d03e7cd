import assert from "node:assert/strict";
import { ModelRegistry } from "./model_registry.ts";
import { installedStreamRoutes } from "./stream_routes.ts";

const DEMO = new URL("../../models/demo/20261207T234600242Z-03585c", import.meta.url).pathname;
const STREAMS = [
  { venue: "binance_us", symbol: "BTC/USDT" },
  { venue: "coinbase", symbol: "ETH/USD" },
];

Deno.test("the installed demo model decides the stream it serves; the others fall back visibly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lines: string[] = [];
    const none = await installedStreamRoutes(dir, STREAMS, "imbalance", (l) => lines.push(l));
    assert.deepEqual(none.map((r) => r.decider), ["baseline", "baseline"]);
    const registry = new ModelRegistry(dir);
    const m = await registry.installFromDir(DEMO);
    await registry.activate(m.version);
    lines.length = 0;
    const routes = await installedStreamRoutes(dir, STREAMS, "imbalance", (l) => lines.push(l));
    assert.deepEqual(routes.map((r) => r.decider), ["model", "baseline"]);
    assert.deepEqual(lines, [
      `streams: binance_us BTC/USDT: model ${m.version}`,
      `streams: coinbase ETH/USD: baseline imbalance (no installed model serves it (${m.version}))`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
