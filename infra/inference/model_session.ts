/**
 * One decision on a loaded ONNX model, shared by the edge's ModelHost and the trainer's
 * backtester: the raw window is standardized with the manifest's statistics (missing or
 * non-finite values become 0), the graph runs on ONNX Runtime (`features`, plus `position`
 * for RL policies), and its outputs are decoded into a decision (core/model/decision.ts).
 *
 * @module
 */

import { decodeDecision, type ModelDecision } from "../../core/model/decision.ts";
import type { ModelManifest } from "../../core/model/manifest.ts";
import { ATTENTION_OUTPUT, MODEL_INPUT, POSITION_INPUT } from "../../core/model/model_io.ts";
import { type FeatureNormalization, normalizeVector } from "../../core/features/normalization.ts";
import { ort } from "./ort_runtime.ts";

/** One step of a window: plain values, or values with a missing-value mask (a feature row). */
export type WindowRow = ArrayLike<number> | {
  readonly values: ArrayLike<number>;
  readonly missing?: ArrayLike<number>;
};

/** One decision with its provenance and cost. */
export interface DecisionResult {
  /** The decoded decision. */
  readonly decision: ModelDecision;
  /** Model version that made it. */
  readonly version: string;
  /** Wall time of normalize + run + decode, ms. */
  readonly latencyMs: number;
  /** Last layer attention `[heads][T][T]` when the model exports it. */
  readonly attention?: Float32Array;
  /** The position fraction fed to the model, when it takes one (RL policies). */
  readonly positionFraction?: number;
}

/** What a decision knows besides the window. */
export interface DecideContext {
  /**
   * Position value / equity of the traded asset (0 when flat or unknown). Fed to
   * models whose manifest declares `policy.position_input` (RL policies), ignored
   * by the others.
   */
  readonly positionFraction?: number;
}

/** Whatever decides on a window: the edge's ModelHost, the backtester's fixed package. */
export interface WindowDecider {
  /** The model deciding now (its manifest gives the window length). */
  readonly current: { readonly manifest: ModelManifest } | undefined;
  /** One decision on a raw window of `manifest.shape.window` rows, oldest first. */
  decide(window: readonly WindowRow[], context?: DecideContext): Promise<DecisionResult>;
}

/**
 * Standardizes a raw window with the manifest's statistics into the graph's `[T * F]` input.
 *
 * @throws {RangeError} When the window or a row does not fit the model.
 */
export function normalizeWindow(
  manifest: ModelManifest,
  window: readonly WindowRow[],
): Float32Array {
  const { feature_dim: F, window: T } = manifest.shape;
  if (window.length !== T) {
    throw new RangeError(
      `Cannot decide: the window has ${window.length} steps, model ${manifest.version} expects ${T}`,
    );
  }
  const { mean, std, clip } = manifest.normalization;
  const norm: FeatureNormalization = {
    spec_hash: manifest.feature_spec.hash,
    mean,
    std,
    count: [],
  };
  const out = new Float32Array(window.length * F);
  window.forEach((row, t) => {
    const plain = ArrayBuffer.isView(row) || Array.isArray(row);
    const values = plain ? row as ArrayLike<number> : (row as { values: ArrayLike<number> }).values;
    const given = plain ? undefined : (row as { missing?: ArrayLike<number> }).missing;
    if (values.length !== F) {
      throw new RangeError(
        `Cannot decide: step ${t} has ${values.length} features, model ${manifest.version} expects ${F}`,
      );
    }
    const v = Float64Array.from(values);
    const missing = new Uint8Array(F);
    for (let i = 0; i < F; i++) if (given?.[i] === 1 || !Number.isFinite(v[i])) missing[i] = 1;
    out.set(normalizeVector(v, missing, norm, clip), t * F);
  });
  return out;
}

/**
 * Runs the graph on a normalized input and decodes its outputs.
 *
 * @param maxFraction Scale of the position head (the engine's 0..1 order size: 1).
 * @throws {Error} When an output the decision needs is missing.
 */
export async function runModel(
  manifest: ModelManifest,
  session: ort.InferenceSession,
  input: Float32Array,
  position: number,
  maxFraction = 1,
): Promise<{ decision: ModelDecision; attention?: Float32Array }> {
  const { window: T, feature_dim: F } = manifest.shape;
  const feeds: Record<string, ort.Tensor> = {
    [MODEL_INPUT]: new ort.Tensor("float32", input, [1, T, F]),
  };
  if (manifest.policy.position_input) {
    feeds[POSITION_INPUT] = new ort.Tensor("float32", Float32Array.of(position), [1, 1]);
  }
  const out = await session.run(feeds);
  const data = (name: string) => {
    const t = out[name];
    if (!t) throw new Error(`model output ${name} is missing`);
    return t.data as Float32Array;
  };
  const decision = decodeDecision({
    actionProbs: data("action_probs"),
    positionSize: data("position_size")[0] as number,
    riskScore: data("risk")[0] as number,
    pricePred: data("price"),
  }, maxFraction);
  const att = out[ATTENTION_OUTPUT]?.data as Float32Array | undefined;
  return att ? { decision, attention: att } : { decision };
}

/**
 * Checks the position fraction of a decision.
 *
 * @throws {RangeError} When it is not finite.
 */
export function checkedPosition(context: DecideContext): number {
  const position = context.positionFraction ?? 0;
  if (!Number.isFinite(position)) {
    throw new RangeError(`Cannot decide: the position fraction must be finite: ${position}`);
  }
  return position;
}
