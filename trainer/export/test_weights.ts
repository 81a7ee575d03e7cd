import { type ModelSpec, parameterShapes } from "../../core/model/model_spec.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { seededRandom } from "../../core/random.ts";

/** The shape of the seeded export tests (transformer_onnx_test.ts, int8_kernel_test.ts). */
export const SEEDED_TEST_SHAPE: ModelSpec = {
  featureCount: 10,
  windowLength: 12,
  dModel: 32,
  heads: 4,
  layers: 3,
  ffnWidth: 64,
};

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

/**
 * A deterministic RL policy on `w` for export tests: "heads" copies the
 * model's action, size and value heads with seeded perturbations and non-zero
 * position terms (scale `posScale`), "mlp" is a random 2-layer tanh network over
 * [z, position]. The tensors are those of `rl_policy.ckpt`.
 */
export function seededPolicy(
  w: ModelWeights,
  network: "heads" | "mlp",
  seed: number,
  options: { hidden?: number; posScale?: number } = {},
): Map<string, { shape: number[]; data: Float32Array }> {
  const rand = seededRandom(seed);
  const d = w.spec.dModel;
  const posScale = options.posScale ?? 4;
  const noise = (n: number, scale: number) =>
    Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const out = new Map<string, { shape: number[]; data: Float32Array }>();
  if (network === "heads") {
    for (const [h, width] of [["action_logits", 3], ["position_size", 1], ["value", 1]] as const) {
      for (const [suffix, shape] of [["w", [d, width]], ["b", [width]]] as const) {
        const base = w.params.get(`heads.${h}.${suffix}`) as Float32Array;
        const n = noise(base.length, 0.05);
        out.set(`heads.${h}.${suffix}`, {
          shape: [...shape],
          data: base.map((v, i) => v + (n[i] as number)),
        });
      }
      out.set(`policy.pos.${h}`, { shape: [1, width], data: noise(width, posScale) });
    }
  } else {
    const h = options.hidden ?? 16;
    const layer = (name: string, rows: number, cols: number) => {
      out.set(`policy.${name}.w`, {
        shape: [rows, cols],
        data: noise(rows * cols, 1 / Math.sqrt(rows)),
      });
      out.set(`policy.${name}.b`, { shape: [cols], data: noise(cols, 0.1) });
    };
    layer("l1", d + 1, h);
    // the position column gets a larger weight so the position visibly matters
    const l1 = (out.get("policy.l1.w") as { data: Float32Array }).data;
    for (let j = 0; j < h; j++) l1[d * h + j] = (rand() * 2 - 1) * posScale;
    layer("l2", h, h);
    layer("pi", h, 3);
    layer("size", h, 1);
    layer("v", h, 1);
  }
  out.set("policy.size.log_std", { shape: [1], data: Float32Array.of(-0.5) });
  return out;
}
