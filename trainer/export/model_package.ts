import { sha256Hex } from "../../core/hash.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";

import type { ModelWeights } from "../../core/model/model_weights.ts";
import { exportTransformerOnnx } from "./transformer_onnx.ts";

/** What describes a trained model besides its weights. */
export interface PackageInfo {
  /** Version label, e.g. "20261124T0640Z-ppo". */
  version: string;
  /** Creation time (ISO). */
  createdAt: string;
  /** Feature-spec hash and names the model was trained on. */
  featureSpec: { hash: string; names: string[] };
  /** Normalization fitted on the training split. */
  normalization: { mean: readonly number[]; std: readonly number[]; clip: number };
  /** Evaluation metrics to show on the edge. */
  metrics?: Record<string, number>;
  /** Training configuration. */
  training?: Record<string, unknown>;
  /** Include the attention output (for attention maps). Default true. */
  attention?: boolean;
}

/** A built package: manifest plus the two model files. */
export interface BuiltPackage {
  /** The manifest. */
  manifest: ModelManifest;
  /** File bytes by name. */
  files: Map<string, Uint8Array>;
}

/** Exports fp32 and INT8 graphs and writes their manifest (default precision INT8). */
export async function buildPackage(
  w: ModelWeights,
  info: PackageInfo,
): Promise<BuiltPackage> {
  const attention = info.attention ?? true;
  const fp32 = exportTransformerOnnx(w, {
    precision: "fp32",
    attention,
    docString: `feature_spec ${info.featureSpec.hash}`,
  });
  const int8 = exportTransformerOnnx(w, {
    precision: "int8",
    attention,
    docString: `feature_spec ${info.featureSpec.hash}`,
  });
  const s = w.spec;
  const manifest: ModelManifest = {
    format: "tickerml-model/1",
    version: info.version,
    created_at: info.createdAt,
    shape: {
      feature_dim: s.featureCount,
      window: s.windowLength,
      d_model: s.dModel,
      n_heads: s.heads,
      n_layers: s.layers,
      ff_dim: s.ffnWidth,
    },
    feature_spec: info.featureSpec,
    normalization: {
      mean: [...info.normalization.mean],
      std: [...info.normalization.std],
      clip: info.normalization.clip,
    },
    files: {
      fp32: { path: "model.fp32.onnx", sha256: await sha256Hex(fp32), bytes: fp32.length },
      int8: { path: "model.int8.onnx", sha256: await sha256Hex(int8), bytes: int8.length },
    },
    default_precision: "int8",
    metrics: info.metrics ?? {},
    training: info.training ?? {},
  };
  return { manifest, files: new Map([["model.fp32.onnx", fp32], ["model.int8.onnx", int8]]) };
}

/** Writes a package into `dir` (manifest.json + files). */
export async function writePackage(pkg: BuiltPackage, dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, bytes] of pkg.files) await Deno.writeFile(`${dir}/${name}`, bytes);
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(pkg.manifest, null, 2));
}
