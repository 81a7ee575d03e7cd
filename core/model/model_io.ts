/**
 * Input and output names of the exported TradingTransformer, shared by the
 * exporter (trainer) and the inference session (edge).
 *
 * @module
 */

/** The model's one input: normalized feature windows `[batch, window, features]`, float32. */
export const MODEL_INPUT = "window";

/** The model's outputs and their per-sample widths. */
export const MODEL_OUTPUTS = {
  /** Price head: forward-return predictions at 3 horizons. */
  price_pred: 3,
  /** Raw action logits (buy, sell, hold). */
  action_logits: 3,
  /** Softmax of the action logits. */
  action_probs: 3,
  /** Position size in 0..1 (sigmoid), scaled by the sizing cap. */
  position_size: 1,
  /** Risk score in 0..1 (sigmoid). */
  risk_score: 1,
  /** State value (RL critic). */
  value: 1,
} as const;

/** Optional output: last layer's attention weights `[batch, heads, window, window]`. */
export const ATTENTION_OUTPUT = "attention";

/** Name of one model output. */
export type ModelOutputName = keyof typeof MODEL_OUTPUTS;

/** Order of the action classes in `action_logits` / `action_probs`. */
export const ACTIONS = ["buy", "sell", "hold"] as const;

/** One trading action. */
export type Action = typeof ACTIONS[number];
