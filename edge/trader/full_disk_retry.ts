/**
 * The live paper trader's commits on a full disk: the trader commits every change before it
 * reads the next event, so when the store refuses a commit because the disk is full it waits and
 * retries (logged once when it starts waiting and once when it writes again) instead of failing
 * the edge. SQLite reports some full-disk writes as "disk I/O error" (SQLITE_IOERR: e.g. the WAL
 * index cannot grow on a full tmpfs); those wait the same way. Any other error is thrown.
 *
 * @module
 */

import { isDiskFullError } from "../../infra/store/sqlite_transaction.ts";

/** SQLite's "disk I/O error" (SQLITE_IOERR), which a full disk also causes. */
export function isStorageIoError(e: unknown): boolean {
  return e instanceof Error && /disk I\/O error|SQLITE_IOERR/i.test(e.message);
}

/** See the module documentation. */
export class FullDiskRetry {
  readonly #log: (line: string) => void;
  #since: number | undefined;

  /** @param log Lines "store write failed ... trading waits" and "store writable again". */
  constructor(log?: (line: string) => void) {
    this.#log = log ?? (() => {});
  }

  /** Tries `commit` once: true when written, false when the disk is full. */
  attempt(commit: () => void): boolean {
    try {
      commit();
    } catch (e) {
      if (!isDiskFullError(e) && !isStorageIoError(e)) throw e;
      if (this.#since === undefined) {
        this.#since = Date.now();
        this.#log(
          `paper trader: store write failed: ${
            (e as Error).message
          }; trading waits, retrying every second`,
        );
      }
      return false;
    }
    if (this.#since !== undefined) {
      const s = Math.round((Date.now() - this.#since) / 1000);
      this.#log(`paper trader: store writable again after ${s} s`);
      this.#since = undefined;
    }
    return true;
  }

  /** Retries `commit` every second until it is written. */
  async until(commit: () => void): Promise<void> {
    while (!this.attempt(commit)) await new Promise((r) => setTimeout(r, 1_000));
  }
}
