import { MODEL_INPUT } from "../../core/model/model_io.ts";
import type { ModelWeights } from "../../core/model/model_weights.ts";
import { type Int8Figures, Int8Tally } from "./int8_agreement.ts";
import { type GraphSession, openSession, type RuntimeName, RUNTIMES } from "./ort_runtimes.ts";
import { referenceForward } from "./reference_forward.ts";

/** A forward pass to compare ONNX against (the trainer's model, or the float64 reference). */
export type Forward = (
  window: number[][],
) => {
  actionProbs: number[];
  actionLogits: number[];
  price: number[];
  position: number;
  risk: number;
  value: number;
};

/** Tolerances of {@linkcode checkParity}. */
export interface ParityTolerances {
  /** Max |ONNX fp32 − forward| over every head output. Default 1e-4. */
  fp32MaxAbs?: number;
  /** Min fraction of windows where INT8 and fp32 pick the same action, per runtime. Default 0.9. */
  int8MinAgreement?: number;
  /** fp32 logit margin above which INT8 must agree on every window (default INT8_DECISION_MARGIN). */
  int8ConfidentMargin?: number;
}

/** Parity figures (INT8 figures per runtime build, see {@linkcode Int8Figures}). */
export interface ParityReport extends Int8Figures {
  windows: number;
  /** Max |fp32 − forward| over both runtimes. */
  fp32_max_abs_diff: number;
  passed: boolean;
  failures: string[];
}

/**
 * Runs held-out windows through the forward pass and through ONNX fp32 and INT8
 * in both onnxruntime-node (native kernels of this CPU) and onnxruntime-web (the
 * edge's WASM build), and compares them: fp32 within `fp32MaxAbs` of the forward
 * pass, INT8 picking fp32's action on `int8MinAgreement` of the windows in each
 * runtime and on every window whose fp32 top-2 logit margin is at least the
 * confident margin. Windows are already normalized.
 */
export async function checkParity(
  w: ModelWeights,
  models: { fp32: Uint8Array; int8: Uint8Array },
  windows: number[][][],
  options: ParityTolerances & { forward?: Forward } = {},
): Promise<ParityReport> {
  const forward = options.forward ?? ((x: number[][]) => referenceForward(w, x));
  const tolerance = options.fp32MaxAbs ?? 1e-4;
  const tally = new Int8Tally(options.int8ConfidentMargin);
  const sessions = await openAll(models);
  const { windowLength: T, featureCount: F } = w.spec;
  let maxDiff = 0;
  try {
    for (const x of windows) {
      const feeds = { [MODEL_INPUT]: { data: Float32Array.from(x.flat()), dims: [1, T, F] } };
      const r = forward(x);
      const ref = [...r.actionProbs, ...r.price, r.position, r.risk, r.value];
      const runs = {} as Record<RuntimeName, ReturnType<typeof pair>>;
      for (const rt of RUNTIMES) {
        const a = heads(await sessions[rt].fp32.run(feeds));
        const b = heads(await sessions[rt].int8.run(feeds));
        maxDiff = Math.max(maxDiff, ...a.values.map((v, i) => Math.abs(v - (ref[i] as number))));
        runs[rt] = pair(a, b);
      }
      tally.add(r.actionLogits, runs);
    }
  } finally {
    await closeAll(sessions);
  }
  const { figures, failures: int8Failures } = tally.report(options.int8MinAgreement ?? 0.9);
  const failures: string[] = [];
  if (!(maxDiff <= tolerance)) {
    failures.push(`fp32 max abs difference ${maxDiff} exceeds ${tolerance}`);
  }
  failures.push(...int8Failures);
  return {
    windows: windows.length,
    fp32_max_abs_diff: maxDiff,
    ...figures,
    passed: failures.length === 0,
    failures,
  };
}

/** fp32 and INT8 sessions of a package in both runtimes. */
export type Sessions = Record<RuntimeName, { fp32: GraphSession; int8: GraphSession }>;

/** Opens both models in both runtimes. */
export async function openAll(models: { fp32: Uint8Array; int8: Uint8Array }): Promise<Sessions> {
  const s = {} as Sessions;
  for (const rt of RUNTIMES) {
    s[rt] = { fp32: await openSession(rt, models.fp32), int8: await openSession(rt, models.int8) };
  }
  return s;
}

/** Releases every session of {@linkcode openAll}. */
export async function closeAll(s: Sessions): Promise<void> {
  for (const rt of RUNTIMES) {
    await s[rt].fp32.release();
    await s[rt].int8.release();
  }
}

function pair(a: ReturnType<typeof heads>, b: ReturnType<typeof heads>) {
  return { fp32Logits: a.logits, int8Logits: b.logits, fp32Heads: a.values, int8Heads: b.values };
}

function heads(out: Record<string, Float32Array>): { values: number[]; logits: number[] } {
  const get = (n: string) => {
    const t = out[n];
    if (t === undefined) throw new RangeError(`Cannot check parity: output ${n} is missing`);
    return Array.from(t);
  };
  const values = [
    ...get("action_probs"),
    ...get("price"),
    ...get("position_size"),
    ...get("risk"),
    ...get("value"),
  ];
  return { values, logits: get("action_logits") };
}
