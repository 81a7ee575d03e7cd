/**
 * Synchronous (node:sqlite) work as a promise, so an SQLite repository has the same async
 * contract as its PostgreSQL twin.
 *
 * @module
 */

/**
 * Runs `run` now and returns its result as a promise: its error rejects, never throws.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { settled } from "./settled.ts";
 * assert.equal(await settled(() => 2), 2);
 * await assert.rejects(() => settled(() => { throw new Error("x"); }), /x/);
 * ```
 */
export function settled<T>(run: () => T): Promise<T> {
  try {
    return Promise.resolve(run());
  } catch (e) {
    return Promise.reject(e);
  }
}
