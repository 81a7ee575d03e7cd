import { getCorrelation } from "trading-signals";
import { crossFeatureNames, type FeatureSpec, type StreamRef } from "./spec.ts";
import { slotsOf, type VectorWriter } from "./vector_writer.ts";

/** What cross-venue features need from each stream. */
export interface MidSource {
  /** The stream. */
  readonly ref: StreamRef;
  /** Mid at time t, or undefined when the stream's book is missing or stale. */
  midAt(t: number): number | undefined;
}

/**
 * Cross-venue features over the configured streams (the first is the primary):
 *
 * - `dispersion_bps`: (max − min) / mean of the present mids with the primary's
 *   base asset, bps; missing with fewer than two present.
 * - `basis_usdt_usd_bps`: mean USDT-quoted mid / mean USD-quoted mid − 1, bps.
 * - `lead_lag.<stream>`: on a 1-second grid of mids, corr(r_other[k−1], r_primary[k])
 *   − corr(r_primary[k−1], r_other[k]) over the last `leadLagSeconds` returns.
 *   Positive when the other venue's mid moves first. Missing when a grid mid is
 *   missing or a series has no variance.
 *
 * The grid point at second g is taken once every event with time <= g is applied.
 */
export class CrossVenueFeatures {
  readonly #sources: readonly MidSource[];
  readonly #slots: Int32Array;
  readonly #seconds: number;
  /** Per stream, mids on the grid, oldest first (NaN marks a missing mid internally). */
  readonly #grid: number[][];
  #nextGrid: number | undefined;

  /**
   * @param spec The spec (needs at least two streams).
   * @param sources One source per configured stream, in config order.
   */
  constructor(spec: FeatureSpec, sources: readonly MidSource[]) {
    this.#sources = sources;
    this.#slots = slotsOf(spec, "cross", crossFeatureNames(spec.config));
    this.#seconds = spec.config.leadLagSeconds;
    this.#grid = sources.map(() => []);
  }

  /**
   * Records grid points up to `t`.
   *
   * @param t Current time.
   * @param inclusive Whether a grid point at exactly `t` is taken (true at vector time,
   *   false before applying an event stamped `t`).
   */
  advanceTo(t: number, inclusive: boolean): void {
    if (this.#nextGrid === undefined) this.#nextGrid = Math.ceil(t / 1000) * 1000;
    const keep = this.#seconds + 2;
    // After a long gap only the last `keep` grid points matter.
    const last = inclusive ? Math.floor(t / 1000) * 1000 : Math.ceil(t / 1000) * 1000 - 1000;
    if (last - this.#nextGrid > keep * 1000) this.#nextGrid = last - keep * 1000;
    while (this.#nextGrid <= last) {
      const g = this.#nextGrid;
      this.#sources.forEach((s, i) => {
        const row = this.#grid[i] as number[];
        row.push(s.midAt(g) ?? NaN);
        if (row.length > keep) row.shift();
      });
      this.#nextGrid += 1000;
    }
  }

  /** Writes the cross group for time `t` (call {@linkcode advanceTo} with `t` first). */
  write(out: VectorWriter, t: number): void {
    const primary = this.#sources[0]?.ref as StreamRef;
    const base = baseOf(primary.symbol);
    const mids: number[] = [];
    const usdt: number[] = [];
    const usd: number[] = [];
    for (const s of this.#sources) {
      const m = s.midAt(t);
      if (m === undefined || baseOf(s.ref.symbol) !== base) continue;
      mids.push(m);
      const quote = s.ref.symbol.split("/")[1];
      if (quote === "USDT") usdt.push(m);
      else if (quote === "USD") usd.push(m);
    }
    let k = 0;
    const slot = () => this.#slots[k++] as number;
    const s0 = slot();
    if (mids.length < 2) out.miss(s0);
    else out.set(s0, (Math.max(...mids) - Math.min(...mids)) / mean(mids) * 10_000);
    const s1 = slot();
    if (usdt.length === 0 || usd.length === 0) out.miss(s1);
    else out.set(s1, (mean(usdt) / mean(usd) - 1) * 10_000);
    for (let i = 1; i < this.#sources.length; i++) {
      const s = slot();
      const v = this.#leadLag(i);
      if (v === undefined) out.miss(s);
      else out.set(s, v);
    }
  }

  #leadLag(i: number): number | undefined {
    const p = returns(this.#grid[0] as number[], this.#seconds + 1);
    const o = returns(this.#grid[i] as number[], this.#seconds + 1);
    if (!p || !o) return undefined;
    const n = this.#seconds;
    try {
      const otherLeads = getCorrelation(o.slice(0, n), p.slice(1));
      const primaryLeads = getCorrelation(p.slice(0, n), o.slice(1));
      return otherLeads - primaryLeads;
    } catch {
      return undefined; // a series without variance has no correlation
    }
  }
}

/** The last `n` log returns of a grid row, or undefined when short or a mid is missing. */
function returns(row: readonly number[], n: number): number[] | undefined {
  if (row.length < n + 1) return undefined;
  const out: number[] = [];
  for (let k = row.length - n; k < row.length; k++) {
    const r = Math.log((row[k] as number) / (row[k - 1] as number));
    if (!Number.isFinite(r)) return undefined;
    out.push(r);
  }
  return out;
}

function baseOf(symbol: string): string {
  return symbol.split("/")[0] as string;
}

function mean(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}
