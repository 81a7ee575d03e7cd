import * as ortNode from "onnxruntime-node";
import { MODEL_INPUT, POSITION_INPUT } from "../../core/model/model_io.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import type { PolicyTensors } from "./policy_weights.ts";
import { referenceForward } from "./reference_forward.ts";
import { referencePolicy } from "./reference_policy.ts";

/** What an RL graph is compared with for one (window, position). */
export interface PolicyReference {
  /** Policy action logits (hold, buy, sell). */
  logits: number[];
  /** Policy size mean (pre-sigmoid). */
  sizeMean: number;
  /** Policy value. */
  value: number;
  /** Pretrained price head. */
  price: number[];
  /** Pretrained risk head (sigmoid). */
  risk: number;
}

/** A forward pass to compare ONNX against. */
export type PolicyForward = (window: number[][], position: number) => PolicyReference;

/** Options of {@linkcode checkPolicyParity}. */
export interface PolicyParityOptions {
  /** Position fractions each window is run with. Default 0, 0.1, 0.25. */
  positions?: readonly number[];
  /** Reference; default the float64 encoder + policy forward. */
  forward?: PolicyForward;
  /** Max |ONNX fp32 − reference| over every output. Default 1e-4. */
  fp32MaxAbs?: number;
  /** Min fraction of samples where INT8 and fp32 pick the same action. Default 0.9. */
  int8MinAgreement?: number;
}

/** Parity figures of an RL graph (samples = windows × positions). */
export interface PolicyParityReport {
  windows: number;
  positions: number[];
  /** Max |fp32 − reference| over all outputs. */
  fp32_max_abs_diff: number;
  /** Same, per policy output. */
  fp32_max_abs_diff_logits: number;
  fp32_max_abs_diff_size: number;
  fp32_max_abs_diff_value: number;
  /** Share of samples where fp32's greedy action is the reference's. */
  fp32_action_agreement: number;
  int8_action_agreement: number;
  int8_max_head_diff: number;
  /** Max change of the fp32 logits between two positions of one window (0: position unused). */
  position_effect_max: number;
  passed: boolean;
  failures: string[];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));

/**
 * Runs held-out windows × positions through the reference, ONNX fp32 and
 * ONNX INT8 (onnxruntime-node) and compares logits, probabilities, order size
 * (sigmoid of the size mean), value, price and risk. fp32 must pick the
 * reference's greedy action on every sample (except exact ties within the
 * tolerance); INT8 only on `int8MinAgreement` of them.
 */
export async function checkPolicyParity(
  w: ModelWeights,
  policy: PolicyTensors,
  models: { fp32: Uint8Array; int8: Uint8Array },
  windows: number[][][],
  options: PolicyParityOptions = {},
): Promise<PolicyParityReport> {
  const positions = [...(options.positions ?? [0, 0.1, 0.25])];
  const forward = options.forward ?? ((x: number[][], pos: number) => {
    const r = referenceForward(w, x);
    return { ...referencePolicy(policy, r.encoding, pos), price: r.price, risk: r.risk };
  });
  const tolerance = options.fp32MaxAbs ?? 1e-4;
  const minAgreement = options.int8MinAgreement ?? 0.9;
  const fp32 = await ortNode.InferenceSession.create(models.fp32);
  const int8 = await ortNode.InferenceSession.create(models.int8);
  const { windowLength: T, featureCount: F } = w.spec;
  const diff = { all: 0, logits: 0, size: 0, value: 0, int8: 0, position: 0 };
  let agreeFp32 = 0;
  let agreeInt8 = 0;
  const failures: string[] = [];
  for (const x of windows) {
    const features = new ortNode.Tensor("float32", Float32Array.from(x.flat()), [1, T, F]);
    let first: number[] | undefined;
    for (const pos of positions) {
      const feeds = {
        [MODEL_INPUT]: features,
        [POSITION_INPUT]: new ortNode.Tensor("float32", Float32Array.of(pos), [1, 1]),
      };
      const a = outputs(await fp32.run(feeds));
      const b = outputs(await int8.run(feeds));
      const r = forward(x, pos);
      const max = (u: readonly number[], v: readonly number[]) =>
        u.reduce((m, ui, i) => Math.max(m, Math.abs(ui - (v[i] as number))), 0);
      const probs = softmax(r.logits);
      diff.logits = Math.max(diff.logits, max(a.action_logits, r.logits));
      diff.size = Math.max(diff.size, max(a.position_size, [sigmoid(r.sizeMean)]));
      diff.value = Math.max(diff.value, max(a.value, [r.value]));
      diff.all = Math.max(
        diff.all,
        diff.logits,
        diff.size,
        diff.value,
        max(a.action_probs, probs),
        max(a.price, r.price),
        max(a.risk, [r.risk]),
      );
      for (const k of ["action_probs", "price", "position_size", "risk", "value"] as const) {
        diff.int8 = Math.max(diff.int8, max(a[k], b[k]));
      }
      const action = argmax(a.action_probs);
      const sorted = [...r.logits].sort((u, v) => v - u);
      const tie = (sorted[0] as number) - (sorted[1] as number) < tolerance;
      if (action === argmax(r.logits) || tie) agreeFp32++;
      if (action === argmax(b.action_probs)) agreeInt8++;
      first ??= a.action_logits;
      diff.position = Math.max(diff.position, max(a.action_logits, first));
    }
  }
  await fp32.release();
  await int8.release();
  const samples = windows.length * positions.length;
  const fp32Agreement = samples ? agreeFp32 / samples : 1;
  const int8Agreement = samples ? agreeInt8 / samples : 1;
  if (!(diff.all <= tolerance)) {
    failures.push(`fp32 max abs difference ${diff.all} exceeds ${tolerance}`);
  }
  if (fp32Agreement !== 1) {
    failures.push(
      `fp32 greedy action agrees with the policy on ${fp32Agreement} of samples, not 1`,
    );
  }
  if (!(int8Agreement >= minAgreement)) {
    failures.push(`INT8 action agreement ${int8Agreement} is below ${minAgreement}`);
  }
  return {
    windows: windows.length,
    positions,
    fp32_max_abs_diff: diff.all,
    fp32_max_abs_diff_logits: diff.logits,
    fp32_max_abs_diff_size: diff.size,
    fp32_max_abs_diff_value: diff.value,
    fp32_action_agreement: fp32Agreement,
    int8_action_agreement: int8Agreement,
    int8_max_head_diff: diff.int8,
    position_effect_max: diff.position,
    passed: failures.length === 0,
    failures,
  };
}

type Outputs = Record<
  "action_logits" | "action_probs" | "price" | "position_size" | "risk" | "value",
  number[]
>;

function outputs(out: ortNode.InferenceSession.OnnxValueMapType): Outputs {
  const get = (n: string) => {
    const t = out[n];
    if (t === undefined) throw new RangeError(`Cannot check parity: output ${n} is missing`);
    return Array.from(t.data as Float32Array);
  };
  return {
    action_logits: get("action_logits"),
    action_probs: get("action_probs"),
    price: get("price"),
    position_size: get("position_size"),
    risk: get("risk"),
    value: get("value"),
  };
}

function softmax(x: readonly number[]): number[] {
  const m = Math.max(...x);
  const e = x.map((v) => Math.exp(v - m));
  const s = e.reduce((a, v) => a + v, 0);
  return e.map((v) => v / s);
}
