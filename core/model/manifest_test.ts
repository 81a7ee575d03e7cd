import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";

const DEMO = new URL(
  "../../models/demo/20261124T075538907Z-bc2dd5/manifest.json",
  import.meta.url,
);
const TINY = new URL("../../testdata/models/tiny/manifest.json", import.meta.url);

async function doc(url: URL): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(url));
}

Deno.test("parseManifest() reads manifests without a policy as pretrained models", async () => {
  for (const url of [DEMO, TINY]) {
    const d = await doc(url);
    assert.equal(d.policy, undefined);
    const r = parseManifest(d);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.manifest.policy, { kind: "pretrained", position_input: false });
  }
});

Deno.test("parseManifest() accepts an RL policy with the position input", async () => {
  const d = await doc(TINY);
  d.policy = { kind: "rl", algo: "ppo", network: "heads", position_input: true };
  const r = parseManifest(d);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.manifest.policy, d.policy);
});

Deno.test("parseManifest() names the policy path of bad values", async (t) => {
  const cases: [string, unknown, RegExp][] = [
    [
      "an RL policy without the position input",
      { kind: "rl", position_input: false },
      /^policy\.position_input: must be true for an RL policy/,
    ],
    [
      "a pretrained model with a position input",
      { kind: "pretrained", position_input: true },
      /^policy\.position_input: must be false for a pretrained model/,
    ],
    [
      "an algorithm on a pretrained model",
      { kind: "pretrained", algo: "ppo", position_input: false },
      /^policy\.algo: is only allowed when policy\.kind is rl/,
    ],
    ["an unknown kind", { kind: "bandit", position_input: true }, /^policy\.kind: /],
    [
      "an unknown network",
      { kind: "rl", network: "cnn", position_input: true },
      /^policy\.network: /,
    ],
    ["an unknown key", { kind: "rl", position_input: true, extra: 1 }, /^policy: .*extra/],
    ["a missing position_input", { kind: "rl" }, /^policy\.position_input: /],
  ];
  for (const [name, policy, issue] of cases) {
    await t.step(name, async () => {
      const d = await doc(TINY);
      d.policy = policy;
      const r = parseManifest(d);
      assert.ok(!r.ok);
      assert.ok(r.issues.some((i) => issue.test(i)), r.issues.join("; "));
    });
  }
});
