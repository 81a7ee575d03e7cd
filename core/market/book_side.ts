/**
 * One side of an order book: a dense window of price ticks under the best level, and
 * sorted blocks for the levels below it.
 *
 * Keys are integer prices (negated for asks, so for both sides the best level is the
 * highest key). Levels whose key falls in the window `[base, base + WINDOW)` live in a
 * Float64Array indexed by `key - base` with an occupancy bitmap: setting one is a store and
 * a bit flip, and the next best level after a delete is found a word of the bitmap at a
 * time. This is the part of the book that changes most (within 32,768 ticks of the best:
 * about 80 % of the recorded BTCUSDT updates). Deeper levels go to {@linkcode SortedBlocks}.
 * The window follows the best level when it moves beyond its margins. Reads from the best
 * (top N, depth within bps, walking the book) scan the bitmap, then the blocks.
 *
 * @module
 */

import { type LevelVisitor, SortedBlocks } from "./sorted_blocks.ts";

export type { LevelVisitor } from "./sorted_blocks.ts";

/** Ticks in the dense window (256 KiB of sizes per side once the side has a level). */
export const WINDOW = 1 << 15;
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
  #sizes: Float64Array | undefined;
  #bits = new Int32Array(WINDOW >> 5);
  /** Size totals per 32 ticks and per 1,024 ticks: depth within a range in at most ~64 adds. */
  #wsum = new Float64Array(WINDOW >> 5);
  #gsum = new Float64Array(WINDOW >> 10);
  /** Bit w set when word w of #bits is non-zero: scans skip empty stretches 1,024 ticks at a time. */
  #summary = new Int32Array(WINDOW >> 10);
  #base = 0;
  /** Levels in the window. */
  #n = 0;
  /** Index of the best level in the window, -1 when the window is empty. */
  #top = -1;
  readonly #deep = new SortedBlocks();

  /** Number of levels. */
  get count(): number {
    return this.#n + this.#deep.count;
  }

  /** Removes every level. */
  clear(): void {
    if (this.#n > 0) {
      (this.#sizes as Float64Array).fill(0);
      this.#bits.fill(0);
      this.#summary.fill(0);
      this.#wsum.fill(0);
      this.#gsum.fill(0);
    }
    this.#n = 0;
    this.#top = -1;
    this.#deep.clear();
  }

  /** The highest key (the best level), or undefined when empty. */
  bestKey(): number | undefined {
    return this.#top >= 0 ? this.#base + this.#top : this.#deep.bestKey();
  }

  /** Size at a key (0 when absent). */
  get(key: number): number {
    const i = key - this.#base;
    if (this.#sizes !== undefined && i >= 0 && i < WINDOW) return this.#sizes[i] as number;
    return i < 0 || this.#sizes === undefined ? this.#deep.get(key) : 0;
  }

  /** Sets the size at a key; size 0 deletes the level (deleting an absent level is a no-op). */
  set(key: number, size: number): void {
    const sizes = this.#sizes;
    const i = key - this.#base;
    if (sizes !== undefined && i >= 0 && i < WINDOW) {
      const old = sizes[i] as number;
      sizes[i] = size;
      if (size !== old) this.#add(i, size - old);
      if (size === 0) {
        if (old === 0) return;
        const w = i >> 5;
        const word = (this.#bits[w] as number) & ~(1 << (i & 31));
        this.#bits[w] = word;
        if (word === 0) {
          this.#summary[w >> 5] = (this.#summary[w >> 5] as number) & ~(1 << (w & 31));
        }
        this.#n--;
        if (i === this.#top) {
          this.#top = this.#below(i);
          if (this.#top < LOW_WATER) this.#follow();
        }
      } else if (old === 0) {
        this.#mark(i);
        this.#n++;
        if (i > this.#top) this.#top = i;
      }
      return;
    }
    if (sizes !== undefined && i < 0) {
      // Deeper than the window; it becomes the best only when the window is empty.
      this.#deep.set(key, size);
      if (this.#n === 0 && size !== 0) this.#follow();
      return;
    }
    // Above the window (a new best), or the first level of the side.
    if (size === 0) return;
    this.#place(key);
    this.set(key, size);
  }

  /**
   * Applies `[price, size]` updates (keys are `sign * price`) in order; the common case, a
   * new size for a level already in the window, is a store and two running-total adds.
   *
   * @returns Index of the first update whose price or size is not a valid integer (it
   *   and the updates after it are not applied), or -1.
   */
  apply(updates: readonly (readonly [number, number])[], sign: 1 | -1): number {
    let sizes = this.#sizes;
    let base = this.#base;
    const bits = this.#bits;
    const summary = this.#summary;
    const wsum = this.#wsum;
    const gsum = this.#gsum;
    for (let k = 0; k < updates.length; k++) {
      const u = updates[k] as readonly [number, number];
      const size = u[1];
      const key = sign * u[0];
      if (!(size >= 0) || !Number.isInteger(size) || !Number.isInteger(key)) return k;
      const i = key - base;
      if (sizes === undefined || i < 0 || i >= WINDOW) {
        this.set(key, size);
        sizes = this.#sizes;
        base = this.#base;
        continue;
      }
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
        this.#n++;
        if (i > this.#top) this.#top = i;
      } else if (size === 0) {
        const word = (bits[w] as number) & ~(1 << (i & 31));
        bits[w] = word;
        if (word === 0) summary[w >> 5] = (summary[w >> 5] as number) & ~(1 << (w & 31));
        this.#n--;
        if (i === this.#top) {
          const top = this.#below(i);
          this.#top = top;
          if (top < LOW_WATER) {
            this.#follow();
            sizes = this.#sizes;
            base = this.#base;
          }
        }
      }
    }
    return -1;
  }

  /** Visits levels from the best down until the visitor returns false. */
  scan(visit: LevelVisitor): void {
    if (this.#top >= 0) {
      const sizes = this.#sizes as Float64Array;
      const bits = this.#bits;
      const base = this.#base;
      for (let w = this.#prevWord(this.#top >> 5); w >= 0; w = this.#prevWord(w - 1)) {
        let word = bits[w] as number;
        while (word !== 0) {
          const j = 31 - Math.clz32(word);
          word &= ~(1 << j);
          const i = (w << 5) + j;
          if (visit(base + i, sizes[i] as number) === false) return;
        }
      }
    }
    this.#deep.scan(visit);
  }

  /** Sum of sizes of the levels with key >= `bound`. */
  sumFrom(bound: number): number {
    if (this.#top < 0) return this.#deep.sumFrom(bound);
    // Keys are integers: key >= bound exactly when index >= ceil(bound - base).
    const stop = Math.ceil(bound - this.#base);
    if (stop > this.#top) return 0;
    const gsum = this.#gsum;
    let total = 0;
    if (stop <= 0) {
      for (let g = 0; g < gsum.length; g++) total += gsum[g] as number;
      return total + this.#deep.sumFrom(bound);
    }
    // The levels of stop's word at or above it, then whole words, then whole groups.
    const w0 = stop >> 5;
    let word = (this.#bits[w0] as number) & (-1 << (stop & 31));
    const sizes = this.#sizes as Float64Array;
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

  /** Adds `d` to the size totals of window index `i`. */
  #add(i: number, d: number): void {
    this.#wsum[i >> 5] = (this.#wsum[i >> 5] as number) + d;
    this.#gsum[i >> 10] = (this.#gsum[i >> 10] as number) + d;
  }

  /**
   * The level at depth `index` (0 = best).
   *
   * @returns Whether it exists; its key and size are in `out[0]`, `out[1]`.
   */
  at(index: number, out: [number, number]): boolean {
    if (index < 0 || index >= this.count) return false;
    if (index >= this.#n) return this.#deep.at(index - this.#n, out);
    let rest = index;
    const bits = this.#bits;
    for (let w = this.#prevWord(this.#top >> 5); w >= 0; w = this.#prevWord(w - 1)) {
      let word = bits[w] as number;
      const c = popcount(word);
      if (rest >= c) {
        rest -= c;
        continue;
      }
      while (true) {
        const j = 31 - Math.clz32(word);
        if (rest === 0) {
          const i = (w << 5) + j;
          out[0] = this.#base + i;
          out[1] = (this.#sizes as Float64Array)[i] as number;
          return true;
        }
        word &= ~(1 << j);
        rest--;
      }
    }
    return false;
  }

  /** Marks window index `i` occupied. */
  #mark(i: number): void {
    const w = i >> 5;
    this.#bits[w] = (this.#bits[w] as number) | (1 << (i & 31));
    this.#summary[w >> 5] = (this.#summary[w >> 5] as number) | (1 << (w & 31));
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

  /** Highest occupied window index below `i`, or -1. */
  #below(i: number): number {
    const bits = this.#bits;
    let w = i >> 5;
    const word = (i & 31) === 0 ? 0 : (bits[w] as number) & ((1 << (i & 31)) - 1);
    if (word !== 0) return (w << 5) + 31 - Math.clz32(word);
    w = this.#prevWord(w - 1);
    return w < 0 ? -1 : (w << 5) + 31 - Math.clz32(bits[w] as number);
  }

  /** Re-places the window under the best level when it has sunk low or the window emptied. */
  #follow(): void {
    const best = this.bestKey();
    if (best !== undefined) this.#place(best);
  }

  /** Moves the window so that `top` sits HEADROOM below its upper end; levels follow. */
  #place(top: number): void {
    const base = top - (WINDOW - HEADROOM);
    if (this.#sizes === undefined) {
      this.#sizes = new Float64Array(WINDOW);
      this.#base = base;
      return;
    }
    const sizes = this.#sizes;
    const moved: number[] = [];
    this.#scanWindow((key, size) => void moved.push(key, size));
    for (let k = 0; k < moved.length; k += 2) sizes[(moved[k] as number) - this.#base] = 0;
    this.#bits.fill(0);
    this.#summary.fill(0);
    this.#wsum.fill(0);
    this.#gsum.fill(0);
    this.#n = 0;
    this.#top = -1;
    this.#base = base;
    for (let k = 0; k < moved.length; k += 2) {
      this.#put(moved[k] as number, moved[k + 1] as number);
    }
    // Deep levels now inside the window move up into it.
    let deepBest = this.#deep.bestKey();
    while (deepBest !== undefined && deepBest >= base) {
      this.#put(deepBest, this.#deep.get(deepBest));
      this.#deep.set(deepBest, 0);
      deepBest = this.#deep.bestKey();
    }
  }

  /** Stores a level during a move: in the window when it fits, else in the blocks. */
  #put(key: number, size: number): void {
    const i = key - this.#base;
    if (i < 0) {
      this.#deep.set(key, size);
      return;
    }
    (this.#sizes as Float64Array)[i] = size;
    this.#add(i, size);
    this.#mark(i);
    this.#n++;
    if (i > this.#top) this.#top = i;
  }

  /** Visits the window's levels only, best first. */
  #scanWindow(visit: LevelVisitor): void {
    if (this.#top < 0) return;
    const sizes = this.#sizes as Float64Array;
    for (let w = this.#prevWord(this.#top >> 5); w >= 0; w = this.#prevWord(w - 1)) {
      let word = this.#bits[w] as number;
      while (word !== 0) {
        const j = 31 - Math.clz32(word);
        word &= ~(1 << j);
        const i = (w << 5) + j;
        visit(this.#base + i, sizes[i] as number);
      }
    }
  }
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
