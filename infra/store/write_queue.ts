import { SpillFiles } from "./spill_files.ts";
import { StoreBacklogError, StoreUnavailableError } from "./store_errors.ts";

/** Options of {@linkcode WriteQueue}. */
export interface WriteQueueOptions {
  /** Rows held in memory at most; beyond that batches spill to disk (or are refused). */
  readonly maxRows: number;
  /** Directory for spill files; without it a full buffer refuses batches. */
  readonly spillDir?: string;
  /** File name prefix of this queue's spill files (one prefix per writing process). */
  readonly spillPrefix?: string;
  /** Whether an error is worth retrying (connection lost, server restarting, deadlock). */
  readonly isTransient: (error: unknown) => boolean;
  /** First retry delay, ms. Default 100. */
  readonly minBackoffMs?: number;
  /** Longest retry delay, ms. Default 5,000. */
  readonly maxBackoffMs?: number;
  /** Log lines (outage, recovery, spills, rejected batches). */
  readonly onLog?: (line: string) => void;
}

/** Counters of a {@linkcode WriteQueue} (snake_case: printed as JSON). */
export interface WriteQueueStats {
  /** Batches committed. */
  committed_batches: number;
  /** Rows committed (rows offered, including ones the database skipped as duplicates). */
  committed_rows: number;
  /** Write attempts that failed with a transient error. */
  failed_attempts: number;
  /** Times the database went from reachable to unreachable. */
  outages: number;
  /** Batches written to spill files. */
  spilled_batches: number;
  /** Rows written to spill files. */
  spilled_rows: number;
  /** Batches that failed permanently after their caller had been released. */
  dead_letter_batches: number;
}

interface Item<P> {
  readonly payload: P;
  readonly rows: number;
  settle?: { resolve: () => void; reject: (e: unknown) => void } | undefined;
}

/**
 * An ordered, bounded write buffer in front of a database that may go away.
 *
 * - While the database answers, {@linkcode WriteQueue.enqueue} resolves when the batch is
 *   committed and rejects with the database's error when the batch is refused (nothing kept).
 * - When a write fails with a transient error the queue keeps the batch, releases every waiting
 *   caller (their rows are held), and retries with exponential backoff until the database is back.
 * - Beyond `maxRows` buffered rows, new batches are appended to a spill file (JSON lines) in
 *   `spillDir` and written after the memory buffer has drained; spill files left by a previous
 *   process are drained too. Without `spillDir` a full buffer refuses new batches with
 *   {@linkcode StoreBacklogError}, so the caller keeps them.
 *
 * Writes must be idempotent (retries after a lost commit acknowledgement repeat them) and
 * independent of order (spilled batches are written after newer in-memory ones).
 */
export class WriteQueue<P> {
  /** Counters. */
  readonly stats: WriteQueueStats = {
    committed_batches: 0,
    committed_rows: 0,
    failed_attempts: 0,
    outages: 0,
    spilled_batches: 0,
    spilled_rows: 0,
    dead_letter_batches: 0,
  };
  readonly #write: (payload: P) => Promise<void>;
  readonly #o: WriteQueueOptions;
  #mem: Item<P>[] = [];
  #memRows = 0;
  #healthy = true;
  #running: Promise<void> | undefined;
  #stopped = false;
  readonly #spills: SpillFiles<P>;
  #wake: (() => void) | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param write Writes one batch atomically (throws on failure).
   * @param options Limits, spill directory, error classification.
   */
  constructor(write: (payload: P) => Promise<void>, options: WriteQueueOptions) {
    this.#write = write;
    this.#o = options;
    this.#spills = new SpillFiles({
      dir: options.spillDir,
      prefix: options.spillPrefix ?? "spill",
      onSpilled: (rows) => (this.stats.spilled_batches++, this.stats.spilled_rows += rows),
      log: (line) => this.#log(line),
    });
  }

  /** Rows held in memory. */
  get bufferedRows(): number {
    return this.#memRows;
  }

  /** False between a transient failure and the next successful write. */
  get healthy(): boolean {
    return this.#healthy;
  }

  /**
   * Queues a batch; see the class description for when the promise settles.
   *
   * @param payload The batch (JSON-serializable when a spill directory is set).
   * @param rows Its row count (for the buffer limit).
   */
  async enqueue(payload: P, rows: number): Promise<void> {
    if (this.#stopped) throw new StoreUnavailableError("store is closed", rows);
    if (this.#memRows > 0 && this.#memRows + rows > this.#o.maxRows) {
      if (!this.#o.spillDir) throw new StoreBacklogError(this.#memRows, this.#o.maxRows);
      await this.#spills.append(payload, rows);
      this.#kick();
      return;
    }
    const done = new Promise<void>((resolve, reject) => {
      const item: Item<P> = { payload, rows, settle: { resolve, reject } };
      if (!this.#healthy) (item.settle = undefined, resolve());
      this.#mem.push(item);
    });
    this.#memRows += rows;
    this.#kick();
    await done;
  }

  /** Starts draining spill files left by an earlier process, if any. */
  async resume(): Promise<void> {
    if ((await this.#spills.list()).length > 0) this.#kick();
  }

  /**
   * Waits until memory and spill files are empty.
   *
   * @param timeoutMs Give up after this long.
   * @returns True when everything was written.
   */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.#mem.length > 0 || (await this.#spills.list()).length > 0) {
      this.#kick();
      const left = deadline - Date.now();
      if (left <= 0 || !this.#running) return false;
      let t: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.#running, new Promise((r) => (t = setTimeout(r, left)))]);
      clearTimeout(t);
    }
    return true;
  }

  /**
   * Drains (up to `timeoutMs`), then stops. Rows still in memory are spilled to disk when a
   * spill directory is set (written by the next process); otherwise this throws.
   *
   * @throws {StoreUnavailableError} When rows could not be written nor spilled.
   */
  async close(timeoutMs: number): Promise<void> {
    const drained = await this.drain(timeoutMs);
    this.#stopped = true;
    this.#interrupt();
    await this.#running;
    if (drained || this.#mem.length === 0) return;
    const left = this.#mem;
    this.#mem = [];
    this.#memRows = 0;
    const rows = left.reduce((n, i) => n + i.rows, 0);
    if (!this.#o.spillDir) {
      throw new StoreUnavailableError(
        `database unreachable: ${rows} buffered rows not written`,
        rows,
      );
    }
    for (const i of left) await this.#spills.append(i.payload, i.rows);
    await this.#spills.appended();
    this.#log(`closing with the database unreachable: ${rows} rows spilled to ${this.#o.spillDir}`);
  }

  #kick(): void {
    if (this.#running || this.#stopped) return;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
      if (this.#mem.length > 0) this.#kick(); // queued while the loop was finishing
    });
  }

  async #run(): Promise<void> {
    let backoff = this.#o.minBackoffMs ?? 100;
    while (!this.#stopped) {
      const item = this.#mem[0];
      const outcome = item ? await this.#attempt(item) : await this.#drainSpill();
      if (outcome === "retry") {
        await this.#sleep(backoff);
        backoff = Math.min(backoff * 2, this.#o.maxBackoffMs ?? 5_000);
        continue;
      }
      backoff = this.#o.minBackoffMs ?? 100;
      if (outcome === "idle" && this.#mem.length === 0) return;
    }
  }

  async #attempt(item: Item<P>): Promise<"ok" | "retry"> {
    try {
      await this.#write(item.payload);
    } catch (e) {
      if (this.#transient(e)) return "retry";
      this.#mem.shift();
      this.#memRows -= item.rows;
      if (item.settle) item.settle.reject(e);
      else await this.#deadLetter(item.payload, item.rows, e);
      return "ok";
    }
    this.#mem.shift();
    this.#memRows -= item.rows;
    this.#committed(item.rows);
    item.settle?.resolve();
    return "ok";
  }

  /** Writes the spill files oldest first; a file is removed once all its batches are written. */
  async #drainSpill(): Promise<"ok" | "retry" | "idle"> {
    await this.#spills.appended();
    this.#spills.rotate(); // later spills start a new file
    const files = await this.#spills.list();
    if (files.length === 0) return "idle";
    for (const path of files) {
      for await (const line of this.#spills.unwritten(path)) {
        if (this.#mem.length > 0 || this.#stopped) return "ok"; // fresh rows first
        const { payload, rows } = JSON.parse(line.text) as { payload: P; rows: number };
        try {
          await this.#write(payload);
          this.#committed(rows);
        } catch (e) {
          if (this.#transient(e)) return "retry";
          await this.#deadLetter(payload, rows, e);
        }
        this.#spills.markWritten(path, line.lineNo);
      }
      await this.#spills.remove(path);
    }
    return "ok";
  }

  #transient(e: unknown): boolean {
    if (!this.#o.isTransient(e)) return false;
    this.stats.failed_attempts++;
    if (this.#healthy) {
      this.#healthy = false;
      this.stats.outages++;
      this.#log(`database unreachable or busy (${(e as Error).message}); holding rows, retrying`);
    }
    for (const i of this.#mem) (i.settle?.resolve(), i.settle = undefined);
    return true;
  }

  #committed(rows: number): void {
    this.stats.committed_batches++;
    this.stats.committed_rows += rows;
    if (!this.#healthy) {
      this.#healthy = true;
      this.#log(`database reachable again; ${this.#memRows} rows still buffered`);
    }
  }

  async #deadLetter(payload: P, rows: number, e: unknown): Promise<void> {
    this.stats.dead_letter_batches++;
    const why = e instanceof Error ? e.message : String(e);
    const kept = await this.#spills.keepRejected(payload, rows, why);
    this.#log(
      `batch of ${rows} rows refused by the database (${why}); ${
        kept ? `kept in ${kept}` : "dropped"
      }`,
    );
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
      this.#timer = setTimeout(resolve, ms);
    });
  }

  #interrupt(): void {
    clearTimeout(this.#timer);
    this.#wake?.();
  }

  #log(line: string): void {
    this.#o.onLog?.(line);
  }
}
