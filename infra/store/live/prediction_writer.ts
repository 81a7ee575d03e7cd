/**
 * Writes the model strategy's predictions to the `predictions` table (with the attention map
 * averaged over heads, for the dashboard).
 *
 * @module
 */

import type { DatabaseSync } from "node:sqlite";
import type { ModelDecision } from "../../../core/model/decision.ts";
import { PREDICTION_COLUMNS, type PredictionRow } from "../repositories.ts";
import { SQLITE_INSERT_PREDICTION } from "../sqlite_repositories.ts";

/** One model prediction as the model strategy reports it (the edge's `PredictionRecord`). */
export interface PredictionRecord {
  /** Decision-clock time, epoch ms. */
  readonly time: number;
  /** Venue decided for. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** The model's result. */
  readonly result: {
    /** The decoded decision. */
    readonly decision: ModelDecision;
    /** Model version that made it. */
    readonly version: string;
    /** Wall time of the decision, ms. */
    readonly latencyMs: number;
    /** Last layer attention `[heads][T][T]` when the model exports it. */
    readonly attention?: Float32Array;
  };
}

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
  const insert = db.prepare(SQLITE_INSERT_PREDICTION);
  let count = 0;
  return {
    get count() {
      return count;
    },
    save(p) {
      const row = predictionRow(p, window());
      insert.run(...PREDICTION_COLUMNS.map((c) => row[c]));
      count++;
    },
  };
}

/**
 * The `predictions` row of a prediction (the attention map averaged over heads).
 *
 * @param window The model's window T (the attention map is T×T).
 */
export function predictionRow(p: PredictionRecord, window: number): PredictionRow {
  const d = p.result.decision;
  return {
    timestamp: Math.round(p.time),
    venue: p.venue,
    symbol: p.symbol,
    model_version: p.result.version,
    action: d.action,
    action_probs: JSON.stringify(d.probs),
    position_size: d.sizeFraction,
    risk_score: d.risk,
    price_pred: JSON.stringify(d.pricePred),
    latency_ms: p.result.latencyMs,
    attention: p.result.attention ? JSON.stringify(meanHeads(p.result.attention, window)) : null,
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
