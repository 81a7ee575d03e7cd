/**
 * The compiled supervised training step: forward, multi-task loss, backward,
 * global-norm clipping and Adam, fused into one jitted function per batch
 * shape, plus a compiled evaluation (loss only) function.
 *
 * @module
 */

import type { ModelSpec } from "../../core/model/model_spec.ts";
import { type AdamConfig, type AdamState, adamStep } from "./adam.ts";
import { compile, keepTree, type Tensor, valueAndGradientAux } from "./backend.ts";
import type { Params } from "./layers.ts";
import { multiTaskLoss, type PretrainTargets, type TaskWeights } from "./losses.ts";
import { forward } from "./transformer.ts";

/** Result of one training step (all tensors owned by the caller). */
export interface StepResult {
  /** Updated parameters. */
  readonly params: Params;
  /** Updated Adam moments. */
  readonly state: AdamState;
  /** Total loss (before the update) []. */
  readonly loss: Tensor;
  /** Per-task losses [4]: price, action, size, risk. */
  readonly parts: Tensor;
  /** Gradient global norm before clipping []. */
  readonly gradNorm: Tensor;
}

/** A compiled training step for a fixed batch size. */
export type TrainStep = (
  params: Params,
  state: AdamState,
  x: Tensor,
  pe: Tensor,
  y: PretrainTargets,
  stepSize: Tensor,
) => StepResult;

/** Builds the compiled training step of `spec` at batch size `batch`. */
export function makeTrainStep(
  spec: ModelSpec,
  batch: number,
  weights: TaskWeights,
  adam: AdamConfig,
): TrainStep {
  const lossFn = (p: Params, x: Tensor, pe: Tensor, y: PretrainTargets): [Tensor, Tensor] =>
    multiTaskLoss(forward(spec, p, x, pe, batch), y, weights);
  const vg = valueAndGradientAux(lossFn);
  const fused = compile(
    (
      params: Params,
      state: AdamState,
      x: Tensor,
      pe: Tensor,
      y: PretrainTargets,
      stepSize: Tensor,
    ) => {
      const [[loss, parts], grads] = vg(keepTree(params), x, pe, y);
      const next = adamStep(adam, params, state, grads, stepSize);
      return { params: next.params, state: next.state, loss, parts, gradNorm: next.norm };
    },
  );
  return fused as unknown as TrainStep;
}

/** A compiled evaluation: total loss and per-task losses, parameters kept. */
export type EvalStep = (
  params: Params,
  x: Tensor,
  pe: Tensor,
  y: PretrainTargets,
) => { loss: Tensor; parts: Tensor };

/** Builds the compiled evaluation of `spec` at batch size `batch` (consumes its arguments). */
export function makeEvalStep(spec: ModelSpec, batch: number, weights: TaskWeights): EvalStep {
  return compile((p: Params, x: Tensor, pe: Tensor, y: PretrainTargets) => {
    const [loss, parts] = multiTaskLoss(forward(spec, p, x, pe, batch), y, weights);
    return { loss, parts };
  }) as unknown as EvalStep;
}
