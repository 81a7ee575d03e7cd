/**
 * Input and output names of the exported TradingTransformer graph, shared by the
 * exporter (trainer) and the inference session (edge). Derived from the model spec.
 *
 * @module
 */
import { ACTION_CLASSES, INPUT_NAME } from "./model_spec.ts";

/** The graph's input: normalized feature windows `[batch, windowLength, featureCount]`, float32. */
export const MODEL_INPUT = INPUT_NAME;

/**
 * Second input of an RL-policy graph: the position fraction (position value / equity,
 * 0 when flat) `[batch, 1]`, float32. Graphs of pretrained models do not have it; the
 * manifest's `policy.position_input` says which kind a package holds.
 */
export const POSITION_INPUT = "position";

/** The graph's outputs and their per-sample widths (heads with their activation applied). */
export const MODEL_OUTPUTS = {
  /** Price head: forward-return predictions at 3 horizons. */
  price: 3,
  /** Raw action logits, in {@linkcode ACTIONS} order. */
  action_logits: 3,
  /** Softmax of the action logits. */
  action_probs: 3,
  /** Position size in 0..1 (sigmoid). */
  position_size: 1,
  /** Risk score in 0..1 (sigmoid). */
  risk: 1,
  /** State value (RL critic). */
  value: 1,
} as const;

/** Optional output: last layer's attention weights `[batch, heads, windowLength, windowLength]`. */
export const ATTENTION_OUTPUT = "attention";

/** Order of the action classes in `action_logits` / `action_probs`. */
export const ACTIONS = ACTION_CLASSES;

/** One trading action. */
export type Action = typeof ACTIONS[number];
