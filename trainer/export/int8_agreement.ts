/**
 * INT8 vs fp32 agreement figures shared by the pretrained and RL parity checks,
 * per runtime build (onnxruntime-node, onnxruntime-web), with the fp32 decision
 * margin next to them so that agreement does not depend on how many near-ties
 * the held-out windows happen to contain.
 *
 * @module
 */
import type { RuntimeName } from "./ort_runtimes.ts";

/**
 * Top-2 logit margin above which INT8 must pick fp32's action on every sample.
 * An INT8 logit error below half of it (0.25) cannot flip such a decision; the
 * scheme's errors stay below that (max 0.18 on the trained fixture, whose logits
 * reach ±6; figures in docs/trainer.md), while a saturating kernel's do not.
 */
export const INT8_DECISION_MARGIN = 0.5;

/** One runtime's outputs for one sample. */
export interface RuntimeSample {
  /** fp32 action logits. */
  readonly fp32Logits: readonly number[];
  /** INT8 action logits. */
  readonly int8Logits: readonly number[];
  /** fp32 head values (probs, price, size, risk, value). */
  readonly fp32Heads: readonly number[];
  /** INT8 head values, same order. */
  readonly int8Heads: readonly number[];
}

/** Figures of {@linkcode Int8Tally.report}. */
export interface Int8Figures {
  /** Lowest INT8 vs fp32 action agreement over the runtimes. */
  int8_action_agreement: number;
  int8_action_agreement_node: number;
  int8_action_agreement_web: number;
  /** Largest |INT8 − fp32| over every head output and runtime. */
  int8_max_head_diff: number;
  int8_max_head_diff_node: number;
  int8_max_head_diff_web: number;
  /** Largest |INT8 − fp32| action logit over the runtimes. */
  int8_max_logit_diff: number;
  /** Largest |INT8 node − INT8 web| head output (same integer results → float rounding only). */
  int8_node_web_max_diff: number;
  /** Smallest and median top-2 margin of the reference action logits. */
  fp32_margin_min: number;
  fp32_margin_median: number;
  /** The margin of the confident decisions. */
  int8_confident_margin: number;
  /** Share of samples whose reference margin is at least that. */
  int8_confident_share: number;
  /** Lowest INT8 vs fp32 agreement on them over the runtimes (must be 1). */
  int8_confident_agreement: number;
}

const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));
const maxDiff = (u: readonly number[], v: readonly number[]) =>
  u.reduce((m, x, i) => Math.max(m, Math.abs(x - (v[i] as number))), 0);

/** Accumulates samples and reports {@linkcode Int8Figures} and failures. */
export class Int8Tally {
  readonly #margin: number;
  readonly #margins: number[] = [];
  readonly #agree = { node: 0, web: 0 };
  readonly #confidentAgree = { node: 0, web: 0 };
  readonly #head = { node: 0, web: 0 };
  #logit = 0;
  #nodeWeb = 0;
  #confident = 0;

  /** @param margin Confident-decision margin (default {@linkcode INT8_DECISION_MARGIN}). */
  constructor(margin: number = INT8_DECISION_MARGIN) {
    this.#margin = margin;
  }

  /** Adds one sample: the reference logits and each runtime's outputs. */
  add(refLogits: readonly number[], runs: Record<RuntimeName, RuntimeSample>): void {
    const sorted = [...refLogits].sort((a, b) => b - a);
    const margin = (sorted[0] as number) - (sorted[1] as number);
    this.#margins.push(margin);
    const confident = margin >= this.#margin;
    if (confident) this.#confident++;
    for (const rt of ["node", "web"] as const) {
      const r = runs[rt];
      const same = argmax(r.fp32Logits) === argmax(r.int8Logits);
      if (same) this.#agree[rt]++;
      if (same && confident) this.#confidentAgree[rt]++;
      this.#head[rt] = Math.max(this.#head[rt], maxDiff(r.fp32Heads, r.int8Heads));
      this.#logit = Math.max(this.#logit, maxDiff(r.fp32Logits, r.int8Logits));
    }
    this.#nodeWeb = Math.max(this.#nodeWeb, maxDiff(runs.node.int8Heads, runs.web.int8Heads));
  }

  /** The figures, and a failure line per unmet requirement (agreement ≥ `minAgreement`; 100 % when confident). */
  report(minAgreement: number): { figures: Int8Figures; failures: string[] } {
    const n = this.#margins.length;
    const share = (k: number, of: number) => of ? k / of : 1;
    const sorted = [...this.#margins].sort((a, b) => a - b);
    const figures: Int8Figures = {
      int8_action_agreement: share(Math.min(this.#agree.node, this.#agree.web), n),
      int8_action_agreement_node: share(this.#agree.node, n),
      int8_action_agreement_web: share(this.#agree.web, n),
      int8_max_head_diff: Math.max(this.#head.node, this.#head.web),
      int8_max_head_diff_node: this.#head.node,
      int8_max_head_diff_web: this.#head.web,
      int8_max_logit_diff: this.#logit,
      int8_node_web_max_diff: this.#nodeWeb,
      fp32_margin_min: sorted[0] ?? 0,
      fp32_margin_median: sorted[Math.floor(n / 2)] ?? 0,
      int8_confident_margin: this.#margin,
      int8_confident_share: share(this.#confident, n),
      int8_confident_agreement: share(
        Math.min(this.#confidentAgree.node, this.#confidentAgree.web),
        this.#confident,
      ),
    };
    const failures: string[] = [];
    for (const rt of ["node", "web"] as const) {
      const a = figures[`int8_action_agreement_${rt}`];
      if (!(a >= minAgreement)) {
        failures.push(`INT8 action agreement ${a} is below ${minAgreement} (onnxruntime-${rt})`);
      }
      const c = share(this.#confidentAgree[rt], this.#confident);
      if (c !== 1) {
        failures.push(
          `INT8 changes ${this.#confident - this.#confidentAgree[rt]} of ${this.#confident} ` +
            `decisions whose fp32 margin is ≥ ${this.#margin} (onnxruntime-${rt})`,
        );
      }
    }
    return { figures, failures };
  }
}
