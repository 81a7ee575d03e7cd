import * as ortNode from "onnxruntime-node";
import { MODEL_INPUT } from "../../core/model/model_io.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { referenceForward } from "./reference_forward.ts";

/** A forward pass to compare ONNX against (the trainer's model, or the float64 reference). */
export type Forward = (
  window: number[][],
) => { actionProbs: number[]; price: number[]; position: number; risk: number; value: number };

/** Tolerances of {@linkcode checkParity}. */
export interface ParityTolerances {
  /** Max |ONNX fp32 − forward| over every head output. Default 1e-4. */
  fp32MaxAbs?: number;
  /** Min fraction of windows where INT8 and fp32 pick the same action. Default 0.9. */
  int8MinAgreement?: number;
}

/** Parity figures. */
export interface ParityReport {
  windows: number;
  fp32_max_abs_diff: number;
  int8_action_agreement: number;
  int8_max_head_diff: number;
  passed: boolean;
  failures: string[];
}

/**
 * Runs held-out windows through the forward pass, ONNX fp32 and ONNX INT8 (native
 * onnxruntime-node on the PC) and compares them. Windows are already normalized.
 */
export async function checkParity(
  w: ModelWeights,
  models: { fp32: Uint8Array; int8: Uint8Array },
  windows: number[][][],
  options: ParityTolerances & { forward?: Forward } = {},
): Promise<ParityReport> {
  const forward = options.forward ?? ((x: number[][]) => referenceForward(w, x));
  const tolerance = options.fp32MaxAbs ?? 1e-4;
  const minAgreement = options.int8MinAgreement ?? 0.9;
  const fp32 = await ortNode.InferenceSession.create(models.fp32);
  const int8 = await ortNode.InferenceSession.create(models.int8);
  const { windowLength: T, featureCount: F } = w.spec;
  let maxDiff = 0;
  let maxInt8 = 0;
  let agree = 0;
  for (const x of windows) {
    const feeds = {
      [MODEL_INPUT]: new ortNode.Tensor("float32", Float32Array.from(x.flat()), [1, T, F]),
    };
    const a = heads(await fp32.run(feeds));
    const b = heads(await int8.run(feeds));
    const r = forward(x);
    const ref = [...r.actionProbs, ...r.price, r.position, r.risk, r.value];
    for (let i = 0; i < ref.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs((a.values[i] as number) - (ref[i] as number)));
      maxInt8 = Math.max(maxInt8, Math.abs((a.values[i] as number) - (b.values[i] as number)));
    }
    if (a.action === b.action) agree++;
  }
  await fp32.release();
  await int8.release();
  const agreement = windows.length ? agree / windows.length : 1;
  const failures: string[] = [];
  if (!(maxDiff <= tolerance)) {
    failures.push(`fp32 max abs difference ${maxDiff} exceeds ${tolerance}`);
  }
  if (!(agreement >= minAgreement)) {
    failures.push(`INT8 action agreement ${agreement} is below ${minAgreement}`);
  }
  return {
    windows: windows.length,
    fp32_max_abs_diff: maxDiff,
    int8_action_agreement: agreement,
    int8_max_head_diff: maxInt8,
    passed: failures.length === 0,
    failures,
  };
}

function heads(
  out: ortNode.InferenceSession.OnnxValueMapType,
): { values: number[]; action: number } {
  const get = (n: string) => Array.from(out[n]!.data as Float32Array);
  const probs = get("action_probs");
  const values = [
    ...probs,
    ...get("price"),
    ...get("position_size"),
    ...get("risk"),
    ...get("value"),
  ];
  return { values, action: probs.indexOf(Math.max(...probs)) };
}
