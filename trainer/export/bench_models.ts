/**
 * Writes default-size models (d_model 128, 4 heads, 6 layers, feed-forward 256) with
 * seeded weights at T = 32, 64 and 100 for latency benchmarks:
 * `deno run -A trainer/export/bench_models.ts OUTDIR [FEATURES]`.
 */
import { buildPackage, writePackage } from "./model_package.ts";
import { seededWeights } from "./test_weights.ts";

const out = Deno.args[0] ?? "data/bench-models";
const F = Number(Deno.args[1] ?? 40);
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
