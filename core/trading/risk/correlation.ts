/**
 * Rolling correlation of per-minute mid returns between instruments, for the
 * risk manager's correlation limit.
 *
 * @module
 */

/** Pearson correlation of two equally long series; NaN when either has no variance. */
export function pearson(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  if (n < 2) return NaN;
  let sa = 0;
  let sb = 0;
  for (let i = 0; i < n; i++) {
    sa += a[a.length - n + i] as number;
    sb += b[b.length - n + i] as number;
  }
  const ma = sa / n;
  const mb = sb / n;
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < n; i++) {
    const x = (a[a.length - n + i] as number) - ma;
    const y = (b[b.length - n + i] as number) - mb;
    cov += x * y;
    va += x * x;
    vb += y * y;
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : NaN;
}

/** Per-key rolling windows of returns computed from sampled prices. */
export class RollingReturns {
  readonly #window: number;
  #last = new Map<string, number>();
  #returns = new Map<string, number[]>();

  /**
   * Creates an instance.
   *
   * @param window Returns kept per key.
   */
  constructor(window: number) {
    this.#window = window;
  }

  /** Adds a price sample for a key (one per sampling interval); records the log return. */
  sample(key: string, price: number): void {
    const last = this.#last.get(key);
    this.#last.set(key, price);
    if (last === undefined || !(last > 0) || !(price > 0)) return;
    let r = this.#returns.get(key);
    if (!r) {
      r = [];
      this.#returns.set(key, r);
    }
    r.push(Math.log(price / last));
    if (r.length > this.#window) r.shift();
  }

  /** Correlation of two keys' returns over the common tail; NaN with fewer than `minSamples`. */
  correlation(a: string, b: string, minSamples: number): number {
    const ra = this.#returns.get(a) ?? [];
    const rb = this.#returns.get(b) ?? [];
    if (Math.min(ra.length, rb.length) < minSamples) return NaN;
    return pearson(ra, rb);
  }
}
