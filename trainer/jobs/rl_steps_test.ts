import assert from "node:assert/strict";
import type { Dataset } from "../data/dataset.ts";
import { singleStream } from "./rl_steps.ts";

Deno.test("RL and evaluation refuse a pooled dataset of several streams, naming what to run", () => {
  const base = { names: ["a"] } as unknown as Dataset;
  assert.equal(singleStream(base, "rl"), base, "the default spec's dataset");
  const one = {
    ...base,
    streams: [{ venue: "binance_us", symbol: "BTC/USDT" }],
  } as unknown as Dataset;
  assert.equal(singleStream(one, "rl"), one);
  const two = {
    ...base,
    streams: [{ venue: "binance_us", symbol: "BTC/USDT" }, {
      venue: "coinbase",
      symbol: "BTC/USD",
    }],
  } as unknown as Dataset;
  assert.throws(
    () => singleStream(two, "evaluate"),
    /Cannot run the evaluate step on a dataset of 2 pooled streams .* use --mode export/,
  );
});
