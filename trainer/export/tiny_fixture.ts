/**
 * The golden tiny model used by edge tests (testdata/models/tiny/): seeded weights,
 * exported fp32 + INT8, plus the float64 reference outputs for one window.
 * Regenerate with `deno run -A trainer/main.ts fixture --kind tiny`.
 */
import type { ModelSpec } from "../../core/model/model_spec.ts";
import { buildPackage, type BuiltPackage, writePackage } from "./model_package.ts";
import { referenceForward } from "./reference_forward.ts";
import { seededWeights, seededWindow } from "./test_weights.ts";

/** Shape of the tiny golden model. */
export const TINY_SHAPE: ModelSpec = {
  featureCount: 6,
  windowLength: 8,
  dModel: 16,
  heads: 2,
  layers: 2,
  ffnWidth: 32,
};

/** Builds the golden package and its expected outputs (deterministic). */
export async function buildTinyFixture(): Promise<
  { pkg: BuiltPackage; golden: Record<string, unknown> }
> {
  const w = seededWeights(TINY_SHAPE, 7);
  const names = Array.from({ length: TINY_SHAPE.featureCount }, (_, i) => `f${i}`);
  const pkg = await buildPackage(w, {
    version: "tiny-v1",
    createdAt: "2026-11-24T00:00:00.000Z",
    featureSpec: { hash: "tiny-feature-spec-v1", names },
    normalization: { mean: names.map(() => 0), std: names.map(() => 1), clip: 10 },
    metrics: {},
    training: { note: "seeded weights for tests, not trained" },
  });
  const window = seededWindow(TINY_SHAPE, 11);
  const r = referenceForward(w, window);
  const golden = {
    window,
    action_probs: r.actionProbs,
    price_pred: r.price,
    position_size: r.position,
    risk_score: r.risk,
    value: r.value,
    attention: r.attention,
  };
  return { pkg, golden };
}

/** Writes the fixture (`deno run -A trainer/main.ts fixture --kind tiny`). */
export async function writeTinyFixture(dir: string = "testdata/models/tiny"): Promise<void> {
  const { pkg, golden } = await buildTinyFixture();
  await writePackage(pkg, dir);
  await Deno.writeTextFile(`${dir}/../tiny_golden.json`, JSON.stringify(golden));
  console.log(
    `wrote ${dir} (${pkg.manifest.files.fp32.bytes} + ${pkg.manifest.files.int8?.bytes} bytes)`,
  );
}
