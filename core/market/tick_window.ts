/**
 * A dense window of {@linkcode WINDOW} integer keys (price ticks) holding level sizes, the
 * part of a {@linkcode BookSide} next to its best level.
 *
 * Key `base + i` lives at index `i`: setting a level is a store and a bit flip in an
 * occupancy bitmap (plus a summary bit per 32-bit word, so scans skip 1,024 empty ticks at a
 * time), and size totals per 32 and per 1,024 ticks keep depth-within-a-range queries to a
 * few dozen adds. The best level (`top`) is tracked: after its delete the next one is found
 * a bitmap word at a time, never tick by tick. Sizes stay exact (safe integers in a
 * Float64Array). Where the window sits is the owner's decision ({@linkcode TickWindow.rebase}).
 *
 * @module
 */

/** Ticks in the window (256 KiB of sizes once allocated). */
export const WINDOW = 1 << 15;

/** Callback of a scan: return false to stop. */
export type LevelVisitor = (key: number, size: number) => boolean | void;

/**
 * The window's levels (see the module doc).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { TickWindow } from "./tick_window.ts";
 * const w = new TickWindow();
 * w.rebase(100, () => {});
 * w.apply([[105, 2], [103, 1]], 1, 0, 0);
 * assert.equal(w.top, 5);
 * assert.equal(w.sumFromIndex(4), 2);
 * ```
 */
export class TickWindow {
  /** Key of index 0. */
  base = 0;
  /** Levels held. */
  n = 0;
  /** Index of the best (highest) level, -1 when empty. */
  top = -1;
  /** Sizes by index; undefined until the window is first placed. */
  sizes: Float64Array | undefined;
  readonly #bits = new Int32Array(WINDOW >> 5);
  readonly #summary = new Int32Array(WINDOW >> 10);
  readonly #wsum = new Float64Array(WINDOW >> 5);
  readonly #gsum = new Float64Array(WINDOW >> 10);

  /** Removes every level (the window stays where it is). */
  clear(): void {
    if (this.n > 0) {
      (this.sizes as Float64Array).fill(0);
      this.#bits.fill(0);
      this.#summary.fill(0);
      this.#wsum.fill(0);
      this.#gsum.fill(0);
    }
    this.n = 0;
    this.top = -1;
  }

  /**
   * Applies `[price, size]` updates (key = `sign * price`) from `from` on, while their keys
   * fall in the window and the best level stays at or above index `lowWater`.
   *
   * @returns Index of the first update not applied: outside the window, or not a valid
   *   integer price and size (the owner handles it), or the one after a delete that left
   *   the best below `lowWater`; `updates.length` when all were applied.
   */
  apply(
    updates: readonly (readonly [number, number])[],
    sign: 1 | -1,
    from: number,
    lowWater: number,
  ): number {
    const sizes = this.sizes;
    if (sizes === undefined) return from;
    const base = this.base;
    const bits = this.#bits;
    const summary = this.#summary;
    const wsum = this.#wsum;
    const gsum = this.#gsum;
    for (let k = from; k < updates.length; k++) {
      const u = updates[k] as readonly [number, number];
      const size = u[1];
      const i = sign * u[0] - base;
      if (!(size >= 0) || !Number.isInteger(size) || !(i >= 0 && i < WINDOW)) return k;
      if (!Number.isInteger(i)) return k;
      const old = sizes[i] as number;
      if (size === old) continue;
      sizes[i] = size;
      const d = size - old;
      const w = i >> 5;
      wsum[w] = (wsum[w] as number) + d;
      gsum[i >> 10] = (gsum[i >> 10] as number) + d;
      if (old === 0) {
        bits[w] = (bits[w] as number) | (1 << (i & 31));
        summary[w >> 5] = (summary[w >> 5] as number) | (1 << (w & 31));
        this.n++;
        if (i > this.top) this.top = i;
      } else if (size === 0) {
        const word = (bits[w] as number) & ~(1 << (i & 31));
        bits[w] = word;
        if (word === 0) summary[w >> 5] = (summary[w >> 5] as number) & ~(1 << (w & 31));
        this.n--;
        if (i === this.top) {
          this.top = this.below(i);
          if (this.top < lowWater) return k + 1;
        }
      }
    }
    return updates.length;
  }

  /**
   * Moves the window so that index 0 is key `base` (allocating it on first use). Levels
   * that still fit move with it; the others are handed to `spill` (key, size), best first.
   */
  rebase(base: number, spill: (key: number, size: number) => void): void {
    if (this.sizes === undefined) {
      this.sizes = new Float64Array(WINDOW);
      this.base = base;
      return;
    }
    const moved: number[] = [];
    this.scan((key, size) => void moved.push(key, size));
    this.clear();
    this.base = base;
    for (let k = 0; k < moved.length; k += 2) {
      const key = moved[k] as number;
      const size = moved[k + 1] as number;
      if (key - base >= 0 && key - base < WINDOW) this.put(key - base, size);
      else spill(key, size);
    }
  }

  /** Stores a level at an empty index `i` (no checks: moves and the owner's slow path). */
  put(i: number, size: number): void {
    (this.sizes as Float64Array)[i] = size;
    this.#wsum[i >> 5] = (this.#wsum[i >> 5] as number) + size;
    this.#gsum[i >> 10] = (this.#gsum[i >> 10] as number) + size;
    const w = i >> 5;
    this.#bits[w] = (this.#bits[w] as number) | (1 << (i & 31));
    this.#summary[w >> 5] = (this.#summary[w >> 5] as number) | (1 << (w & 31));
    this.n++;
    if (i > this.top) this.top = i;
  }

  /** Highest non-empty bitmap word at or below `w`, or -1. */
  #prevWord(w: number): number {
    if (w < 0) return -1;
    const summary = this.#summary;
    let sw = w >> 5;
    const b = w & 31;
    let word = (summary[sw] as number) & (b === 31 ? -1 : (1 << (b + 1)) - 1);
    while (word === 0) {
      if (--sw < 0) return -1;
      word = summary[sw] as number;
    }
    return (sw << 5) + 31 - Math.clz32(word);
  }

  /** Highest occupied index below `i`, or -1. */
  below(i: number): number {
    const bits = this.#bits;
    let w = i >> 5;
    const word = (i & 31) === 0 ? 0 : (bits[w] as number) & ((1 << (i & 31)) - 1);
    if (word !== 0) return (w << 5) + 31 - Math.clz32(word);
    w = this.#prevWord(w - 1);
    return w < 0 ? -1 : (w << 5) + 31 - Math.clz32(bits[w] as number);
  }

  /** Visits the levels from the best down (keys, sizes) until the visitor returns false. */
  scan(visit: LevelVisitor): boolean {
    const sizes = this.sizes as Float64Array;
    for (let i = this.top; i >= 0; i = this.below(i)) {
      if (visit(this.base + i, sizes[i] as number) === false) return false;
    }
    return true;
  }

  /**
   * Copies up to `n` levels from the best down into `out` as `[sign * key, size]`.
   *
   * @returns How many were copied.
   */
  copyTop(n: number, sign: number, out: [number, number][]): number {
    const sizes = this.sizes as Float64Array;
    let got = 0;
    for (let i = this.top; i >= 0 && got < n; i = this.below(i), got++) {
      out.push([sign * (this.base + i), sizes[i] as number]);
    }
    return got;
  }

  /** Sum of the sizes at indexes >= `stop` (an integer). */
  sumFromIndex(stop: number): number {
    const gsum = this.#gsum;
    let total = 0;
    if (stop > this.top) return 0;
    if (stop <= 0) {
      for (let g = 0; g < gsum.length; g++) total += gsum[g] as number;
      return total;
    }
    // The levels of stop's word at or above it, then whole words, then whole groups.
    const w0 = stop >> 5;
    let word = (this.#bits[w0] as number) & (-1 << (stop & 31));
    const sizes = this.sizes as Float64Array;
    while (word !== 0) {
      const j = 31 - Math.clz32(word);
      word &= ~(1 << j);
      total += sizes[(w0 << 5) + j] as number;
    }
    const wsum = this.#wsum;
    const g0 = w0 >> 5;
    for (let w = w0 + 1; w < (g0 + 1) << 5; w++) total += wsum[w] as number;
    for (let g = g0 + 1; g < gsum.length; g++) total += gsum[g] as number;
    return total;
  }

  /** The level at depth `index` (0 = best, < n): its key and size in `out`. */
  at(index: number, out: [number, number]): void {
    const sizes = this.sizes as Float64Array;
    if (index === 0) {
      out[0] = this.base + this.top;
      out[1] = sizes[this.top] as number;
      return;
    }
    let rest = index;
    const bits = this.#bits;
    for (let w = this.#prevWord(this.top >> 5); w >= 0; w = this.#prevWord(w - 1)) {
      let word = bits[w] as number;
      const c = popcount(word);
      if (rest >= c) {
        rest -= c;
        continue;
      }
      for (; rest > 0; rest--) word &= ~(1 << (31 - Math.clz32(word)));
      const i = (w << 5) + 31 - Math.clz32(word);
      out[0] = this.base + i;
      out[1] = sizes[i] as number;
      return;
    }
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
