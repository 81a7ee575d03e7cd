/**
 * Runs the retention policy inside the process that writes the store (one writer per store):
 * once at start, then every `check_interval_minutes`, never two runs at once.
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { SqliteStore } from "../../infra/store/sqlite_store.ts";
import {
  applyRetention,
  retentionActive,
  retentionPolicy,
  type RetentionReport,
} from "./retention.ts";

/** See the module documentation. */
export class RetentionRunner {
  readonly #store: SqliteStore;
  readonly #config: Config;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #running: Promise<RetentionReport | undefined> | undefined;

  /**
   * @param store The store this process writes.
   * @param config Configuration (`storage.retention`).
   * @param options Log and clock.
   */
  constructor(
    store: SqliteStore,
    config: Config,
    options: { log?: (line: string) => void; now?: () => number } = {},
  ) {
    this.#store = store;
    this.#config = config;
    this.#log = options.log ?? (() => {});
    this.#now = options.now ?? Date.now;
  }

  /** Whether a policy is configured (otherwise {@linkcode RetentionRunner.start} does nothing). */
  get active(): boolean {
    return retentionActive(retentionPolicy(this.#config));
  }

  /** Starts the periodic runs (the first one at once). */
  start(): void {
    if (!this.active || this.#timer !== undefined) return;
    const every = this.#config.storage.retention.check_interval_minutes * 60_000;
    this.#timer = setInterval(() => void this.runOnce(), every);
    void this.runOnce();
  }

  /** Applies the policy now (or waits for the run in progress). */
  runOnce(): Promise<RetentionReport | undefined> {
    if (this.#running) return this.#running;
    this.#running = applyRetention(this.#store, retentionPolicy(this.#config), {
      now: this.#now(),
      log: this.#log,
    }).catch((e) => {
      this.#log(`retention failed: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }).finally(() => (this.#running = undefined));
    return this.#running;
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }
}
