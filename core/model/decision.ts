import { type Action, ACTIONS } from "./model_io.ts";

/** A decoded model decision. */
export interface ModelDecision {
  /** The most probable action. */
  readonly action: Action;
  /** Probabilities of buy, sell, hold. */
  readonly probs: Readonly<Record<Action, number>>;
  /** Probability of the chosen action. */
  readonly confidence: number;
  /**
   * Position head × `maxFraction`. With 1 (the edge's default) it is the engine's order size
   * 0..1 (buys: share of the equity cap; sells: share of the position).
   */
  readonly sizeFraction: number;
  /** Risk score 0..1. */
  readonly risk: number;
  /** Price head outputs (forward-return predictions). */
  readonly pricePred: readonly number[];
}

/** Raw per-sample outputs of the model. */
export interface RawOutputs {
  /** Action probabilities (3), in {@linkcode ACTIONS} order (hold, buy, sell). */
  readonly actionProbs: ArrayLike<number>;
  /** Position head (sigmoid, 1). */
  readonly positionSize: number;
  /** Risk head (sigmoid, 1). */
  readonly riskScore: number;
  /** Price head (3). */
  readonly pricePred: ArrayLike<number>;
}

/**
 * Decodes raw model outputs into a {@linkcode ModelDecision}.
 *
 * @param raw The model's outputs for one sample.
 * @param maxFraction Scale of the position head (1: the engine's 0..1 order size; 0.25: a share of equity under a 25 % cap).
 * @throws {RangeError} When an output is NaN/infinite or probabilities are not a distribution.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodeDecision } from "./decision.ts";
 * const d = decodeDecision({ actionProbs: [0.2, 0.7, 0.1], positionSize: 0.5, riskScore: 0.1, pricePred: [0, 0, 0] }, 0.25);
 * assert.equal(d.action, "buy");
 * assert.equal(d.sizeFraction, 0.125);
 * ```
 */
export function decodeDecision(raw: RawOutputs, maxFraction: number): ModelDecision {
  const p = Array.from(raw.actionProbs);
  const all = [...p, raw.positionSize, raw.riskScore, ...Array.from(raw.pricePred)];
  if (p.length !== 3 || all.some((v) => !Number.isFinite(v))) {
    throw new RangeError(
      `Cannot decode model outputs: non-finite or mis-sized values: [${all.join(", ")}]`,
    );
  }
  const sum = p.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 1) > 1e-3 || p.some((v) => v < 0)) {
    throw new RangeError(`Cannot decode model outputs: action probabilities sum to ${sum}`);
  }
  let best = 0;
  for (let i = 1; i < 3; i++) if ((p[i] as number) > (p[best] as number)) best = i;
  const prob = (a: Action) => p[ACTIONS.indexOf(a)] as number;
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  return {
    action: ACTIONS[best] as Action,
    probs: { buy: prob("buy"), sell: prob("sell"), hold: prob("hold") },
    confidence: p[best] as number,
    sizeFraction: clamp(raw.positionSize) * maxFraction,
    risk: clamp(raw.riskScore),
    pricePred: Array.from(raw.pricePred),
  };
}
