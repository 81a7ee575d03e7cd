import { z } from "zod";
import type { DecisionView } from "./dashboard_views.ts";
import { parseJsonColumn } from "./json_column.ts";
import { numOrNull } from "./row_values.ts";
import type { DashboardReader, Row } from "./store_reader.ts";

const ProbsSchema = z.union([
  z.record(z.string(), z.number()),
  z.array(z.number()).transform((a) =>
    Object.fromEntries(a.map((p, i) => [["hold", "buy", "sell"][i] ?? `a${i}`, p]))
  ),
]);
const MatrixSchema = z.array(z.array(z.number())).max(512);

/** Decodes one `predictions` row (`action_probs` as `{name: p}` or `[hold, buy, sell]`). */
export function predictionView(r: Row): DecisionView {
  return {
    source: "model",
    id: Number(r.id),
    time: Number(r.timestamp),
    venue: String(r.venue),
    symbol: String(r.symbol),
    model_version: String(r.model_version),
    action: String(r.action),
    action_probs: parseJsonColumn(r.action_probs, ProbsSchema, {}),
    position_size: Number(r.position_size),
    risk_score: numOrNull(r.risk_score),
    latency_ms: numOrNull(r.latency_ms),
    attention: parseJsonColumn(r.attention, MatrixSchema.nullable(), null),
  };
}

/** Decodes one `paper_decisions` row (a strategy's decision; `outputs` as the probabilities). */
export function strategyDecisionView(r: Row): DecisionView {
  const outputs = parseJsonColumn(r.outputs, z.record(z.string(), z.number()), {});
  return {
    source: "strategy",
    id: Number(r.rid),
    time: Number(r.time),
    venue: String(r.venue),
    symbol: String(r.symbol),
    model_version: `paper run ${String(r.run_id)}`,
    action: String(r.action),
    action_probs: {
      ...outputs,
      ...(r.confidence === null ? {} : { confidence: Number(r.confidence) }),
    },
    position_size: Number(r.size),
    risk_score: null,
    latency_ms: null,
    attention: null,
  };
}

/** Cursors of the two decision tables. */
export interface DecisionCursor {
  /** Last `predictions.id` seen. */
  model: number;
  /** Last `paper_decisions` rowid seen (an updated decision gets a new rowid). */
  strategy: number;
}

/**
 * The newest decision after the cursors (or overall when `after` is undefined): the model's
 * prediction when there is one, else the strategy's. Advances `after` in place.
 */
export async function latestDecision(
  reader: DashboardReader,
  after?: DecisionCursor,
): Promise<DecisionView | null> {
  const m = await reader.get(
    ["predictions"],
    "SELECT * FROM predictions WHERE id > ? ORDER BY id DESC LIMIT 1",
    after?.model ?? 0,
  );
  const s = await reader.get(
    ["paper_decisions"],
    "SELECT rowid AS rid, * FROM paper_decisions WHERE rowid > ? ORDER BY rowid DESC LIMIT 1",
    after?.strategy ?? 0,
  );
  const model = m ? predictionView(m) : null;
  const strategy = s ? strategyDecisionView(s) : null;
  if (after) {
    if (model) after.model = model.id;
    if (strategy) after.strategy = strategy.id;
  }
  if (model && strategy) return model.time >= strategy.time ? model : strategy;
  return model ?? strategy;
}
