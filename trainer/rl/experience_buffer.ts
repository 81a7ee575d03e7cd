/**
 * Turns the edge's experience records (trainer/data/experience.ts) into
 * n-step transitions on a market tape, for self-imitation replay
 * (self_imitation.ts).
 *
 * A record at time t is matched to the tape's decision point k with
 * times[k] <= t < times[k] + barMs, and its outcome horizon H to the point k'
 * at t + H (same rule). Records outside the tape (other splits, gaps) are
 * counted, not used, so held-out data never enters training.
 *
 * The state is recomputed from the market (the tape's window encoding) plus
 * the recorded position fraction; the edge's own features are not trusted.
 * The reward is the environment's, on the tape's own mids: the account holds
 * pos + Δ from k to k′ (Δ: the exposure change the order asked for — buy:
 * min(size·cap, cap − pos); sell: −size·pos; hold or a refused order: 0),
 * pays |Δ|·fee at k, and each step's equity change goes through the run's
 * {@linkcode RewardTracker} (log return in bps minus the drawdown penalty,
 * the drawdown measured from the decision's equity), discounted by γ^i
 * within the horizon: r = Σ_{i<n} γ^i·r_i with n = k′ − k. The replay adds
 * γ^n·V(s′) at (window at k′, pos + Δ). An order that never filled is priced
 * as filled; slippage is not in r. The recorded `outcome_bps` (the edge's mid
 * change) serves as a cross-check of the placement: its median distance from
 * the tape's mid change over [k, k′] is reported.
 *
 * @module
 */

import { ACTION_CLASSES } from "../../core/model/model_spec.ts";
import type { ExperienceRecord } from "../data/experience.ts";
import { type RewardConfig, RewardTracker } from "./reward.ts";
import { type MarketTape, tradingObs } from "./trading_env.ts";

/** Transitions ready for replay. */
export interface ExperienceTransitions {
  /** Count. */
  readonly n: number;
  /** Observation length. */
  readonly obsSize: number;
  /** Observations [n * obsSize]. */
  readonly obs: Float32Array;
  /** Observations after the horizon [n * obsSize]. */
  readonly nextObs: Float32Array;
  /** Decision points spanned by the horizon (bootstrap exponent). */
  readonly steps: Int32Array;
  /** Choice index (hold 0, buy 1, sell 2). */
  readonly choice: Int32Array;
  /** Size variable: logit of the recorded size (0 for hold). */
  readonly u: Float32Array;
  /** 1 where the size took part (buy/sell), else 0. */
  readonly sizeMask: Float32Array;
  /** Discounted reward over the horizon, the environment's units. */
  readonly reward: Float32Array;
}

/** Settings of {@linkcode experienceTransitions}. */
export interface ExperienceMapping {
  /** Decision interval of the tape, ms. */
  readonly barMs: number;
  /** Fee per leg, bps. */
  readonly feeBps: number;
  /** Discount per decision. */
  readonly gamma: number;
  /** The environment's reward (kind "return"). */
  readonly reward: RewardConfig;
}

/** Largest index with times[i] <= t, or -1. */
function floorIndex(times: readonly number[], t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let best = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((times[mid] as number) <= t) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function midsValid(mids: readonly number[], from: number, to: number): boolean {
  for (let j = from; j <= to; j++) {
    const v = mids[j] as number;
    if (!(v > 0) || !Number.isFinite(v)) return false;
  }
  return true;
}

/**
 * Maps records onto the tape whose decision points are at `times` (ascending).
 *
 * @param mids Mid price at each decision point (the reward's market).
 * @returns The transitions, the records left out by reason, the median distance of the
 * recorded outcomes from the tape's mid change (bps) and the latest t + H replayed.
 */
export function experienceTransitions(
  records: readonly ExperienceRecord[],
  times: readonly number[],
  mids: readonly number[],
  tape: MarketTape,
  m: ExperienceMapping,
): {
  transitions: ExperienceTransitions;
  skipped: Record<string, number>;
  outcomeCheckBps: number | null;
  usedUntil: number | null;
} {
  if (tape.emb.length !== times.length * tape.embSize || mids.length !== times.length) {
    throw new RangeError(
      `Tape has ${
        tape.emb.length / tape.embSize
      } points and ${mids.length} mids for ${times.length} times`,
    );
  }
  if (m.reward.kind !== "return") {
    throw new RangeError("Cannot price experience with the dsr reward: use the return reward");
  }
  const at = (t: number) => {
    const k = floorIndex(times, t);
    return k >= 0 && t - (times[k] as number) < m.barMs ? k : -1;
  };
  const skipped: Record<string, number> = {};
  const used: { r: ExperienceRecord; k: number; k2: number }[] = [];
  for (const r of records) {
    const k = at(r.time);
    const k2 = k < 0 ? -1 : at(r.time + r.horizonMs);
    const why = k < 0
      ? "not at a training decision point"
      : k2 <= k
      ? "horizon beyond the training decision points"
      : !midsValid(mids, k, k2)
      ? "no market mid over the horizon"
      : undefined;
    if (why !== undefined) skipped[why] = (skipped[why] ?? 0) + 1;
    else used.push({ r, k, k2 });
  }
  const n = used.length;
  const o = tape.embSize + 1;
  const tr = {
    n,
    obsSize: o,
    obs: new Float32Array(n * o),
    nextObs: new Float32Array(n * o),
    steps: new Int32Array(n),
    choice: new Int32Array(n),
    u: new Float32Array(n),
    sizeMask: new Float32Array(n),
    reward: new Float32Array(n),
  };
  const tracker = new RewardTracker(m.reward);
  const gaps: number[] = [];
  used.forEach(({ r, k, k2 }, i) => {
    const pos = r.positionFraction;
    const cap = r.positionCap;
    const delta = r.action === "buy"
      ? Math.min(r.size * cap, Math.max(cap - pos, 0))
      : r.action === "sell"
      ? -r.size * pos
      : 0;
    tr.obs.set(tradingObs(tape, k, pos), i * o);
    tr.nextObs.set(tradingObs(tape, k2, Math.max(0, pos + delta)), i * o);
    tr.steps[i] = k2 - k;
    tr.choice[i] = ACTION_CLASSES.indexOf(r.action);
    const s = Math.min(0.99, Math.max(0.01, r.size));
    tr.u[i] = r.action === "hold" ? 0 : Math.log(s / (1 - s));
    tr.sizeMask[i] = r.action === "hold" ? 0 : 1;
    const exposure = Math.max(0, pos + delta);
    tracker.reset(1);
    let equity = 1;
    let ret = 0;
    for (let j = k; j < k2; j++) {
      const move = Math.log((mids[j + 1] as number) / (mids[j] as number));
      let next = equity * Math.exp(exposure * move);
      if (j === k) next *= 1 - Math.abs(delta) * m.feeBps / 1e4;
      ret += m.gamma ** (j - k) * tracker.step(equity, next);
      equity = next;
    }
    tr.reward[i] = ret;
    gaps.push(Math.abs(r.outcomeBps - ((mids[k2] as number) / (mids[k] as number) - 1) * 1e4));
  });
  gaps.sort((a, b) => a - b);
  return {
    transitions: tr,
    skipped,
    outcomeCheckBps: gaps.length > 0 ? gaps[Math.floor(gaps.length / 2)] as number : null,
    usedUntil: used.reduce<number | null>(
      (a, u) => Math.max(a ?? -Infinity, u.r.time + u.r.horizonMs),
      null,
    ),
  };
}
