/**
 * Loss functions over the backend interface and the weighted multi-task loss
 * of supervised pretraining. All consume their tensor arguments.
 *
 * @module
 */

import { keep, ops, type Tensor } from "./backend.ts";
import type { HeadOutputs } from "./transformer.ts";

/** Mean squared error. */
export function mse(pred: Tensor, target: Tensor): Tensor {
  return ops.mean(ops.square(ops.sub(pred, target)));
}

/** Mean cross-entropy of logits [B, C] against one-hot (or soft) targets [B, C]. */
export function crossEntropy(logits: Tensor, target: Tensor): Tensor {
  return ops.mul(ops.mean(ops.sum(ops.mul(ops.logSoftmax(logits), target), -1)), -1);
}

/** Mean binary cross-entropy of logits against targets in [0, 1]: softplus(z) - y z. */
export function binaryCrossEntropy(logits: Tensor, target: Tensor): Tensor {
  return ops.mean(ops.sub(ops.softplus(keep(logits)), ops.mul(logits, target)));
}

/** Supervised targets of a batch (see trainer/data/labels.ts for definitions). */
export type PretrainTargets = {
  /** Scaled forward log returns at 3 horizons [B, 3]. */
  price: Tensor;
  /** One-hot action labels [B, 3] (hold, buy, sell). */
  action: Tensor;
  /** Position-size targets in [0, 1] [B, 1]. */
  size: Tensor;
  /** Risk labels in {0, 1} [B, 1]. */
  risk: Tensor;
};

/** Weights of the multi-task loss. */
export interface TaskWeights {
  /** Price regression (MSE). */
  readonly price: number;
  /** Action classification (cross-entropy). */
  readonly action: number;
  /** Position size (BCE on the sigmoid output). */
  readonly size: number;
  /** Risk (BCE). */
  readonly risk: number;
}

/** Default task weights. */
export const DEFAULT_TASK_WEIGHTS: TaskWeights = { price: 1, action: 1, size: 0.5, risk: 0.5 };

/** Per-task losses [4] in the order price, action, size, risk (aux output). */
export type TaskLosses = Tensor;

/**
 * Weighted multi-task loss. The value head is not trained in pretraining (its
 * output is dropped). Returns the total and the per-task losses stacked [4].
 */
export function multiTaskLoss(
  out: HeadOutputs,
  y: PretrainTargets,
  w: TaskWeights,
): [Tensor, TaskLosses] {
  out.value.dispose();
  const lp = mse(out.price, y.price);
  const la = crossEntropy(out.action_logits, y.action);
  const ls = binaryCrossEntropy(out.position_size, y.size);
  const lr = binaryCrossEntropy(out.risk, y.risk);
  const parts = ops.concat(
    [keep(lp), keep(la), keep(ls), keep(lr)].map((t) => ops.reshape(t, [1])),
    0,
  );
  const total = ops.add(
    ops.add(ops.mul(lp, w.price), ops.mul(la, w.action)),
    ops.add(ops.mul(ls, w.size), ops.mul(lr, w.risk)),
  );
  return [total, parts];
}
