/**
 * Job-queue records and KV key layout of the trainer pipeline.
 *
 * | key                                   | value                               |
 * |---------------------------------------|-------------------------------------|
 * | ["trainer", "runs", run_id]           | {@linkcode RunRecord}               |
 * | ["trainer", "steps", run_id, step]    | {@linkcode StepRecord}              |
 * | ["trainer", "dead_letters", id]       | {@linkcode DeadLetter}              |
 * | ["trainer", "undelivered", id]        | a message Deno KV gave up delivering |
 *
 * Queue messages are {@linkcode StepMessage}; anything else that arrives is
 * poisoned and goes straight to the dead letters.
 *
 * @module
 */

/** Pipeline steps in order. */
export const PIPELINE_STEPS = [
  "dataset",
  "pretrain",
  "rl",
  "evaluate",
  "export",
  "publish",
] as const;

/** A pipeline step. */
export type StepName = typeof PIPELINE_STEPS[number];

/** The only valid queue message: run one step of one run. */
export interface StepMessage {
  /** Message type tag. */
  readonly kind: "run_step";
  /** Run id. */
  readonly run_id: string;
  /** Step to run. */
  readonly step: StepName;
  /** 1-based delivery attempt this message represents. */
  readonly attempt: number;
}

/** State of a step. */
export type StepStatus = "pending" | "running" | "done" | "dead" | "unavailable";

/** State of a run. */
export type RunStatus = "running" | "done" | "failed" | "incomplete";

/** One pipeline run. */
export interface RunRecord {
  /** Id (time-sortable). */
  readonly run_id: string;
  /** Creation time, epoch ms. */
  readonly created_at: number;
  /** Steps of this run in order. */
  readonly steps: readonly StepName[];
  /** Configuration of the run (CLI options, snake_case). */
  readonly config: Record<string, unknown>;
  /** Status. */
  status: RunStatus;
  /** Last change, epoch ms. */
  updated_at: number;
  /** Why the run stopped, when not done. */
  reason?: string;
}

/** Live progress of a running step. */
export interface StepProgress {
  /** Work units done. */
  step: number;
  /** Work units planned. */
  total: number;
  /** Last loss (or other scalar) reported. */
  loss: number;
  /** Estimated ms to finish. */
  eta_ms: number;
}

/** One step of one run. */
export interface StepRecord {
  /** Status. */
  status: StepStatus;
  /** Attempts started. */
  attempts: number;
  /** Owner token of the process running it (stale after a crash). */
  owner?: string;
  /** Last heartbeat (start or progress), epoch ms. */
  heartbeat_at?: number;
  /** Finish time, epoch ms. */
  finished_at?: number;
  /** Last error message. */
  error?: string;
  /** Step output summary (JSON). */
  result?: Record<string, unknown>;
  /** Progress while running. */
  progress?: StepProgress;
}

/** A message that could not be processed. */
export interface DeadLetter {
  /** The message as received. */
  readonly message: unknown;
  /** Why it is dead. */
  readonly error: string;
  /** When, epoch ms. */
  readonly at: number;
}

/** Key of a run. */
export const runKey = (runId: string): Deno.KvKey => ["trainer", "runs", runId];
/** Key of a step. */
export const stepKey = (
  runId: string,
  step: StepName,
): Deno.KvKey => ["trainer", "steps", runId, step];
/** Prefix of dead letters. */
export const DEAD_PREFIX: Deno.KvKey = ["trainer", "dead_letters"];
/** Prefix of messages Deno KV could not deliver. */
export const UNDELIVERED_PREFIX: Deno.KvKey = ["trainer", "undelivered"];

/** Type guard for queue messages (validate once at the boundary). */
export function parseStepMessage(m: unknown): StepMessage | string {
  if (typeof m !== "object" || m === null) return "message is not an object";
  const o = m as Record<string, unknown>;
  if (o.kind !== "run_step") return `unknown message kind ${JSON.stringify(o.kind)}`;
  if (typeof o.run_id !== "string" || o.run_id.length === 0) return "run_id missing";
  if (!PIPELINE_STEPS.includes(o.step as StepName)) return `unknown step ${JSON.stringify(o.step)}`;
  if (typeof o.attempt !== "number" || !Number.isInteger(o.attempt) || o.attempt < 1) {
    return "attempt must be a positive integer";
  }
  return { kind: "run_step", run_id: o.run_id, step: o.step as StepName, attempt: o.attempt };
}
