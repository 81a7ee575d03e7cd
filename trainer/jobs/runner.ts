/**
 * The trainer's job runner on a local Deno KV queue: one `listenQueue` per
 * process, idempotent step handling (a step record is claimed with an atomic
 * versionstamp check; finished steps ignore re-deliveries), retries with
 * exponential backoff, dead letters for poisoned messages and exhausted
 * retries, and recovery of steps a crashed process left "running".
 *
 * Finishing a step and enqueuing the next one is one atomic KV operation, so a
 * crash never loses or duplicates a transition.
 *
 * @module
 */

import {
  DEAD_PREFIX,
  parseStepMessage,
  runKey,
  type RunRecord,
  stepKey,
  type StepMessage,
  type StepName,
  type StepProgress,
  type StepRecord,
  UNDELIVERED_PREFIX,
} from "./records.ts";

/** What a step handler sees. */
export interface StepContext {
  /** The run. */
  readonly run: RunRecord;
  /** The step. */
  readonly step: StepName;
  /** 1-based attempt. */
  readonly attempt: number;
  /** Reports progress (persisted; also refreshes the lease). */
  report(p: Omit<StepProgress, "eta_ms"> & { eta_ms?: number }): Promise<void>;
}

/** Returned by a handler whose step cannot run in this build (not an error, not a fake result). */
export class StepUnavailable {
  /** @param reason Why the step is not available. */
  constructor(readonly reason: string) {}
}

/** A step implementation; returns a JSON summary or {@linkcode StepUnavailable}. */
export type StepHandler = (ctx: StepContext) => Promise<Record<string, unknown> | StepUnavailable>;

/** Options of {@linkcode JobRunner}. */
export interface RunnerOptions {
  /** The KV store (the runner does not close it). */
  readonly kv: Deno.Kv;
  /** One handler per step. */
  readonly handlers: Partial<Record<StepName, StepHandler>>;
  /** Clock, epoch ms (default Date.now). */
  readonly clock?: () => number;
  /** Attempts before a step goes to the dead letters (default 3). */
  readonly maxAttempts?: number;
  /** Retry delays in ms by attempt (default 1 s, 5 s, 30 s). */
  readonly backoffMs?: readonly number[];
  /** A running step without a heartbeat for this long is stale (default 120 s). */
  readonly leaseMs?: number;
  /** Log sink (default: none). */
  readonly log?: (line: string) => void;
}

/** Runs pipeline steps delivered by the KV queue. */
export class JobRunner {
  readonly #kv: Deno.Kv;
  readonly #handlers: Partial<Record<StepName, StepHandler>>;
  readonly #clock: () => number;
  readonly #maxAttempts: number;
  readonly #backoff: readonly number[];
  readonly #lease: number;
  readonly #log: (line: string) => void;
  readonly #owner = crypto.randomUUID();
  readonly #active = new Set<string>();
  #listening: Promise<void> | undefined;

  /** @param o Options. */
  constructor(o: RunnerOptions) {
    this.#kv = o.kv;
    this.#handlers = o.handlers;
    this.#clock = o.clock ?? Date.now;
    this.#maxAttempts = o.maxAttempts ?? 3;
    this.#backoff = o.backoffMs ?? [1000, 5000, 30000];
    this.#lease = o.leaseMs ?? 120_000;
    this.#log = o.log ?? (() => {});
  }

  /** Starts the process's single queue listener (idempotent). Resolves when the KV closes. */
  listen(): Promise<void> {
    this.#listening ??= this.#kv.listenQueue((m) => this.handle(m));
    return this.#listening;
  }

  /** Creates a run with its steps pending and enqueues the first step. Returns the run id. */
  async createRun(steps: readonly StepName[], config: Record<string, unknown>): Promise<string> {
    if (steps.length === 0) throw new RangeError("Cannot create a run without steps");
    const now = this.#clock();
    const runId = `${new Date(now).toISOString().replace(/[-:.]/g, "")}-${this.#owner.slice(0, 6)}`;
    const run: RunRecord = {
      run_id: runId,
      created_at: now,
      steps,
      config,
      status: "running",
      updated_at: now,
    };
    const op = this.#kv.atomic().check({ key: runKey(runId), versionstamp: null }).set(
      runKey(runId),
      run,
    );
    for (const s of steps) {
      op.set(stepKey(runId, s), { status: "pending", attempts: 0 } satisfies StepRecord);
    }
    op.enqueue(this.#message(runId, steps[0] as StepName, 1), {
      keysIfUndelivered: [this.#undeliveredKey()],
    });
    if (!(await op.commit()).ok) throw new Error(`Cannot create run ${runId}: it already exists`);
    return runId;
  }

  /**
   * Re-enqueues steps left "running" by a dead process (heartbeat older than
   * the lease, or any owner when `force`) and pending steps of running runs
   * whose message was lost. Returns the number re-enqueued.
   */
  async recover(force = false): Promise<number> {
    let n = 0;
    for await (const e of this.#kv.list<RunRecord>({ prefix: ["trainer", "runs"] })) {
      const run = e.value;
      if (run.status !== "running") continue;
      for (const s of run.steps) {
        const st = (await this.#kv.get<StepRecord>(stepKey(run.run_id, s))).value;
        if (st === null || st.status === "done") continue;
        const stale = st.status === "running" &&
          (force || this.#clock() - (st.heartbeat_at ?? 0) > this.#lease);
        if (stale || st.status === "pending") {
          await this.#kv.atomic()
            .set(stepKey(run.run_id, s), { ...st, status: "pending" } satisfies StepRecord)
            .enqueue(this.#message(run.run_id, s, st.attempts + 1), {
              keysIfUndelivered: [this.#undeliveredKey()],
            })
            .commit();
          this.#log(`recover: re-enqueued ${run.run_id}/${s} (${st.status})`);
          n++;
        }
        break; // only the first unfinished step of a run
      }
    }
    return n;
  }

  /** Polls until the run is no longer running; returns its record. */
  async waitForRun(runId: string, pollMs = 200): Promise<RunRecord> {
    while (true) {
      const r = (await this.#kv.get<RunRecord>(runKey(runId))).value;
      if (r === null) throw new RangeError(`Unknown run ${runId}`);
      if (r.status !== "running") return r;
      await new Promise((res) => setTimeout(res, pollMs));
    }
  }

  /** Handles one delivered queue message (exposed for tests; the listener calls it). */
  async handle(raw: unknown): Promise<void> {
    const m = parseStepMessage(raw);
    if (typeof m === "string") return await this.#dead(raw, `poisoned message: ${m}`);
    const key = `${m.run_id}/${m.step}`;
    if (this.#active.has(key)) {
      return this.#log(`duplicate delivery of ${key} while running: ignored`);
    }
    const runEntry = await this.#kv.get<RunRecord>(runKey(m.run_id));
    const stepEntry = await this.#kv.get<StepRecord>(stepKey(m.run_id, m.step));
    if (runEntry.value === null || stepEntry.value === null) {
      return await this.#dead(raw, `unknown run or step ${key}`);
    }
    const run = runEntry.value;
    const st = stepEntry.value;
    if (
      run.status !== "running" || st.status === "done" || st.status === "dead" ||
      st.status === "unavailable"
    ) {
      return this.#log(`duplicate delivery of ${key} (${st.status}): ignored`);
    }
    if (st.status === "running" && this.#clock() - (st.heartbeat_at ?? 0) <= this.#lease) {
      return this.#log(`${key} is running (lease held): ignored`);
    }
    const handler = this.#handlers[m.step];
    if (handler === undefined) return await this.#dead(raw, `no handler for step ${m.step}`);
    const claimed: StepRecord = {
      status: "running",
      attempts: st.attempts + 1,
      owner: this.#owner,
      heartbeat_at: this.#clock(),
    };
    if (!(await this.#kv.atomic().check(stepEntry).set(stepEntry.key, claimed).commit()).ok) {
      return this.#log(`${key} was claimed concurrently: ignored`);
    }
    this.#active.add(key);
    try {
      await this.#run(run, m, claimed, handler);
    } finally {
      this.#active.delete(key);
    }
  }

  async #run(run: RunRecord, m: StepMessage, rec: StepRecord, handler: StepHandler): Promise<void> {
    const key = stepKey(run.run_id, m.step);
    const started = this.#clock();
    const ctx: StepContext = {
      run,
      step: m.step,
      attempt: rec.attempts,
      report: async (p) => {
        const now = this.#clock();
        const eta = p.eta_ms ?? (p.step > 0 ? (now - started) / p.step * (p.total - p.step) : 0);
        rec.progress = { step: p.step, total: p.total, loss: p.loss, eta_ms: Math.round(eta) };
        rec.heartbeat_at = now;
        await this.#kv.set(key, rec);
      },
    };
    let out: Record<string, unknown> | StepUnavailable;
    try {
      out = await handler(ctx);
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      return await this.#fail(run, m, rec, msg);
    }
    const now = this.#clock();
    const idx = run.steps.indexOf(m.step);
    const next = run.steps[idx + 1];
    const op = this.#kv.atomic();
    if (out instanceof StepUnavailable) {
      op.set(
        key,
        { ...rec, status: "unavailable", finished_at: now, error: out.reason } satisfies StepRecord,
      );
      op.set(runKey(run.run_id), {
        ...run,
        status: "incomplete",
        updated_at: now,
        reason: `${m.step}: ${out.reason}`,
      });
      this.#log(`${run.run_id}/${m.step}: ${out.reason}`);
    } else {
      op.set(key, { ...rec, status: "done", finished_at: now, result: out } satisfies StepRecord);
      if (next === undefined) {
        op.set(runKey(run.run_id), { ...run, status: "done", updated_at: now });
      } else {op.enqueue(this.#message(run.run_id, next, 1), {
          keysIfUndelivered: [this.#undeliveredKey()],
        });}
      this.#log(`${run.run_id}/${m.step}: done`);
    }
    await op.commit();
  }

  async #fail(run: RunRecord, m: StepMessage, rec: StepRecord, error: string): Promise<void> {
    const key = stepKey(run.run_id, m.step);
    const now = this.#clock();
    if (rec.attempts < this.#maxAttempts) {
      const delay = this.#backoff[Math.min(rec.attempts - 1, this.#backoff.length - 1)] ?? 1000;
      await this.#kv.atomic()
        .set(key, { ...rec, status: "pending", error } satisfies StepRecord)
        .enqueue(this.#message(run.run_id, m.step, rec.attempts + 1), {
          delay,
          keysIfUndelivered: [this.#undeliveredKey()],
        })
        .commit();
      this.#log(
        `${run.run_id}/${m.step}: attempt ${rec.attempts} failed (${error}); retry in ${delay} ms`,
      );
      return;
    }
    await this.#kv.atomic()
      .set(key, { ...rec, status: "dead", finished_at: now, error } satisfies StepRecord)
      .set(runKey(run.run_id), {
        ...run,
        status: "failed",
        updated_at: now,
        reason: `${m.step}: ${error}`,
      })
      .commit();
    await this.#dead(m, `${m.step} failed ${rec.attempts} times: ${error}`);
  }

  async #dead(message: unknown, error: string): Promise<void> {
    const at = this.#clock();
    await this.#kv.set([...DEAD_PREFIX, `${at}-${crypto.randomUUID().slice(0, 8)}`], {
      message,
      error,
      at,
    });
    this.#log(`dead letter: ${error}`);
  }

  #message(runId: string, step: StepName, attempt: number): StepMessage {
    return { kind: "run_step", run_id: runId, step, attempt };
  }

  #undeliveredKey(): Deno.KvKey {
    return [...UNDELIVERED_PREFIX, `${this.#clock()}-${crypto.randomUUID().slice(0, 8)}`];
  }
}
