import { sha256Hex } from "../../core/hash.ts";
import { checkInt8Weights } from "../../core/model/int8_graph.ts";
import { INT8_SCHEME } from "../../core/model/int8_scheme.ts";
import { type ModelManifest, PRETRAINED_POLICY } from "../../core/model/manifest.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { type ServedStream, servedStreams } from "../../core/model/served_streams.ts";
import { exportPolicyOnnx } from "./policy_onnx.ts";
import { type PolicyTensors, validatePolicy } from "./policy_weights.ts";
import { type ExportOptions, exportTransformerOnnx } from "./transformer_onnx.ts";

/** An RL policy to package instead of the pretrained heads. */
export interface PackagedPolicy {
  /** Its tensors (`rl_policy.ckpt`), trained on the encoder of the packaged weights. */
  tensors: PolicyTensors;
  /** The algorithm that trained it ("ppo", "a2c"). */
  algo?: string;
}

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
  /**
   * The streams the model serves, each with the hash of its own feature spec (a model trained
   * on several streams: trainer/data/stream_datasets.ts). Default: the stream its feature spec
   * was built for (core/model/served_streams.ts servedStreams).
   */
  serves?: readonly ServedStream[];
  /** Streams of the one-hot input columns (the manifest's `stream_inputs`). */
  streamInputs?: readonly string[];
  /**
   * Package this RL policy (graph inputs `features` and `position`) instead of
   * the pretrained model's own heads.
   */
  policy?: PackagedPolicy;
}

/** A built package: manifest plus the two model files. */
export interface BuiltPackage {
  /** The manifest. */
  manifest: ModelManifest;
  /** File bytes by name. */
  files: Map<string, Uint8Array>;
}

/**
 * Exports fp32 and INT8 graphs (of the pretrained model, or of `info.policy`
 * on its encoder) and writes their manifest (default precision INT8) with the
 * INT8 scheme (`quantization`) and the streams it serves (`serves`). The INT8 graph is checked statically: every
 * MatMulInteger weight must lie within the scheme's range.
 *
 * @throws {Int8GraphError} When the INT8 graph has a weight outside the scheme's range.
 */
export function buildPackage(w: ModelWeights, info: PackageInfo): Promise<BuiltPackage> {
  return Promise.resolve().then(() => build(w, info));
}

function build(w: ModelWeights, info: PackageInfo): BuiltPackage {
  const attention = info.attention ?? true;
  const rl = info.policy;
  const graph = (precision: ExportOptions["precision"]) => {
    const options = { precision, attention, docString: `feature_spec ${info.featureSpec.hash}` };
    return rl ? exportPolicyOnnx(w, rl.tensors, options) : exportTransformerOnnx(w, options);
  };
  const fp32 = graph("fp32");
  const int8 = graph("int8");
  checkInt8Weights(int8, INT8_SCHEME.weight_range);
  const policy: ModelManifest["policy"] = rl
    ? {
      kind: "rl",
      ...(rl.algo !== undefined ? { algo: rl.algo } : {}),
      network: validatePolicy(rl.tensors, w.spec.dModel),
      position_input: true,
    }
    : { ...PRETRAINED_POLICY };
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
      fp32: { path: "model.fp32.onnx", sha256: sha256Hex(fp32), bytes: fp32.length },
      int8: { path: "model.int8.onnx", sha256: sha256Hex(int8), bytes: int8.length },
    },
    default_precision: "int8",
    metrics: info.metrics ?? {},
    training: info.training ?? {},
    policy,
    quantization: { ...INT8_SCHEME },
  };
  if (info.streamInputs !== undefined) manifest.stream_inputs = [...info.streamInputs];
  const serves = info.serves ?? servedStreams(manifest);
  if (serves.length > 0) {
    manifest.serves = serves.map((x) => ({
      venue: x.venue,
      symbol: x.symbol,
      feature_spec_hash: x.featureSpecHash,
    }));
  }
  return { manifest, files: new Map([["model.fp32.onnx", fp32], ["model.int8.onnx", int8]]) };
}

/** Writes a package into `dir` (manifest.json + files). */
export async function writePackage(pkg: BuiltPackage, dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const [name, bytes] of pkg.files) await Deno.writeFile(`${dir}/${name}`, bytes);
  await Deno.writeTextFile(`${dir}/manifest.json`, JSON.stringify(pkg.manifest, null, 2));
}
