/**
 * The golden tiny RL-policy package used by edge tests (testdata/models/tiny_rl/):
 * the tiny model's seeded encoder with a seeded "heads" policy whose position
 * terms are large enough that the position fraction changes the decision,
 * exported fp32 + INT8, plus the float64 reference outputs for one window at
 * several positions (tiny_rl_golden.json).
 * Regenerate with `deno run -A trainer/main.ts fixture --kind tiny-rl`.
 *
 * @module
 */
import { buildPackage, type BuiltPackage, writePackage } from "./model_package.ts";
import { referenceForward } from "./reference_forward.ts";
import { referencePolicy } from "./reference_policy.ts";
import { seededPolicy, seededWeights, seededWindow } from "./test_weights.ts";
import { TINY_SHAPE } from "./tiny_fixture.ts";

/** Position fractions of the golden outputs. */
export const TINY_RL_POSITIONS = [0, 0.1, 0.25] as const;

/** Builds the golden RL package and its expected outputs (deterministic). */
export async function buildTinyRlFixture(): Promise<
  { pkg: BuiltPackage; golden: Record<string, unknown> }
> {
  const w = seededWeights(TINY_SHAPE, 7);
  const tensors = seededPolicy(w, "heads", 8, { posScale: 12 });
  const names = Array.from({ length: TINY_SHAPE.featureCount }, (_, i) => `f${i}`);
  const pkg = await buildPackage(w, {
    version: "tiny-rl-v1",
    createdAt: "2026-11-24T00:00:00.000Z",
    featureSpec: { hash: "tiny-feature-spec-v1", names },
    normalization: { mean: names.map(() => 0), std: names.map(() => 1), clip: 10 },
    metrics: {},
    training: { note: "seeded encoder and policy for tests, not trained" },
    policy: { tensors, algo: "ppo" },
  });
  const window = seededWindow(TINY_SHAPE, 11);
  const r = referenceForward(w, window);
  const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
  const golden = {
    window,
    price_pred: r.price,
    risk_score: r.risk,
    positions: TINY_RL_POSITIONS.map((position) => {
      const p = referencePolicy(tensors, r.encoding, position);
      const m = Math.max(...p.logits);
      const e = p.logits.map((v) => Math.exp(v - m));
      const s = e.reduce((a, v) => a + v, 0);
      return {
        position,
        action_probs: e.map((v) => v / s),
        position_size: sigmoid(p.sizeMean),
        value: p.value,
      };
    }),
  };
  return { pkg, golden };
}

/** Writes the fixture (`deno run -A trainer/main.ts fixture --kind tiny-rl`). */
export async function writeTinyRlFixture(dir: string = "testdata/models/tiny_rl"): Promise<void> {
  const { pkg, golden } = await buildTinyRlFixture();
  await writePackage(pkg, dir);
  await Deno.writeTextFile(`${dir}/../tiny_rl_golden.json`, JSON.stringify(golden));
  console.log(
    `wrote ${dir} (${pkg.manifest.files.fp32.bytes} + ${pkg.manifest.files.int8?.bytes} bytes)`,
  );
}
