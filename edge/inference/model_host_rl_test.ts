import assert from "node:assert/strict";
import { ModelHost } from "./model_host.ts";
import { ModelRegistry, ModelRejected } from "./model_registry.ts";

const TINY = new URL("../../testdata/models/tiny/", import.meta.url).pathname;
const TINY_RL = new URL("../../testdata/models/tiny_rl/", import.meta.url).pathname;
const golden = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/models/tiny_rl_golden.json", import.meta.url)),
) as {
  window: number[][];
  price_pred: number[];
  risk_score: number;
  positions: { position: number; action_probs: number[]; position_size: number }[];
};
const pretrainedGolden = JSON.parse(
  await Deno.readTextFile(new URL("../../testdata/models/tiny_golden.json", import.meta.url)),
);

async function registry(): Promise<ModelRegistry> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-registry-" });
  return new ModelRegistry(dir, { featureHash: "tiny-feature-spec-v1" });
}

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-5, `${what}: ${a} vs ${b}`);

Deno.test("ModelHost feeds the position fraction to an RL policy and reproduces its outputs", async () => {
  const reg = await registry();
  const m = await reg.installFromDir(TINY_RL);
  assert.equal(m.policy.kind, "rl");
  // maxFraction 1: sizeFraction is the order size sigmoid(mean) the trainer's greedy rule uses
  const host = new ModelHost(reg, { precision: "fp32", maxFraction: 1 });
  await host.swapTo(m.version);
  const actions: string[] = [];
  for (const g of golden.positions) {
    const r = await host.decide(golden.window, { positionFraction: g.position });
    const d = r.decision;
    [d.probs.hold, d.probs.buy, d.probs.sell].forEach((p, i) =>
      close(p, g.action_probs[i] as number, `p${i} at ${g.position}`)
    );
    close(d.sizeFraction, g.position_size, `size at ${g.position}`);
    d.pricePred.forEach((p, i) => close(p, golden.price_pred[i] as number, `price ${i}`));
    close(d.risk, golden.risk_score, "risk");
    assert.equal(r.positionFraction, g.position);
    actions.push(d.action);
  }
  // this policy buys when flat and holds once it holds a position
  assert.deepEqual(actions, ["buy", "hold", "hold"]);
  // no context means flat
  assert.equal((await host.decide(golden.window)).decision.action, "buy");
  const int8 = new ModelHost(reg, { precision: "int8", maxFraction: 1 });
  await int8.swapTo(m.version);
  for (const [i, g] of golden.positions.entries()) {
    const r = await int8.decide(golden.window, { positionFraction: g.position });
    assert.equal(r.decision.action, actions[i], `INT8 at ${g.position}`);
  }
  await assert.rejects(
    () => host.decide(golden.window, { positionFraction: NaN }),
    /position fraction must be finite: NaN/,
  );
});

Deno.test("ModelHost hot-swaps between a pretrained model and an RL policy", async () => {
  const reg = await registry();
  await reg.installFromDir(TINY);
  await reg.installFromDir(TINY_RL);
  const host = new ModelHost(reg, { precision: "fp32" });
  await host.swapTo("tiny-v1");
  const flat = { positionFraction: 0.25 };
  const pre = await host.decide(pretrainedGolden.window, flat);
  assert.equal(pre.positionFraction, undefined, "a pretrained model takes no position");
  close(pre.decision.probs.buy, pretrainedGolden.action_probs[1], "pretrained p_buy");
  // decisions in flight across the swap finish on the model they started with
  const inFlight = Array.from({ length: 5 }, () => host.decide(golden.window, flat));
  const swap = host.swapTo("tiny-rl-v1");
  const after = Array.from({ length: 5 }, () => host.decide(golden.window, flat));
  const results = await Promise.all([...inFlight, ...after]);
  await swap;
  assert.equal(results[0]?.version, "tiny-v1");
  const rl = await host.decide(golden.window, flat);
  assert.equal(rl.version, "tiny-rl-v1");
  assert.equal(rl.decision.action, "hold");
  close(rl.decision.probs.hold, golden.positions[2]!.action_probs[0]!, "RL p_hold at 0.25");
  await host.swapTo("tiny-v1");
  close(
    (await host.decide(pretrainedGolden.window)).decision.probs.buy,
    pretrainedGolden.action_probs[1],
    "back",
  );
  assert.equal(await reg.currentVersion(), "tiny-v1");
});

Deno.test("ModelHost refuses a package whose graph lacks the position input its manifest declares", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-pkg-" });
  for (const e of Deno.readDirSync(TINY)) {
    await Deno.copyFile(`${TINY}${e.name}`, `${dir}/${e.name}`);
  }
  const m = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`));
  m.version = "tiny-claims-rl";
  m.policy = { kind: "rl", algo: "ppo", position_input: true };
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(m));
  const reg = await registry();
  await reg.installFromDir(TINY_RL);
  await reg.installFromDir(dir);
  const host = new ModelHost(reg);
  await host.swapTo("tiny-rl-v1");
  await assert.rejects(() => host.swapTo("tiny-claims-rl"), (e: Error) => {
    assert.ok(e instanceof ModelRejected);
    assert.match(
      e.message,
      /tiny-claims-rl rejected: the graph's inputs \[features\] are not the manifest's \[features,position\]/,
    );
    return true;
  });
  assert.equal(host.current?.manifest.version, "tiny-rl-v1");
});
