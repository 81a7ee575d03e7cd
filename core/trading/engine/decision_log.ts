/**
 * The record of strategy decisions (experience records for training): numbering,
 * refusal count, and the later outcome (mid change over a horizon) filled in once the
 * horizon has passed.
 *
 * @module
 */

import type { DecisionRecord } from "./engine_types.ts";

/** Decisions of a run and their pending outcomes. */
export class DecisionLog {
  /** Every decision, when kept (`keep`); otherwise empty. */
  readonly kept: DecisionRecord[] = [];
  /** Decisions made so far. */
  count = 0;
  /** Decisions that wanted to trade but were refused. */
  rejected = 0;
  /** Decisions and refusals per stream ("venue:symbol") in this process. */
  readonly byStream: Map<string, { decisions: number; rejected: number }> = new Map();
  readonly #keep: boolean;
  readonly #horizon: number;
  #pending: DecisionRecord[] = [];
  #due = Infinity;

  /**
   * Creates an empty log.
   *
   * @param options Whether to keep every record in memory, and the outcome horizon in ms.
   */
  constructor(options: { keep: boolean; horizonMs: number }) {
    this.#keep = options.keep;
    this.#horizon = options.horizonMs;
  }

  /** Adds a decision (its `seq` must be `count + 1`); it waits for its outcome. */
  add(rec: DecisionRecord): void {
    this.count = rec.seq;
    if (this.#keep) this.kept.push(rec);
    if (rec.rejected !== undefined) this.rejected++;
    const key = `${rec.venue}:${rec.symbol}`;
    let st = this.byStream.get(key);
    if (!st) this.byStream.set(key, st = { decisions: 0, rejected: 0 });
    st.decisions++;
    if (rec.rejected !== undefined) st.rejected++;
    this.#pending.push(rec);
    this.#due = Math.min(this.#due, rec.time + this.#horizon);
  }

  /**
   * Sets the outcome of every decision whose horizon has passed at `t`: the mid change
   * in bps (NaN when a mid is missing).
   *
   * @param midOf Current mid of a decision's instrument.
   * @param onSettled Called with each settled record.
   */
  settle(
    t: number,
    midOf: (d: DecisionRecord) => number | undefined,
    onSettled: (d: DecisionRecord) => void,
  ): void {
    if (t < this.#due) return;
    const p = this.#pending;
    let done = 0;
    while (done < p.length && (p[done] as DecisionRecord).time + this.#horizon <= t) {
      const d = p[done++] as DecisionRecord;
      const mid = midOf(d);
      d.outcomeBps = mid !== undefined && d.mid !== undefined ? (mid / d.mid - 1) * 10_000 : NaN;
      onSettled(d);
    }
    if (done > 0) p.splice(0, done);
    this.#due = p.length > 0 ? (p[0] as DecisionRecord).time + this.#horizon : Infinity;
  }
}
