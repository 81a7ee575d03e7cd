/**
 * The best achievable edge on the traded stream, for an oracle that sees the
 * latent pressure `s` exactly (no model can see more): buy at the ask when the
 * expected return over the hold, mu·s·Σφ^k, clears a threshold, sell at the
 * bid `holdS` seconds later; one position at a time, fees on both legs.
 * Reported per threshold (in units of the round-trip fee) so the best one can
 * be read off. On `null` data the same rule (with the planted mu) is run and
 * earns nothing: the pressure does not move the price there.
 *
 * @module
 */

import type { ProcessParams } from "./market_process.ts";

/** Result of one threshold. */
export interface OracleRow {
  /** Entry threshold: expected gross gain / round-trip fee. */
  readonly threshold: number;
  /** Round trips per day. */
  readonly trades_per_day: number;
  /** Mean gross gain per round trip (bid out / ask in), bps. */
  readonly mean_gross_bps: number;
  /** Mean net gain per round trip after both fees, bps. */
  readonly mean_net_bps: number;
  /** Net return per day at a 25 % position (the trainer's cap), percent. */
  readonly net_pct_per_day_at_25pct: number;
}

/** The oracle report. */
export interface OracleReport {
  /** Hold time of a round trip, seconds. */
  readonly hold_s: number;
  /** Round-trip fee, bps. */
  readonly round_trip_fee_bps: number;
  /** One row per threshold. */
  readonly rows: OracleRow[];
  /** The row with the best net return per day. */
  readonly best: OracleRow;
}

const THRESHOLDS = [1, 1.25, 1.5, 2, 3];

/** Accumulates the oracle's round trips while the market is generated. */
export class OracleEdge {
  readonly #fee: number;
  readonly #gainPerS: number;
  readonly #hold: number;
  readonly #mids: number[] = [];
  readonly #open: (number | undefined)[] = THRESHOLDS.map(() => undefined);
  readonly #gross: number[][] = THRESHOLDS.map(() => []);

  /**
   * @param p The process (mu, tau).
   * @param feeBps Fee per leg.
   * @param holdS Hold seconds (default 15, the h2 label horizon at 1 s bars).
   */
  constructor(p: ProcessParams, feeBps: number, holdS = 15) {
    this.#fee = feeBps;
    this.#hold = holdS;
    const phi = Math.exp(-1 / p.tauS);
    let sum = 0;
    for (let k = 0; k < holdS; k++) sum += phi ** k;
    this.#gainPerS = p.muBps * sum;
  }

  /** Second `t`: mid of the traded stream (after this second's move) and the pressure now. */
  observe(t: number, mid: number, s: number): void {
    this.#mids[t] = mid;
    const bid = Math.floor(mid * 100) / 100;
    THRESHOLDS.forEach((th, j) => {
      const entry = this.#open[j];
      if (entry !== undefined && t >= entry + this.#hold) {
        const inAsk = Math.floor((this.#mids[entry] as number) * 100) / 100 + 0.01;
        (this.#gross[j] as number[]).push((bid / inAsk - 1) * 1e4);
        this.#open[j] = undefined;
      }
      if (this.#open[j] === undefined && this.#gainPerS * s > th * 2 * this.#fee) {
        this.#open[j] = t;
      }
    });
    if (t > this.#hold + 1) delete this.#mids[t - this.#hold - 1];
  }

  /** The report after `seconds` seconds. */
  report(seconds: number): OracleReport {
    const days = seconds / 86_400;
    const rows = THRESHOLDS.map((threshold, j): OracleRow => {
      const g = this.#gross[j] as number[];
      const gross = g.length === 0 ? 0 : g.reduce((a, b) => a + b, 0) / g.length;
      const net = gross - 2 * this.#fee;
      const perDay = g.length / days;
      return {
        threshold,
        trades_per_day: round(perDay),
        mean_gross_bps: round(gross),
        mean_net_bps: round(net),
        net_pct_per_day_at_25pct: round(perDay * net * 0.25 / 100),
      };
    });
    const best = rows.reduce((
      a,
      b,
    ) => (b.net_pct_per_day_at_25pct > a.net_pct_per_day_at_25pct ? b : a));
    return { hold_s: this.#hold, round_trip_fee_bps: 2 * this.#fee, rows, best };
  }
}

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
