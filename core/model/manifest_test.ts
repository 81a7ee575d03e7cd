import assert from "node:assert/strict";
import { parseManifest } from "./manifest.ts";
import { INT8_SCHEME } from "./int8_scheme.ts";

const DEMO = new URL(
  "../../models/demo/20261207T234600242Z-03585c/manifest.json",
  import.meta.url,
);
const TINY = new URL("../../testdata/models/tiny/manifest.json", import.meta.url);

async function doc(url: URL): Promise<Record<string, unknown>> {
  return JSON.parse(await Deno.readTextFile(url));
}

Deno.test("parseManifest() reads older manifests (no policy, no quantization) as pretrained models", async () => {
  for (const url of [DEMO, TINY]) {
    const d = await doc(url);
    assert.deepEqual(d.policy, { kind: "pretrained", position_input: false });
    delete d.policy;
    delete d.quantization;
    const r = parseManifest(d);
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.manifest.policy, { kind: "pretrained", position_input: false });
    assert.equal(r.manifest.quantization, undefined);
  }
});

Deno.test("parseManifest() reads the INT8 scheme and names bad quantization entries", async () => {
  const d = await doc(TINY);
  const r = parseManifest(d);
  assert.ok(r.ok, JSON.stringify(r));
  assert.deepEqual(r.manifest.quantization, INT8_SCHEME);
  const bad = (q: unknown, files?: unknown) =>
    parseManifest({
      ...d,
      quantization: q,
      ...(files ? { files, default_precision: "fp32" } : {}),
    });
  const wide = bad({ ...INT8_SCHEME, weight_range: 128 });
  assert.ok(!wide.ok && /^quantization\.weight_range: /.test(wide.issues[0] ?? ""));
  const extra = bad({ ...INT8_SCHEME, bits: 7 });
  assert.ok(!extra.ok && /^quantization: .*bits/.test(extra.issues[0] ?? ""));
  const noInt8 = bad(INT8_SCHEME, { fp32: (d.files as { fp32: unknown }).fp32 });
  assert.ok(
    !noInt8.ok &&
      noInt8.issues.includes("quantization: is only allowed with an INT8 file (files.int8)"),
    JSON.stringify(noInt8),
  );
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
