/**
 * Timestamped samples with up to three float columns, kept for a maximum horizon,
 * with sums over trailing windows `(t - w, t]`.
 *
 * Sums are recomputed from the samples on every query (newest first) instead of
 * kept as running sums, so a value depends only on the samples inside the window,
 * never on how long the process has run (no floating-point drift from adding and
 * subtracting: the warm-up check relies on this).
 *
 * @example Sum the last 10 seconds
 * ```ts
 * import assert from "node:assert/strict";
 * import { TimeWindow } from "./time_window.ts";
 * const w = new TimeWindow(60_000);
 * w.push(1_000, 2, 0, 0);
 * w.push(5_000, 3, 0, 0);
 * assert.deepEqual(w.sums(12_000, 10_000), { count: 1, a: 3, b: 0, c: 0 });
 * ```
 */
export class TimeWindow {
  #t: Float64Array;
  #a: Float64Array;
  #b: Float64Array;
  #c: Float64Array;
  #head = 0;
  #len = 0;
  readonly #horizon: number;

  /** @param horizonMs Longest window that will be queried, ms. */
  constructor(horizonMs: number) {
    this.#horizon = horizonMs;
    this.#t = new Float64Array(64);
    this.#a = new Float64Array(64);
    this.#b = new Float64Array(64);
    this.#c = new Float64Array(64);
  }

  /** Number of samples kept. */
  get length(): number {
    return this.#len;
  }

  /** Removes every sample. */
  clear(): void {
    this.#head = 0;
    this.#len = 0;
  }

  /** Adds a sample at time `t` (times must not decrease) and drops samples older than the horizon. */
  push(t: number, a: number, b: number, c: number): void {
    this.prune(t);
    if (this.#len === this.#t.length) this.#grow();
    const cap = this.#t.length;
    const i = (this.#head + this.#len) % cap;
    this.#t[i] = t;
    this.#a[i] = a;
    this.#b[i] = b;
    this.#c[i] = c;
    this.#len++;
  }

  /** Drops samples at or before `t - horizon`. */
  prune(t: number): void {
    const cap = this.#t.length;
    const cut = t - this.#horizon;
    while (this.#len > 0 && (this.#t[this.#head] as number) <= cut) {
      this.#head = (this.#head + 1) % cap;
      this.#len--;
    }
  }

  /**
   * Sums of each column over samples with time in `(t - w, t]`.
   *
   * @param t End of the window (samples after `t` are ignored).
   * @param w Window length, ms (at most the horizon).
   */
  sums(t: number, w: number): { count: number; a: number; b: number; c: number } {
    const cap = this.#t.length;
    let count = 0, a = 0, b = 0, c = 0;
    for (let k = this.#len - 1; k >= 0; k--) {
      const i = (this.#head + k) % cap;
      const ti = this.#t[i] as number;
      if (ti > t) continue;
      if (ti <= t - w) break;
      count++;
      a += this.#a[i] as number;
      b += this.#b[i] as number;
      c += this.#c[i] as number;
    }
    return { count, a, b, c };
  }

  #grow(): void {
    const cap = this.#t.length;
    const copy = (src: Float64Array) => {
      const dst = new Float64Array(cap * 2);
      for (let k = 0; k < this.#len; k++) dst[k] = src[(this.#head + k) % cap] as number;
      return dst;
    };
    this.#t = copy(this.#t);
    this.#a = copy(this.#a);
    this.#b = copy(this.#b);
    this.#c = copy(this.#c);
    this.#head = 0;
  }
}
