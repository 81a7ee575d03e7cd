/**
 * Sorted levels cut into small blocks: the part of a book side that lies below
 * {@linkcode BookSide}'s dense window (and any side when the window is off).
 *
 * Keys (integer prices, negated for asks so both sides sort ascending) and sizes sit in
 * blocks of at most {@linkcode BLOCK} levels, ascending, the best level last. A change
 * finds its block by a binary search over block heads (the top block is checked first:
 * most changes land near the top) and moves at most one block's elements, so an insert
 * 1,000 levels deep costs as little as one at the top. Reads from the best level walk the
 * blocks backwards, so top-N, depth-within-bps and walking the book stay sequential.
 *
 * @module
 */

/** Most levels in one block. */
export const BLOCK = 64;

/** Callback of {@linkcode SortedBlocks.scan}: return false to stop. */
export type LevelVisitor = (key: number, size: number) => boolean | void;

/**
 * Sorted levels of one side, keyed by an integer (exact: sizes and keys are safe integers
 * stored in Float64Arrays).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SortedBlocks } from "./sorted_blocks.ts";
 * const s = new SortedBlocks();
 * s.set(5, 10);
 * s.set(7, 1);
 * s.set(6, 2);
 * s.set(7, 0); // size 0 deletes
 * assert.equal(s.count, 2);
 * assert.equal(s.bestKey(), 6);
 * assert.equal(s.get(5), 10);
 * ```
 */
export class SortedBlocks {
  #keys: Float64Array[] = [];
  #sizes: Float64Array[] = [];
  #lens: number[] = [];
  /** First key of each block (valid for non-empty blocks), for the block search. */
  #heads = new Float64Array(16);
  #count = 0;

  /** Number of levels. */
  get count(): number {
    return this.#count;
  }

  /** Removes every level. */
  clear(): void {
    this.#keys = [];
    this.#sizes = [];
    this.#lens = [];
    this.#count = 0;
  }

  /** Inserts a block at `bi` and its head slot. */
  #insertBlock(bi: number, keys: Float64Array, sizes: Float64Array, len: number): void {
    this.#keys.splice(bi, 0, keys);
    this.#sizes.splice(bi, 0, sizes);
    this.#lens.splice(bi, 0, len);
    const nb = this.#lens.length;
    if (nb > this.#heads.length) {
      const h = new Float64Array(this.#heads.length * 2);
      h.set(this.#heads);
      this.#heads = h;
    }
    this.#heads.copyWithin(bi + 1, bi, nb - 1);
    this.#heads[bi] = keys[0] as number;
  }

  /** The highest key (the best level), or undefined when empty. */
  bestKey(): number | undefined {
    const nb = this.#lens.length;
    if (nb === 0) return undefined;
    return (this.#keys[nb - 1] as Float64Array)[(this.#lens[nb - 1] as number) - 1];
  }

  /** Size at a key (0 when absent). */
  get(key: number): number {
    const bi = this.#block(key);
    if (bi < 0) return 0;
    const i = find(this.#keys[bi] as Float64Array, this.#lens[bi] as number, key);
    return i >= 0 ? (this.#sizes[bi] as Float64Array)[i] as number : 0;
  }

  /** Sets the size at a key; size 0 deletes the level (deleting an absent level is a no-op). */
  set(key: number, size: number): void {
    let bi = this.#block(key);
    if (bi < 0) {
      if (size === 0) return;
      if (this.#lens.length > 0) bi = 0;
      else {
        this.#insertBlock(0, new Float64Array(BLOCK), new Float64Array(BLOCK), 0);
        bi = 0;
      }
    }
    let keys = this.#keys[bi] as Float64Array;
    let sizes = this.#sizes[bi] as Float64Array;
    let len = this.#lens[bi] as number;
    const i = find(keys, len, key);
    if (i >= 0) {
      if (size !== 0) {
        sizes[i] = size;
        return;
      }
      for (let j = i + 1; j < len; j++) {
        keys[j - 1] = keys[j] as number;
        sizes[j - 1] = sizes[j] as number;
      }
      this.#count--;
      if (--len === 0 && this.#lens.length > 1) {
        this.#keys.splice(bi, 1);
        this.#sizes.splice(bi, 1);
        this.#lens.splice(bi, 1);
        this.#heads.copyWithin(bi, bi + 1, this.#lens.length + 1);
      } else {
        this.#lens[bi] = len;
        if (i === 0) this.#heads[bi] = keys[0] as number;
      }
      return;
    }
    if (size === 0) return;
    let at = -i - 1;
    if (len === BLOCK) {
      // Split the full block in two halves and insert into the half the key belongs to.
      const half = BLOCK >> 1;
      const k2 = new Float64Array(BLOCK);
      const s2 = new Float64Array(BLOCK);
      k2.set(keys.subarray(half, BLOCK));
      s2.set(sizes.subarray(half, BLOCK));
      this.#insertBlock(bi + 1, k2, s2, BLOCK - half);
      this.#lens[bi] = half;
      len = half;
      if (at > half) {
        bi++;
        keys = k2;
        sizes = s2;
        at -= half;
        len = BLOCK - half;
      }
    }
    for (let j = len; j > at; j--) {
      keys[j] = keys[j - 1] as number;
      sizes[j] = sizes[j - 1] as number;
    }
    keys[at] = key;
    sizes[at] = size;
    if (at === 0) this.#heads[bi] = key;
    this.#lens[bi] = len + 1;
    this.#count++;
  }

  /**
   * Visits levels from the best (highest key) down until the visitor returns false.
   *
   * @param visit Called with each key and size.
   */
  scan(visit: LevelVisitor): void {
    for (let b = this.#lens.length - 1; b >= 0; b--) {
      const keys = this.#keys[b] as Float64Array;
      const sizes = this.#sizes[b] as Float64Array;
      for (let i = (this.#lens[b] as number) - 1; i >= 0; i--) {
        if (visit(keys[i] as number, sizes[i] as number) === false) return;
      }
    }
  }

  /** Sum of sizes of the levels with key >= `bound`, from the best down. */
  sumFrom(bound: number): number {
    let total = 0;
    for (let b = this.#lens.length - 1; b >= 0; b--) {
      const keys = this.#keys[b] as Float64Array;
      const sizes = this.#sizes[b] as Float64Array;
      for (let i = (this.#lens[b] as number) - 1; i >= 0; i--) {
        if ((keys[i] as number) < bound) return total;
        total += sizes[i] as number;
      }
    }
    return total;
  }

  /**
   * The level at depth `index` (0 = best), walking from whichever end is nearer.
   *
   * @returns Whether it exists; its key and size are in `out[0]`, `out[1]`.
   */
  at(index: number, out: [number, number]): boolean {
    if (index < 0 || index >= this.#count) return false;
    const lens = this.#lens;
    if (index < this.#count >> 1) {
      let rest = index;
      for (let b = lens.length - 1; b >= 0; b--) {
        const len = lens[b] as number;
        if (rest < len) return this.#read(b, len - 1 - rest, out);
        rest -= len;
      }
    } else {
      let rest = this.#count - 1 - index;
      for (let b = 0; b < lens.length; b++) {
        const len = lens[b] as number;
        if (rest < len) return this.#read(b, rest, out);
        rest -= len;
      }
    }
    return false;
  }

  #read(b: number, i: number, out: [number, number]): boolean {
    out[0] = (this.#keys[b] as Float64Array)[i] as number;
    out[1] = (this.#sizes[b] as Float64Array)[i] as number;
    return true;
  }

  /** Index of the block whose range holds `key` (last block with head <= key), or -1. */
  #block(key: number): number {
    const nb = this.#lens.length;
    if (nb === 0) return -1;
    const heads = this.#heads;
    // Fast path: most changes touch the top of the book, which is the last block.
    if (key >= (heads[nb - 1] as number)) return nb - 1;
    if (key < (heads[0] as number)) return -1;
    let lo = 0;
    let hi = nb - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((heads[mid] as number) <= key) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/** Binary search in `keys[0, len)`: index of key, or -(insertion point) - 1. */
function find(keys: Float64Array, len: number, key: number): number {
  let lo = 0;
  let hi = len - 1;
  // Fast path: the top of a block (and of the book) is at its end.
  if (hi >= 0 && key > (keys[hi] as number)) return -(hi + 2);
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = keys[mid] as number;
    if (v < key) lo = mid + 1;
    else if (v > key) hi = mid - 1;
    else return mid;
  }
  return -(lo + 1);
}
