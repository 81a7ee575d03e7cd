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
 * Reward in the environment's units (bps of equity, reward "return" without
 * the drawdown term): r = (pos + Δ)·outcome − |Δ|·fee, where Δ is the
 * exposure change the order asked for (buy: min(size·cap, cap − pos); sell:
 * −size·pos; hold or a refused order: 0). Slippage is not in r. The state
 * after the horizon is (window at k', pos + Δ), bootstrapped with γ^(k'−k)·V.
 *
 * @module
 */

import { ACTION_CLASSES } from "../../core/model/model_spec.ts";
import type { ExperienceRecord } from "../data/experience.ts";
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
  /** Reward over the horizon, bps of equity. */
  readonly reward: Float32Array;
}

/** Settings of {@linkcode experienceTransitions}. */
export interface ExperienceMapping {
  /** Decision interval of the tape, ms. */
  readonly barMs: number;
  /** Fee per leg, bps. */
  readonly feeBps: number;
  /** Position cap as a fraction of equity (the engine's sizing cap). */
  readonly cap: number;
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

/**
 * Maps records onto the tape whose decision points are at `times` (ascending).
 *
 * @returns The transitions and the records left out, by reason.
 */
export function experienceTransitions(
  records: readonly ExperienceRecord[],
  times: readonly number[],
  tape: MarketTape,
  m: ExperienceMapping,
): { transitions: ExperienceTransitions; skipped: Record<string, number> } {
  if (tape.emb.length !== times.length * tape.embSize) {
    throw new RangeError(
      `Tape has ${tape.emb.length / tape.embSize} points for ${times.length} times`,
    );
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
  used.forEach(({ r, k, k2 }, i) => {
    const pos = r.positionFraction;
    const delta = r.action === "buy"
      ? Math.min(r.size * m.cap, Math.max(m.cap - pos, 0))
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
    tr.reward[i] = (pos + delta) * r.outcomeBps - Math.abs(delta) * m.feeBps;
  });
  return { transitions: tr, skipped };
}
