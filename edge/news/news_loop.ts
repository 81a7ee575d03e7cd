/** Options of {@linkcode runNewsLoop}. */
export interface NewsLoopOptions<T> {
  /** Time from one cycle's start to the next (ms). */
  readonly intervalMs: number;
  /** Stops the loop (between cycles, or during the wait). */
  readonly signal: AbortSignal;
  /** One cycle. */
  readonly cycle: () => Promise<T>;
  /** Called after each cycle. */
  readonly onCycle: (summary: T) => void;
  /** Called when a cycle throws; the loop goes on. */
  readonly onError: (error: unknown) => void;
  /** Clock. */
  readonly now: () => number;
  /** Abortable sleep (resolves early when the signal aborts). */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** Sleeps `ms`, or less when `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `cycle` now and then every `intervalMs` (measured from cycle start; a cycle
 * longer than the interval is followed at once by the next) until `signal` aborts.
 * A failing cycle is reported and the loop continues.
 *
 * @returns The number of cycles run.
 */
export async function runNewsLoop<T>(options: NewsLoopOptions<T>): Promise<number> {
  const sleep = options.sleep ?? abortableSleep;
  let cycles = 0;
  while (!options.signal.aborted) {
    const started = options.now();
    try {
      options.onCycle(await options.cycle());
    } catch (e) {
      options.onError(e);
    }
    cycles++;
    if (options.signal.aborted) break;
    await sleep(Math.max(0, started + options.intervalMs - options.now()), options.signal);
  }
  return cycles;
}
