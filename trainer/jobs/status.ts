/**
 * `deno task train:status`: runs (newest first), their steps with status,
 * attempts, progress and errors, and the dead letters.
 *
 * @module
 */

import { formatDuration } from "./progress_bar.ts";
import {
  DEAD_PREFIX,
  type DeadLetter,
  type RunRecord,
  stepKey,
  type StepRecord,
  UNDELIVERED_PREFIX,
} from "./records.ts";

/** Renders the status of the trainer's KV store as text lines. */
export async function statusLines(kv: Deno.Kv, limit = 10): Promise<string[]> {
  const out: string[] = [];
  const runs: RunRecord[] = [];
  for await (
    const e of kv.list<RunRecord>({ prefix: ["trainer", "runs"] }, { reverse: true, limit })
  ) {
    runs.push(e.value);
  }
  if (runs.length === 0) out.push("no runs");
  for (const r of runs) {
    out.push(
      `run ${r.run_id}  ${r.status}${r.reason ? `  (${r.reason})` : ""}  created ${
        new Date(r.created_at).toISOString()
      }`,
    );
    for (const s of r.steps) {
      const st = (await kv.get<StepRecord>(stepKey(r.run_id, s))).value;
      if (st === null) continue;
      let line = `  ${s.padEnd(9)} ${st.status.padEnd(11)} attempts ${st.attempts}`;
      if (st.status === "running" && st.progress) {
        const p = st.progress;
        line += `  ${p.step}/${p.total} loss ${
          Number.isFinite(p.loss) ? p.loss.toFixed(4) : "-"
        } ETA ${formatDuration(p.eta_ms)}`;
      }
      if (st.error) line += `  ${st.status === "unavailable" ? "" : "error: "}${st.error}`;
      out.push(line);
      if (st.status === "done") out.push(...resultLines(st.result));
    }
  }
  const dead: DeadLetter[] = [];
  for await (const e of kv.list<DeadLetter>({ prefix: DEAD_PREFIX })) dead.push(e.value);
  let undelivered = 0;
  for await (const _ of kv.list({ prefix: UNDELIVERED_PREFIX })) undelivered++;
  out.push(`dead letters: ${dead.length}${undelivered > 0 ? `, undelivered: ${undelivered}` : ""}`);
  for (const d of dead.slice(-5)) out.push(`  ${new Date(d.at).toISOString()} ${d.error}`);
  return out;
}

/** Key figures of a finished step's result (RL returns, experience replay, verdicts, export parity). */
export function resultLines(result: unknown): string[] {
  if (typeof result !== "object" || result === null) return [];
  const r = result as Record<string, unknown>;
  const out: string[] = [];
  const num = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : "-");
  if ("last_mean_return" in r) {
    out.push(
      `            mean episode return ${num(r.first_mean_return)} -> ${num(r.last_mean_return)}`,
    );
  }
  const e = r.experience as
    | {
      used: number;
      read: number;
      skipped: Record<string, number>;
      replay_steps: number;
      outcome_check_bps?: number | null;
    }
    | undefined;
  if (e !== undefined) {
    const skipped = Object.entries(e.skipped).map(([k, n]) => `${n} ${k}`).join(", ");
    out.push(
      `            experience: ${e.used} of ${e.read} records replayed, ${e.replay_steps} replay steps${
        typeof e.outcome_check_bps === "number"
          ? `, outcome check ${e.outcome_check_bps.toFixed(2)} bps`
          : ""
      }${skipped ? ` (left out: ${skipped})` : ""}`,
    );
  }
  for (const k of ["verdict", "walk_forward_verdict"]) {
    if (typeof r[k] === "string") out.push(`            ${r[k]}`);
  }
  const p = r.parity as Record<string, number> | undefined;
  if (p !== undefined && typeof p.int8_action_agreement_web === "number") {
    const pct = (v: unknown) => (typeof v === "number" ? `${(v * 100).toFixed(1)} %` : "-");
    out.push(
      `            parity: fp32 max abs diff ${Number(p.fp32_max_abs_diff).toExponential(1)}; ` +
        `INT8 agrees with fp32 on ${pct(p.int8_action_agreement_node)} (onnxruntime-node), ` +
        `${pct(p.int8_action_agreement_web)} (onnxruntime-web), max head diff ${
          num(p.int8_max_head_diff)
        }; fp32 margin median ${num(p.fp32_margin_median)}, ${
          pct(p.int8_confident_share)
        } of decisions ≥ ${p.int8_confident_margin}, INT8 agrees on ${
          pct(p.int8_confident_agreement)
        } of them`,
    );
  }
  return out;
}
