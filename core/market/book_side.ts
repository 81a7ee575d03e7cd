/**
 * One side of an order book: a dense window of price ticks under the best level
 * ({@linkcode TickWindow}), and sorted blocks for the levels below it ({@linkcode SortedBlocks}).
 *
 * Keys are integer prices (negated for asks, so for both sides the best level is the
 * highest key). The window holds the part of the book that changes most (within 32,768
 * ticks of the best: about 94 % of the recorded BTCUSDT updates) and answers the reads
 * from the best (top N, depth within bps, walking the book) from its bitmap; deeper levels
 * go to the blocks. The window follows the best level when it moves beyond its margins.
 *
 * @module
 */

import { type LevelVisitor, SortedBlocks } from "./sorted_blocks.ts";
import { TickWindow, WINDOW } from "./tick_window.ts";

export type { LevelVisitor } from "./sorted_blocks.ts";
export { WINDOW } from "./tick_window.ts";

/** Room left above the best level when the window is placed. */
const HEADROOM = WINDOW >> 3;
/** The window is moved down when the best level falls below this index. */
const LOW_WATER = WINDOW >> 2;

/**
 * Levels of one side keyed by an integer, sizes exact (safe integers in Float64Arrays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { BookSide } from "./book_side.ts";
 * const s = new BookSide();
 * s.set(5, 10);
 * s.set(7, 1);
 * s.set(6, 2);
 * s.set(7, 0); // size 0 deletes
 * assert.equal(s.count, 2);
 * assert.equal(s.bestKey(), 6);
 * assert.equal(s.get(5), 10);
 * ```
 */
export class BookSide {
  readonly #w = new TickWindow();
  readonly #deep = new SortedBlocks();
  readonly #spill = (key: number, size: number) => this.#deep.set(key, size);
  /** The one-update list of {@linkcode BookSide.set} (reused: no allocation per call). */
  readonly #one: [number, number][] = [[0, 0]];

  /** Number of levels. */
  get count(): number {
    return this.#w.n + this.#deep.count;
  }

  /** Removes every level. */
  clear(): void {
    this.#w.clear();
    this.#deep.clear();
  }

  /** The highest key (the best level), or undefined when empty. */
  bestKey(): number | undefined {
    const w = this.#w;
    return w.top >= 0 ? w.base + w.top : this.#deep.bestKey();
  }

  /** Size at a key (0 when absent). */
  get(key: number): number {
    const w = this.#w;
    const i = key - w.base;
    if (w.sizes === undefined || i < 0) return this.#deep.get(key);
    return i < WINDOW ? w.sizes[i] as number : 0;
  }

  /** Sets the size at a key; size 0 deletes the level (deleting an absent level is a no-op). */
  set(key: number, size: number): void {
    const one = this.#one;
    const u = one[0] as [number, number];
    u[0] = key;
    u[1] = size;
    this.apply(one, 1);
  }

  /**
   * Applies `[price, size]` updates (keys are `sign * price`) in order: those in the window
   * in one tight loop, the rest one by one.
   *
   * @returns Index of the first update whose price or size is not a valid integer (it
   *   and the updates after it are not applied), or -1.
   */
  apply(updates: readonly (readonly [number, number])[], sign: 1 | -1): number {
    const w = this.#w;
    for (let k = 0; k < updates.length;) {
      k = w.apply(updates, sign, k, LOW_WATER);
      if (w.top < LOW_WATER && w.sizes !== undefined) this.#follow();
      if (k >= updates.length) break;
      const u = updates[k] as readonly [number, number];
      const key = sign * u[0];
      const size = u[1];
      if (!(size >= 0) || !Number.isInteger(size) || !Number.isInteger(key)) return k;
      const i = key - w.base;
      // The window moved (a follow): its loop takes the update on the next round.
      if (w.sizes !== undefined && i >= 0 && i < WINDOW) continue;
      k++;
      if (w.sizes !== undefined && i < 0) {
        // Deeper than the window; it becomes the best only when the window is empty.
        this.#deep.set(key, size);
        if (w.n === 0 && size !== 0) this.#follow();
      } else if (size !== 0) {
        // Above the window (a new best), or the first level of the side.
        this.#place(key);
        w.put(key - w.base, size);
      }
    }
    return -1;
  }

  /** Visits levels from the best down until the visitor returns false. */
  scan(visit: LevelVisitor): void {
    if (this.#w.scan(visit)) this.#deep.scan(visit);
  }

  /** The best `n` levels as `[sign * key, size]`, best first. */
  top(n: number, sign: 1 | -1): [number, number][] {
    const out: [number, number][] = [];
    const got = this.#w.copyTop(n, sign, out);
    if (got < n) {
      this.#deep.scan((key, size) => {
        out.push([sign * key, size]);
        return out.length < n;
      });
    }
    return out;
  }

  /** Sum of sizes of the levels with key >= `bound`. */
  sumFrom(bound: number): number {
    const w = this.#w;
    if (w.top < 0) return this.#deep.sumFrom(bound);
    // Keys are integers: key >= bound exactly when index >= ceil(bound - base).
    const stop = Math.ceil(bound - w.base);
    return w.sumFromIndex(stop) + (stop <= 0 ? this.#deep.sumFrom(bound) : 0);
  }

  /**
   * The level at depth `index` (0 = best).
   *
   * @returns Whether it exists; its key and size are in `out[0]`, `out[1]`.
   */
  at(index: number, out: [number, number]): boolean {
    if (!(index >= 0) || index >= this.count) return false;
    if (index >= this.#w.n) return this.#deep.at(index - this.#w.n, out);
    this.#w.at(index, out);
    return true;
  }

  /** Re-places the window under the best level when it has sunk low or the window emptied. */
  #follow(): void {
    const best = this.bestKey();
    if (best !== undefined) this.#place(best);
  }

  /** Moves the window so that `top` sits HEADROOM below its upper end; levels follow. */
  #place(top: number): void {
    const w = this.#w;
    const base = top - (WINDOW - HEADROOM);
    w.rebase(base, this.#spill);
    // Deep levels now inside the window move up into it.
    const deep = this.#deep;
    for (let k = deep.bestKey(); k !== undefined && k >= base; k = deep.bestKey()) {
      w.put(k - base, deep.get(k));
      deep.set(k, 0);
    }
  }
}
