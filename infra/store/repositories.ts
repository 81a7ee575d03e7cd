/**
 * The typed repositories every runtime reaches the shared tables through, whatever the backend:
 * backtest reports (the trainer writes, the dashboard reads), control commands (the dashboard
 * writes, the paper trader reads and settles) and model predictions (the edge writes, the
 * dashboard and status read), news (the collector writes; features, the dashboard and status
 * read). SQLite implements them in sqlite_repositories.ts, PostgreSQL in
 * pg_repositories.ts; repository_contract.ts holds the one test suite both pass.
 *
 * @module
 */

import type { ControlCommandName } from "../../core/trading/engine/controls.ts";
import type { NewsRepository } from "./news/news_store.ts";

/** One backtest's headline figures, as stored in `backtest_reports`. */
export interface BacktestReportRow {
  /** Creation time, epoch ms. */
  readonly createdAt: number;
  /** Report name shown on the dashboard. */
  readonly name: string;
  /** Tested strategy. */
  readonly strategy: string;
  /** First event time, epoch ms (0 when unknown). */
  readonly periodStart: number;
  /** Last event time, epoch ms (0 when unknown). */
  readonly periodEnd: number;
  /** Metrics (numbers, or a name such as the best baseline). */
  readonly metrics: Readonly<Record<string, number | string | null>>;
}

/** A stored backtest report with its id. */
export interface StoredBacktestReport extends BacktestReportRow {
  /** Row id (increasing). */
  readonly id: number;
}

/** Backtest reports. */
export interface BacktestReports {
  /** Appends one report; returns its id. */
  append(row: BacktestReportRow): Promise<number>;
  /** The newest `limit` reports, newest first. */
  latest(limit: number): Promise<StoredBacktestReport[]>;
}

/** A logged control command (a `control_commands` row). */
export interface ControlRow {
  /** Row id (increasing). */
  readonly id: number;
  /** Time it was logged, epoch ms. */
  readonly ts: number;
  /** Command name. */
  readonly command: string;
  /** Who sent it (e.g. "dashboard"). */
  readonly source: string;
  /** "pending", "applied" or "rejected". */
  readonly status: string;
  /** Time it was handled, epoch ms. */
  readonly handled_at: number | null;
  /** What became of it. */
  readonly detail: string | null;
}

/** The control command queue between the dashboard and the paper trader. */
export interface ControlQueue {
  /** Logs one command as pending; returns the stored row. */
  append(command: ControlCommandName, source: string, now: number): Promise<ControlRow>;
  /** Pending commands, oldest first, at most `limit`. */
  pending(limit: number): Promise<ControlRow[]>;
  /** Settles a pending command; false when it was no longer pending. */
  settle(
    id: number,
    status: "applied" | "rejected",
    handledAt: number,
    detail: string,
  ): Promise<boolean>;
  /** Commands with an id above `afterId`, oldest first, at most `limit`. */
  after(afterId: number, limit: number): Promise<ControlRow[]>;
}

/** One model prediction as stored in `predictions`. */
export interface PredictionRow {
  /** Decision time, epoch ms. */
  readonly timestamp: number;
  /** Venue. */
  readonly venue: string;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Model version. */
  readonly model_version: string;
  /** Chosen action. */
  readonly action: string;
  /** Action probabilities, JSON. */
  readonly action_probs: string;
  /** Position size fraction. */
  readonly position_size: number;
  /** Risk score. */
  readonly risk_score: number;
  /** Price head outputs, JSON. */
  readonly price_pred: string;
  /** Inference latency, ms. */
  readonly latency_ms: number | null;
  /** Attention map averaged over heads, JSON, when the model exports it. */
  readonly attention: string | null;
}

/** Model predictions. */
export interface PredictionLog {
  /** Appends one prediction. */
  save(row: PredictionRow): Promise<void>;
  /** The newest `limit` predictions, newest first. */
  latest(limit: number): Promise<PredictionRow[]>;
}

/** Every repository on one store. */
export interface Repositories {
  /** "sqlite" or "postgres". */
  readonly backend: string;
  /** Backtest reports. */
  readonly backtestReports: BacktestReports;
  /** Control commands. */
  readonly controls: ControlQueue;
  /** Model predictions. */
  readonly predictions: PredictionLog;
  /** News articles, scores, hourly sentiment and source health (news/news_store.ts). */
  readonly news: NewsRepository;
}

/** The columns of a {@linkcode PredictionRow}, in insert order. */
export const PREDICTION_COLUMNS = [
  "timestamp",
  "venue",
  "symbol",
  "model_version",
  "action",
  "action_probs",
  "position_size",
  "risk_score",
  "price_pred",
  "latency_ms",
  "attention",
] as const;

/** Reads a stored `backtest_reports` row (metrics as JSON text). */
export function toStoredReport(r: Record<string, unknown>): StoredBacktestReport {
  return {
    id: Number(r.id),
    createdAt: Number(r.created_at),
    name: String(r.name),
    strategy: String(r.strategy),
    periodStart: Number(r.period_start),
    periodEnd: Number(r.period_end),
    metrics: JSON.parse(String(r.metrics)),
  };
}

/** Reads a stored `control_commands` row. */
export function toControlRow(r: Record<string, unknown>): ControlRow {
  return {
    id: Number(r.id),
    ts: Number(r.ts),
    command: String(r.command),
    source: String(r.source),
    status: String(r.status),
    handled_at: r.handled_at === null || r.handled_at === undefined ? null : Number(r.handled_at),
    detail: r.detail === null || r.detail === undefined ? null : String(r.detail),
  };
}

/** Reads a stored `predictions` row. */
export function toPredictionRow(r: Record<string, unknown>): PredictionRow {
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    timestamp: Number(r.timestamp),
    venue: String(r.venue),
    symbol: String(r.symbol),
    model_version: String(r.model_version),
    action: String(r.action),
    action_probs: String(r.action_probs),
    position_size: Number(r.position_size),
    risk_score: Number(r.risk_score),
    price_pred: String(r.price_pred),
    latency_ms: num(r.latency_ms),
    attention: r.attention === null || r.attention === undefined ? null : String(r.attention),
  };
}
