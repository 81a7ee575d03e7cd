/**
 * The latent processes of the synthetic "known answer" markets, one step per
 * second, deterministic by seed:
 *
 * - order-flow pressure `s` per symbol: AR(1), unit stationary variance,
 *   correlation time `tauS` seconds. It tilts the taker side of trades
 *   (P(buy) = 0.5 + flowTilt·tanh(s)) and, weakly, the size of the bid vs ask
 *   levels (log ratio bookTilt·s), on every venue of the symbol, in both kinds;
 * - the fundamental log price `x` per symbol: x += drift + σ·ε with ε
 *   correlated across symbols (`corr`). Kind `planted`: drift = mu·s (the flow
 *   predicts the next seconds' return). Kind `null`: drift = 0 and σ is raised
 *   so the return variance over the label horizon is the same: the traded mid
 *   is a martingale and nothing observable predicts it;
 * - per venue a mid: the first venue quotes the fundamental, the others add an
 *   independent AR(1) basis noise (same in both kinds).
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";

/** Parameters of the process (see the module documentation). */
export interface ProcessParams {
  /** "planted" (flow predicts returns) or "null" (same flow, no link). */
  readonly kind: "planted" | "null";
  /** Seed. */
  readonly seed: number;
  /** Symbols ("BTC/USDT", ...) with starting prices. */
  readonly symbols: readonly { readonly symbol: string; readonly price: number }[];
  /** Venues (first = the traded one). */
  readonly venues: readonly string[];
  /** Correlation time of the pressure, seconds. */
  readonly tauS: number;
  /** Return per second per unit of pressure (planted), bps. */
  readonly muBps: number;
  /** Noise volatility per second, bps. */
  readonly sigmaBps: number;
  /** Horizon (s) over which null and planted have the same return variance. */
  readonly matchHorizonS: number;
  /** Taker-side tilt of trades. */
  readonly flowTilt: number;
  /** Log size tilt of bid vs ask levels per unit of pressure. */
  readonly bookTilt: number;
  /** Correlation of the symbols' noise. */
  readonly corr: number;
  /** Basis noise of the non-traded venues, bps (stationary sd). */
  readonly basisBps: number;
}

/** Defaults: BTC/USDT and ETH/USDT on Binance.US (traded) and Binance. */
export const DEFAULT_PROCESS: Omit<ProcessParams, "kind" | "seed"> = {
  symbols: [{ symbol: "BTC/USDT", price: 60_000 }, { symbol: "ETH/USDT", price: 3_000 }],
  venues: ["binance_us", "binance"],
  tauS: 20,
  muBps: 0.2,
  sigmaBps: 1,
  matchHorizonS: 15,
  flowTilt: 0.3,
  bookTilt: 0.15,
  corr: 0.7,
  basisBps: 0.5,
};

/** The state of one symbol after a step. */
export interface SymbolState {
  /** Pressure. */
  readonly s: number;
  /** Mid per venue (quote currency), in `venues` order. */
  readonly mids: number[];
}

/** A standard normal generator on a seeded uniform one (Box-Muller). */
export function gaussian(rand: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const v = spare;
      spare = undefined;
      return v;
    }
    const u = Math.max(rand(), 1e-300);
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * rand();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
}

/**
 * Variance over `h` seconds of the planted return that comes from the drift:
 * mu² · Var(Σ_{k<h} s_k) for the AR(1) with coefficient phi.
 */
export function driftVariance(muBps: number, tauS: number, h: number): number {
  const phi = Math.exp(-1 / tauS);
  let v = 0;
  for (let i = 0; i < h; i++) for (let j = 0; j < h; j++) v += phi ** Math.abs(i - j);
  return muBps * muBps * v;
}

/** The process: call {@linkcode MarketProcess.step} once per second. */
export class MarketProcess {
  readonly params: ProcessParams;
  readonly #normal: () => number;
  readonly #phi: number;
  readonly #sigma: number;
  readonly #x: number[];
  readonly #s: number[];
  readonly #basis: number[][];

  /** @param params The parameters. */
  constructor(params: ProcessParams) {
    this.params = params;
    this.#normal = gaussian(seededRandom(params.seed));
    this.#phi = Math.exp(-1 / params.tauS);
    const h = params.matchHorizonS;
    this.#sigma = params.kind === "planted"
      ? params.sigmaBps
      : Math.sqrt(params.sigmaBps ** 2 + driftVariance(params.muBps, params.tauS, h) / h);
    this.#x = params.symbols.map((s) => Math.log(s.price));
    this.#s = params.symbols.map(() => this.#normal());
    this.#basis = params.symbols.map(() => params.venues.map(() => 0));
  }

  /** Noise volatility per second in use (bps): raised for `null`. */
  get sigmaBps(): number {
    return this.#sigma;
  }

  /** Advances one second and returns each symbol's state. */
  step(): SymbolState[] {
    const p = this.params;
    const common = this.#normal();
    const innov = Math.sqrt(1 - this.#phi ** 2);
    const basisPhi = Math.exp(-1 / 5);
    return p.symbols.map((_, i) => {
      const s = this.#s[i] as number;
      const own = this.#normal();
      const eps = i === 0 ? common : p.corr * common + Math.sqrt(1 - p.corr ** 2) * own;
      const drift = p.kind === "planted" ? p.muBps * s : 0;
      this.#x[i] = (this.#x[i] as number) + (drift + this.#sigma * eps) * 1e-4;
      this.#s[i] = this.#phi * s + innov * this.#normal();
      const basis = this.#basis[i] as number[];
      const mids = p.venues.map((_, v) => {
        if (v > 0) {
          basis[v] = basisPhi * (basis[v] as number) +
            Math.sqrt(1 - basisPhi ** 2) * p.basisBps * this.#normal();
        }
        return Math.exp((this.#x[i] as number) + (basis[v] as number) * 1e-4);
      });
      // the pressure observed during the next second is the one that drives its return
      return { s: this.#s[i] as number, mids };
    });
  }
}
