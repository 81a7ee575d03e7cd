/**
 * Supervised labels of a decision point t, computed from top-of-book prices
 * after t only (never fed back as features).
 *
 * - **price** [3]: forward mid log returns at horizons h1 < h2 < h3 bars, in
 *   basis points divided by `priceScaleBps` (so typical values are O(1)).
 * - **action** (hold 0 / buy 1 / sell 2), at horizon h2, net of the spread and
 *   fees: buy if bid[t+h2] / ask[t] - 1 - 2 fee > 0 (buy at the ask now, sell at
 *   the bid later, taker fee on both legs); sell if bid[t] / ask[t+h2] - 1 - 2
 *   fee > 0 (sell now, buy back later); hold otherwise.
 * - **size** in [0, 1]: the winning net return / `sizeScaleBps`, clipped; 0 for hold.
 * - **risk** in {0, 1}: 1 when the forward drawdown of the mid within h3 bars,
 *   (mid[t] - min mid[t+1..t+h3]) / mid[t], exceeds `riskDrawdownBps`.
 *
 * @module
 */

/** Label parameters. */
export interface LabelConfig {
  /** Horizons in bars, increasing. */
  readonly horizons: readonly [number, number, number];
  /** Taker fee per leg in basis points. */
  readonly feeBps: number;
  /** Divisor of price labels (bps). */
  readonly priceScaleBps: number;
  /** Net return (bps) that maps to size 1. */
  readonly sizeScaleBps: number;
  /** Forward drawdown threshold of the risk label (bps). */
  readonly riskDrawdownBps: number;
}

/**
 * Defaults for 1-second bars: horizons 5 / 15 / 30 s. The fee is 1 bp per leg
 * (a discounted BTC tier); raise it to the venue taker fee (Binance 10 bps) for
 * a stricter action label. On an 11-minute recording the 10 bps label is
 * almost all "hold".
 */
export const DEFAULT_LABELS: LabelConfig = {
  horizons: [5, 15, 30],
  feeBps: 1,
  priceScaleBps: 2,
  sizeScaleBps: 5,
  riskDrawdownBps: 3,
};

/** Labels of one decision point. */
export interface Labels {
  /** Scaled forward returns [3]. */
  readonly price: [number, number, number];
  /** 0 hold, 1 buy, 2 sell. */
  readonly action: 0 | 1 | 2;
  /** Position-size target in [0, 1]. */
  readonly size: number;
  /** 1 when the forward drawdown exceeds the threshold. */
  readonly risk: 0 | 1;
}

/** The longest horizon: labels need this many bars after t. */
export function labelHorizon(cfg: LabelConfig): number {
  return Math.max(...cfg.horizons);
}

/**
 * Labels at index t of bid/ask series, or undefined when t + horizon is past
 * the end.
 */
export function labelAt(
  bid: ArrayLike<number>,
  ask: ArrayLike<number>,
  t: number,
  cfg: LabelConfig,
): Labels | undefined {
  const hMax = labelHorizon(cfg);
  if (t < 0 || t + hMax >= bid.length) return undefined;
  const mid = (i: number) => ((bid[i] as number) + (ask[i] as number)) / 2;
  const m0 = mid(t);
  const price = cfg.horizons.map((h) => Math.log(mid(t + h) / m0) * 1e4 / cfg.priceScaleBps) as [
    number,
    number,
    number,
  ];
  const h2 = cfg.horizons[1];
  const fee = 2 * cfg.feeBps / 1e4;
  const longNet = (bid[t + h2] as number) / (ask[t] as number) - 1 - fee;
  const shortNet = (bid[t] as number) / (ask[t + h2] as number) - 1 - fee;
  let action: 0 | 1 | 2 = 0;
  let net = 0;
  if (longNet > 0 && longNet >= shortNet) [action, net] = [1, longNet];
  else if (shortNet > 0) [action, net] = [2, shortNet];
  const size = Math.min(1, net * 1e4 / cfg.sizeScaleBps);
  let low = Infinity;
  for (let i = t + 1; i <= t + cfg.horizons[2]; i++) low = Math.min(low, mid(i));
  const risk = (m0 - low) / m0 * 1e4 > cfg.riskDrawdownBps ? 1 : 0;
  return { price, action, size, risk };
}
