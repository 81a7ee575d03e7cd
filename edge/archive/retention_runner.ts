/**
 * Runs the retention policy inside the process that writes the store (one writer per store):
 * once at start, then every `check_interval_minutes`, never two runs at once; with
 * `max_store_mb`, also whenever a probe (every {@linkcode SIZE_PROBE_MS}, one PRAGMA) finds the
 * store over its cap, so the cap holds between the periodic runs.
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
  storeUsedBytes,
} from "./retention.ts";

/** How often the store's size is compared with `max_store_mb`, ms. */
export const SIZE_PROBE_MS = 10_000;

/** See the module documentation. */
export class RetentionRunner {
  readonly #store: SqliteStore;
  readonly #config: Config;
  readonly #log: (line: string) => void;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #probe: ReturnType<typeof setInterval> | undefined;
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
    const max = retentionPolicy(this.#config).maxStoreBytes;
    if (max !== undefined) {
      this.#probe = setInterval(() => {
        if (this.#running) return;
        let over = false;
        try {
          over = storeUsedBytes(this.#store) > max;
        } catch {
          return; // the store is closing; the periodic run reports real errors
        }
        if (over) void this.runOnce();
      }, SIZE_PROBE_MS);
    }
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
    clearInterval(this.#probe);
    this.#timer = undefined;
    this.#probe = undefined;
    await this.#running;
  }
}
