/**
 * Writes the model strategy's predictions to the `predictions` table (with the attention map
 * averaged over heads, for the dashboard).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { PredictionRecord } from "../../infra/inference/model_strategy.ts";

/** A prediction sink with its running count. */
export interface PredictionWriter {
  /** Predictions written so far. */
  readonly count: number;
  /** Writes one prediction. */
  save(p: PredictionRecord): void;
}

/**
 * A {@linkcode PredictionWriter} on `db`.
 *
 * @param window The running model's window T (the attention map is T×T).
 */
export function predictionWriter(db: DatabaseSync, window: () => number): PredictionWriter {
  const insert = db.prepare(
    "INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs, position_size, risk_score, price_pred, latency_ms, attention) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  );
  let count = 0;
  return {
    get count() {
      return count;
    },
    save(p) {
      const d = p.result.decision;
      insert.run(
        Math.round(p.time),
        p.venue,
        p.symbol,
        p.result.version,
        d.action,
        JSON.stringify(d.probs),
        d.sizeFraction,
        d.risk,
        JSON.stringify(d.pricePred),
        p.result.latencyMs,
        p.result.attention ? JSON.stringify(meanHeads(p.result.attention, window())) : null,
      );
      count++;
    },
  };
}

/** Averages a `[1, H, T, T]` attention tensor over heads into a T×T matrix (rounded for storage). */
function meanHeads(att: Float32Array, T: number): number[][] {
  const heads = Math.max(1, Math.round(att.length / (T * T)));
  const out = Array.from({ length: T }, () => new Array<number>(T).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) out[i]![j]! += (att[h * T * T + i * T + j] as number) / heads;
    }
  }
  return out.map((r) => r.map((v) => Math.round(v * 1e4) / 1e4));
}
