/**
 * Writes default-size models (d_model 128, 4 heads, 6 layers, feed-forward 256) with
 * seeded weights at T = 32, 64 and 100 for latency benchmarks:
 * `deno run -A trainer/export/bench_models.ts [--out DIR] [--features F]` (run by
 * `deno task bench:inference`).
 */
import { numberFlag } from "../../infra/cli/flag_values.ts";
import { scriptFlags, scriptUsage } from "../../infra/cli/script_flags.ts";
import { buildPackage, writePackage } from "./model_package.ts";
import { seededWeights } from "./test_weights.ts";

const { values } = scriptFlags("bench-models", {
  options: {
    out: { type: "string", default: "data/bench-models", help: "where the packages go" },
    features: { type: "string", default: "40", help: "feature count F" },
  },
});
const out = values.out;
const F = scriptUsage(
  "bench-models",
  () => numberFlag(values.features, "features", 40, { integer: true, min: 1 }),
);
for (const T of [32, 64, 100]) {
  const shape = {
    featureCount: F,
    windowLength: T,
    dModel: 128,
    heads: 4,
    layers: 6,
    ffnWidth: 256,
  };
  const names = Array.from({ length: F }, (_, i) => `f${i}`);
  const pkg = await buildPackage(seededWeights(shape, T), {
    version: `bench-t${T}`,
    createdAt: new Date(0).toISOString(),
    featureSpec: { hash: "bench-feature-spec", names },
    normalization: { mean: names.map(() => 0), std: names.map(() => 1), clip: 10 },
    attention: false,
  });
  await writePackage(pkg, `${out}/bench-t${T}`);
  console.log(
    `bench-t${T}: fp32 ${pkg.manifest.files.fp32.bytes} bytes, int8 ${pkg.manifest.files.int8?.bytes} bytes`,
  );
}
