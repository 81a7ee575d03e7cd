/**
 * Held-out metrics of an exported model on one stream, through the edge's inference path
 * (infra/inference PackageDecider: the manifest's normalization, ONNX Runtime, decision
 * decoding): for every labelled window of the stream's held-out dataset, the predicted
 * action against the label (hold / buy / sell, net of fees at the label horizon).
 *
 * @module
 */

import type { WindowRow } from "../../infra/inference/model_session.ts";
import { withStreamInput } from "../../infra/inference/stream_input.ts";
import type { PackageDecider } from "../../infra/inference/package_decider.ts";
import { type Dataset, labelsOf } from "../data/dataset.ts";

/** Metrics of one model on one stream's held-out windows. */
export interface HeldOutMetrics {
  /** Windows scored. */
  readonly windows: number;
  /** Share of windows whose argmax action equals the label. */
  readonly accuracy: number;
  /** Mean −log p(label) of the action head (natural log). */
  readonly log_loss: number;
  /**
   * Of the windows labelled buy or sell where the model says buy or sell, the share with
   * the right direction (0.5 = no directional skill; NaN when there are none).
   */
  readonly direction_hit: number;
  /** Windows where the model says buy or sell. */
  readonly active: number;
  /** Share of each label in the held-out windows (hold, buy, sell). */
  readonly label_shares: readonly [number, number, number];
}

const ACTIONS = ["hold", "buy", "sell"] as const;

/**
 * Scores `model` on the test windows of `ds` (raw rows; the model normalizes them).
 *
 * @param stream "venue:symbol" of the dataset (its one-hot when the model takes the stream as input).
 * @throws {RangeError} When the dataset's layout does not fit the model.
 */
export async function heldOutMetrics(
  model: PackageDecider,
  ds: Dataset,
  stream: string,
): Promise<HeldOutMetrics> {
  const f = ds.names.length;
  const t = ds.config.windowLength;
  const m = model.current.manifest;
  const inputs = m.stream_inputs;
  if (m.shape.feature_dim !== f + (inputs?.length ?? 0) || m.shape.window !== t) {
    throw new RangeError(
      `Cannot score model ${m.version}: it reads ${m.shape.window} × ${m.shape.feature_dim}, the dataset has ${t} × ${f}`,
    );
  }
  let right = 0, loss = 0, dirRight = 0, dirN = 0, active = 0;
  const shares: [number, number, number] = [0, 0, 0];
  const test = ds.splits.test;
  for (const i of test) {
    const rows: WindowRow[] = [];
    for (let k = i - t + 1; k <= i; k++) {
      rows.push({
        values: ds.features.subarray(k * f, (k + 1) * f),
        missing: ds.missing.subarray(k * f, (k + 1) * f),
      });
    }
    const { decision } = await model.decide(inputs ? withStreamInput(rows, inputs, stream) : rows);
    const label = labelsOf(ds, i).action;
    shares[label]++;
    const predicted = ACTIONS.indexOf(decision.action);
    if (predicted === label) right++;
    loss -= Math.log(Math.max(1e-12, decision.probs[ACTIONS[label] as "hold" | "buy" | "sell"]));
    if (predicted !== 0) {
      active++;
      if (label !== 0) {
        dirN++;
        if (predicted === label) dirRight++;
      }
    }
  }
  const n = test.length;
  return {
    windows: n,
    accuracy: n > 0 ? right / n : Number.NaN,
    log_loss: n > 0 ? loss / n : Number.NaN,
    direction_hit: dirN > 0 ? dirRight / dirN : Number.NaN,
    active,
    label_shares: shares.map((s) => (n > 0 ? s / n : 0)) as [number, number, number],
  };
}
