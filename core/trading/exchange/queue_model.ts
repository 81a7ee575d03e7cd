/**
 * How a resting order's place in the queue moves when its price level shrinks.
 *
 * Trades at the price always advance the order (the matching engine subtracts
 * them). A decrease beyond the traded volume is cancellations, and the model says
 * how much of it was ahead of the order:
 * - `risk_averse` (default, conservative): none; the queue ahead is only capped at
 *   the new level size;
 * - `power_prob` (hftbacktest's `PowerProbQueueFunc3`): the share behind the order is
 *   `p = 1 − (front / (front + back))^n`, and
 *   `front' = front − (1 − p)·chg + min(back − p·chg, 0)`, capped to [0, new size].
 *
 * @module
 */

/** Queue model of resting orders. */
export type QueueModel = { readonly kind: "risk_averse" } | {
  readonly kind: "power_prob";
  /** Exponent n (2–3 is typical). */
  readonly n: number;
};

/** Per-order memory of the level: last displayed size and volume traded since. */
export interface QueueState {
  /** Displayed size of the level at the last update. */
  last: number;
  /** Volume traded at the price since the last update (already taken off the front). */
  traded: number;
}

/**
 * The new queue ahead of an order after its level changed to `size`.
 *
 * @param model The queue model.
 * @param front Queue ahead before the update (trades already subtracted).
 * @param st The order's level memory (updated in place).
 * @param size The level's new displayed size.
 * @returns The new queue ahead.
 *
 * @example A risk-averse queue only shrinks to the level size
 * ```ts
 * import assert from "node:assert/strict";
 * import { queueAfterUpdate } from "./queue_model.ts";
 * assert.equal(queueAfterUpdate({ kind: "risk_averse" }, 80, { last: 100, traded: 0 }, 60), 60);
 * ```
 */
export function queueAfterUpdate(
  model: QueueModel,
  front: number,
  st: QueueState,
  size: number,
): number {
  const cancelled = st.last - st.traded - size;
  const before = st.last - st.traded; // level size after the trades, before this update
  st.last = size;
  st.traded = 0;
  let next = front;
  if (model.kind === "power_prob" && cancelled > 0) {
    const back = Math.max(0, before - front);
    const total = front + back;
    const p = total > 0 ? 1 - (front / total) ** model.n : 1;
    next = front - (1 - p) * cancelled + Math.min(back - p * cancelled, 0);
  }
  return Math.max(0, Math.min(next, size));
}

/**
 * Parses a queue model name: "risk-averse" or "power:N" (N > 0).
 *
 * @throws {RangeError} Naming the accepted forms.
 */
export function parseQueueModel(text: string): QueueModel {
  if (text === "risk-averse") return { kind: "risk_averse" };
  const m = /^power:(\d+(?:\.\d+)?)$/.exec(text);
  if (m && Number(m[1]) > 0) return { kind: "power_prob", n: Number(m[1]) };
  throw new RangeError(
    `Cannot parse queue model "${text}": use risk-averse or power:N (e.g. power:3)`,
  );
}
