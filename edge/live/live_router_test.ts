/**
 * The live router on the live ModelService's own host: the model decides the streams it
 * serves, the baseline the others, and a hot swap to a model serving other streams rebuilds
 * the routes while the strategy keeps its name (a restart continues the run).
 */
import assert from "node:assert/strict";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { BUNDLED_MODEL } from "../../infra/bundled_data.ts";
import { edgeSpecHash } from "../inference/stream_routes.ts";
import { LiveRouter, refuseUnserved } from "./live_router.ts";
import { ModelService } from "./model_service.ts";

const STREAMS = [
  { venue: "binance_us", symbol: "BTC/USDT" },
  { venue: "binance_us", symbol: "ETH/USDT" },
];

Deno.test("live router: routes per stream on the service's host, rebuilt on a hot swap that serves other streams", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-live-router-" });
  const lines: string[] = [];
  let router: LiveRouter | undefined;
  const swaps: boolean[] = [];
  const service = new ModelService({
    registryDir: `${dir}/registry`,
    threads: 1,
    log: (l) => lines.push(l),
    refuse: refuseUnserved(STREAMS),
    onSwapped: async () => {
      if (router) swaps.push(await router.reroute());
    },
  });
  try {
    await service.load(BUNDLED_MODEL);
    const first = service.host.current!.manifest.version;
    router = await LiveRouter.open({
      host: service.host,
      registryDir: `${dir}/registry`,
      streams: STREAMS,
      baseline: baselineStrategy("imbalance", { intervalMs: 1_000 }),
      intervalMs: 1_000,
      onPrediction: () => {},
      log: (l) => lines.push(l),
    });
    assert.deepEqual(router.routes.map((r) => r.decider), ["model", "baseline"]);
    assert.ok(lines.includes(`streams: binance_us BTC/USDT: model ${first}`), lines.join("\n"));
    assert.equal(router.strategy.name, "model");

    // The same model published again (another version, same streams): routes unchanged.
    const same = await variant(dir, "same-streams", undefined);
    await service.registry.activate((await service.registry.installFromDir(same)).version);
    assert.match(await service.reload(), /-> same-streams/);
    assert.deepEqual(swaps, [false]);
    assert.deepEqual(router.routes.map((r) => r.decider), ["model", "baseline"]);

    // A model that serves both streams goes live: ETH/USDT now decided by the model too.
    const both = await variant(dir, "both-streams", STREAMS);
    await service.registry.activate(
      (await service.registry.installFromDir(both)).version,
    );
    const detail = await service.reload();
    assert.match(detail, /-> both-streams/);
    assert.deepEqual(swaps, [false, true]);
    assert.deepEqual(router.routes.map((r) => r.decider), ["model", "model"]);
    assert.equal(router.strategy.name, "model");

    // A model that serves none of the traded streams is refused; the running one stays.
    const other = await variant(dir, "other-stream", [{ venue: "coinbase", symbol: "ETH/USD" }]);
    await service.registry.activate((await service.registry.installFromDir(other)).version);
    await assert.rejects(service.reload(), /serves none of the traded streams/);
    assert.equal(service.host.current?.manifest.version, "both-streams");
    assert.deepEqual(swaps, [false, true]);
  } finally {
    await service.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

/** A copy of the bundled package under another version, serving `serves` when given. */
async function variant(
  dir: string,
  version: string,
  serves: readonly { venue: string; symbol: string }[] | undefined,
): Promise<string> {
  const out = `${dir}/${version}`;
  await Deno.mkdir(out, { recursive: true });
  const m = JSON.parse(await Deno.readTextFile(`${BUNDLED_MODEL}/manifest.json`));
  m.version = version;
  if (serves) {
    m.serves = serves.map((s) => ({ ...s, feature_spec_hash: edgeSpecHash(s) }));
  }
  await Deno.writeTextFile(`${out}/manifest.json`, JSON.stringify(m));
  for (const n of ["model.fp32.onnx", "model.int8.onnx"]) {
    await Deno.copyFile(`${BUNDLED_MODEL}/${n}`, `${out}/${n}`);
  }
  return out;
}
