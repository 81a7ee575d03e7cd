import { type ModelSpec, parameterShapes } from "../../core/model/model_spec.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { seededRandom } from "../../core/random.ts";

/**
 * Deterministic random weights (Xavier-like scale) for export tests and benches:
 * "known weights" from a seed.
 */
export function seededWeights(spec: ModelSpec, seed: number): ModelWeights {
  const rand = seededRandom(seed);
  const params = new Map<string, Float32Array>();
  for (const { name, shape: dims } of parameterShapes(spec)) {
    const size = dims.reduce((a, b) => a * b, 1);
    const v = new Float32Array(size);
    if (name.endsWith(".g")) v.fill(1);
    else {
      const fanIn = dims.length === 2 ? dims[0] as number : 1;
      const scale = dims.length === 2 ? Math.sqrt(2 / (fanIn + (dims[1] as number))) : 0.05;
      for (let i = 0; i < size; i++) v[i] = (rand() * 2 - 1) * scale * Math.sqrt(3);
    }
    params.set(name, v);
  }
  return { spec, params };
}

/** A deterministic random window `[T][F]` of roughly standardized features. */
export function seededWindow(spec: ModelSpec, seed: number): number[][] {
  const rand = seededRandom(seed);
  return Array.from(
    { length: spec.windowLength },
    () => Array.from({ length: spec.featureCount }, () => (rand() * 2 - 1) * 1.5),
  );
}
