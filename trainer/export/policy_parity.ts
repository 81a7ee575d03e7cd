import { MODEL_INPUT, POSITION_INPUT } from "../../core/model/model_io.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import type { PolicyTensors } from "./policy_weights.ts";
import { referenceForward } from "./reference_forward.ts";
import { referencePolicy } from "./reference_policy.ts";
import { type Int8Figures, Int8Tally } from "./int8_agreement.ts";
import { type RuntimeName, RUNTIMES } from "./ort_runtimes.ts";
import { closeAll, openAll } from "./parity.ts";

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
  /** Min fraction of samples where INT8 and fp32 pick the same action, per runtime. Default 0.9. */
  int8MinAgreement?: number;
  /** fp32 logit margin above which INT8 must agree on every sample (default INT8_DECISION_MARGIN). */
  int8ConfidentMargin?: number;
}

/** Parity figures of an RL graph (samples = windows × positions). */
export interface PolicyParityReport extends Int8Figures {
  windows: number;
  positions: number[];
  /** Max |fp32 − reference| over all outputs. */
  fp32_max_abs_diff: number;
  /** Same, per policy output. */
  fp32_max_abs_diff_logits: number;
  fp32_max_abs_diff_size: number;
  fp32_max_abs_diff_value: number;
  /** Share of samples where fp32's greedy action is the reference's (lowest over the runtimes). */
  fp32_action_agreement: number;
  /** Max change of the fp32 logits between two positions of one window (0: position unused). */
  position_effect_max: number;
  passed: boolean;
  failures: string[];
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));

/**
 * Runs held-out windows × positions through the reference, ONNX fp32 and
 * ONNX INT8 (in onnxruntime-node and onnxruntime-web) and compares logits, probabilities, order size
 * (sigmoid of the size mean), value, price and risk. fp32 must pick the
 * reference's greedy action on every sample (except exact ties within the
 * tolerance); INT8 on `int8MinAgreement` of them in each runtime, and on every
 * sample whose reference top-2 logit margin is at least the confident margin.
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
  const tally = new Int8Tally(options.int8ConfidentMargin);
  const sessions = await openAll(models);
  const { windowLength: T, featureCount: F } = w.spec;
  const diff = { all: 0, logits: 0, size: 0, value: 0, position: 0 };
  const agreeFp32 = { node: 0, web: 0 };
  const failures: string[] = [];
  const max = (u: readonly number[], v: readonly number[]) =>
    u.reduce((m, ui, i) => Math.max(m, Math.abs(ui - (v[i] as number))), 0);
  try {
    for (const x of windows) {
      const features = { data: Float32Array.from(x.flat()), dims: [1, T, F] };
      let first: number[] | undefined;
      for (const pos of positions) {
        const feeds = {
          [MODEL_INPUT]: features,
          [POSITION_INPUT]: { data: Float32Array.of(pos), dims: [1, 1] },
        };
        const r = forward(x, pos);
        const probs = softmax(r.logits);
        const sorted = [...r.logits].sort((u, v) => v - u);
        const tie = (sorted[0] as number) - (sorted[1] as number) < tolerance;
        const runs = {} as Record<RuntimeName, Parameters<Int8Tally["add"]>[1][RuntimeName]>;
        for (const rt of RUNTIMES) {
          const a = outputs(await sessions[rt].fp32.run(feeds));
          const b = outputs(await sessions[rt].int8.run(feeds));
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
          if (argmax(a.action_probs) === argmax(r.logits) || tie) agreeFp32[rt]++;
          runs[rt] = {
            fp32Logits: a.action_logits,
            int8Logits: b.action_logits,
            fp32Heads: HEADS.flatMap((k) => a[k]),
            int8Heads: HEADS.flatMap((k) => b[k]),
          };
          if (rt === "node") {
            first ??= a.action_logits;
            diff.position = Math.max(diff.position, max(a.action_logits, first));
          }
        }
        tally.add(r.logits, runs);
      }
    }
  } finally {
    await closeAll(sessions);
  }
  const samples = windows.length * positions.length;
  const fp32Agreement = samples ? Math.min(agreeFp32.node, agreeFp32.web) / samples : 1;
  if (!(diff.all <= tolerance)) {
    failures.push(`fp32 max abs difference ${diff.all} exceeds ${tolerance}`);
  }
  if (fp32Agreement !== 1) {
    failures.push(
      `fp32 greedy action agrees with the policy on ${fp32Agreement} of samples, not 1`,
    );
  }
  const { figures, failures: int8Failures } = tally.report(options.int8MinAgreement ?? 0.9);
  failures.push(...int8Failures);
  return {
    windows: windows.length,
    positions,
    fp32_max_abs_diff: diff.all,
    fp32_max_abs_diff_logits: diff.logits,
    fp32_max_abs_diff_size: diff.size,
    fp32_max_abs_diff_value: diff.value,
    fp32_action_agreement: fp32Agreement,
    ...figures,
    position_effect_max: diff.position,
    passed: failures.length === 0,
    failures,
  };
}

const HEADS = ["action_probs", "price", "position_size", "risk", "value"] as const;

type Outputs = Record<
  "action_logits" | "action_probs" | "price" | "position_size" | "risk" | "value",
  number[]
>;

function outputs(out: Record<string, Float32Array>): Outputs {
  const get = (n: string) => {
    const t = out[n];
    if (t === undefined) throw new RangeError(`Cannot check parity: output ${n} is missing`);
    return Array.from(t);
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
