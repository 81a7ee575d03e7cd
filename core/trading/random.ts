/**
 * A small seeded pseudo-random generator (mulberry32) so simulations are reproducible.
 *
 * @module
 */

/** A seeded generator of floats in [0, 1). */
export interface Random {
  /** Next float in [0, 1). */
  next(): number;
}

/**
 * Creates a mulberry32 generator from a 32-bit seed.
 *
 * @example Same seed, same sequence
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "./random.ts";
 * assert.equal(seededRandom(7).next(), seededRandom(7).next());
 * ```
 */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return {
    next(): number {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}
