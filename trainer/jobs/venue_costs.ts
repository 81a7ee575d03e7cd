/**
 * The trading costs a training run uses, taken from the venues' configuration (`config.yaml`
 * `exchanges.<venue>` fees and `min_notional`, `trading.max_position_fraction` or the stream's
 * own) unless the command line overrides them, with a line saying which were used.
 *
 * @module
 */

import type { Config } from "../../core/config.ts";
import type { VenueId } from "../../core/market/instrument.ts";

/** The engine's fee for a venue `config.yaml` does not list (Binance spot base tier), bps. */
export const ENGINE_DEFAULT_FEE_BPS = 10;

/** Costs and sizes of a run, as stored in its configuration. */
export interface VenueCosts {
  /** Taker fee per leg, bps (labels, RL rewards, the engine's taker fills). */
  readonly fee_bps: number;
  /** Maker fee, bps (the engine's resting fills). */
  readonly maker_fee_bps: number;
  /** Largest position as a fraction of equity. */
  readonly max_position_fraction: number;
  /** Smallest order notional in the quote asset, when the venue sets one. */
  readonly min_notional?: number;
  /** Where the figures came from, in words. */
  readonly costs_source: string;
}

/** Overrides from the command line (absent = from the configuration). */
export interface CostOverrides {
  /** `--fee-bps`: taker and maker fee per leg. */
  readonly feeBps?: number;
  /** `--max-position-fraction`. */
  readonly maxPositionFraction?: number;
}

/**
 * The costs of training on `venue`'s `symbol`.
 *
 * @param config The validated configuration.
 * @param configPath Its file, for the source line.
 * @param venue The venue the recordings are read as.
 * @param symbol The traded symbol (a stream may set its own position fraction).
 * @param overrides Command-line values, which win.
 */
export function venueCosts(
  config: Config,
  configPath: string,
  venue: VenueId,
  symbol: string,
  overrides: CostOverrides = {},
): VenueCosts {
  const exchange = (config.exchanges as Partial<Record<string, Config["exchanges"]["coinbase"]>>)[
    venue
  ];
  const stream = config.trading.streams.find((s) => s.venue === venue && s.symbol === symbol);
  const parts: string[] = [];
  let taker: number, maker: number;
  if (overrides.feeBps !== undefined) {
    taker = maker = overrides.feeBps;
    parts.push(`fees ${taker} bps per leg from --fee-bps`);
  } else if (exchange) {
    taker = exchange.taker_fee_bps;
    maker = exchange.maker_fee_bps;
    parts.push(
      `taker ${taker} bps, maker ${maker} bps from ${configPath} exchanges.${venue}`,
    );
  } else {
    taker = maker = ENGINE_DEFAULT_FEE_BPS;
    parts.push(
      `${venue} is not in ${configPath} exchanges: the engine's default fees, ${taker} bps per leg (pass --fee-bps to set them)`,
    );
  }
  let fraction: number;
  if (overrides.maxPositionFraction !== undefined) {
    fraction = overrides.maxPositionFraction;
    parts.push(`max position ${fraction} of equity from --max-position-fraction`);
  } else if (stream?.max_position_fraction !== undefined) {
    fraction = stream.max_position_fraction;
    parts.push(`max position ${fraction} of equity from the ${venue} ${symbol} stream`);
  } else {
    fraction = config.trading.max_position_fraction;
    parts.push(`max position ${fraction} of equity from trading.max_position_fraction`);
  }
  const minNotional = exchange?.min_notional;
  if (minNotional !== undefined) parts.push(`min notional ${minNotional}`);
  return {
    fee_bps: taker,
    maker_fee_bps: maker,
    max_position_fraction: fraction,
    ...(minNotional !== undefined ? { min_notional: minNotional } : {}),
    costs_source: parts.join("; "),
  };
}
