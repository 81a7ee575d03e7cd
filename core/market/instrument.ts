import { formatScaled, type Lots, parseScaled, scaledToNumber, type Ticks } from "./fixed_point.ts";

/** Venue identifiers supported by TickerML. */
export type VenueId = "binance" | "binance_us" | "coinbase" | "kraken" | "kucoin";

/** Every venue id, e.g. to validate a `--venue` option. */
export const VENUE_IDS: readonly VenueId[] = [
  "binance",
  "binance_us",
  "coinbase",
  "kraken",
  "kucoin",
];

/**
 * Whether a text is a venue id.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { isVenueId } from "./instrument.ts";
 * assert.equal(isVenueId("kraken"), true);
 * assert.equal(isVenueId("ftx"), false);
 * ```
 */
export function isVenueId(text: string | undefined): text is VenueId {
  return (VENUE_IDS as readonly (string | undefined)[]).includes(text);
}

/**
 * A tradable instrument on one venue, with the precision of its prices and sizes.
 *
 * `priceDecimals` / `sizeDecimals` are the scale of the fixed-point integers
 * (one tick is 10^-priceDecimals unless `tickSize` says otherwise);
 * `priceTextDecimals` / `sizeTextDecimals` are how many decimals the venue writes.
 */
export interface Instrument {
  /** Venue the instrument trades on. */
  readonly venue: VenueId;
  /** Normalized symbol, e.g. "BTC/USDT". */
  readonly symbol: string;
  /** The venue's own symbol, e.g. "BTCUSDT", "BTC-USD", "BTC/USD". */
  readonly venueSymbol: string;
  /** Base asset, e.g. "BTC". */
  readonly base: string;
  /** Quote asset, e.g. "USDT". */
  readonly quote: string;
  /** Decimals of the fixed-point price integers. */
  readonly priceDecimals: number;
  /** Decimals of the fixed-point size integers. */
  readonly sizeDecimals: number;
  /** Decimals the venue writes prices with (>= priceDecimals). */
  readonly priceTextDecimals: number;
  /** Decimals the venue writes sizes with (>= sizeDecimals). */
  readonly sizeTextDecimals: number;
  /** Minimum price increment in price units (1 = 10^-priceDecimals). */
  readonly tickSize: Ticks;
  /** Minimum size increment in size units. */
  readonly lotSize: Lots;
  /** Smallest order value in the quote asset as the venue writes it ("10.00000000"), when known. */
  readonly minNotional?: string;
}

/** Options for {@linkcode makeInstrument}. */
export interface InstrumentSpec {
  /** Venue the instrument trades on. */
  venue: VenueId;
  /** Normalized symbol "BASE/QUOTE". */
  symbol: string;
  /** The venue's own symbol. Defaults to BASE+QUOTE. */
  venueSymbol?: string;
  /** Decimals of prices. */
  priceDecimals: number;
  /** Decimals of sizes. */
  sizeDecimals: number;
  /** Decimals the venue writes prices with. Defaults to `priceDecimals`. */
  priceTextDecimals?: number;
  /** Decimals the venue writes sizes with. Defaults to `sizeDecimals`. */
  sizeTextDecimals?: number;
  /** Tick size in price units. Defaults to 1. */
  tickSize?: number;
  /** Lot size in size units. Defaults to 1. */
  lotSize?: number;
  /** Smallest order value in the quote asset (decimal text), when the venue publishes one. */
  minNotional?: string;
}

/**
 * Builds an {@linkcode Instrument}, checking its precision.
 *
 * @param spec The instrument's venue, symbol and precision.
 * @returns A frozen instrument.
 * @throws {RangeError} When a precision is out of 0..15 or the symbol is not "BASE/QUOTE".
 *
 * @example Binance BTCUSDT
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "./instrument.ts";
 * const btc = makeInstrument({ venue: "binance", symbol: "BTC/USDT", priceDecimals: 2, sizeDecimals: 5 });
 * assert.equal(btc.venueSymbol, "BTCUSDT");
 * ```
 */
export function makeInstrument(spec: InstrumentSpec): Instrument {
  const parts = spec.symbol.split("/");
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new RangeError(`Cannot make instrument: symbol must be BASE/QUOTE: "${spec.symbol}"`);
  }
  const check = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 0 || v > 15) {
      throw new RangeError(
        `Cannot make instrument as '${name}' must be 0..15: current value is ${v}`,
      );
    }
  };
  const priceTextDecimals = spec.priceTextDecimals ?? spec.priceDecimals;
  const sizeTextDecimals = spec.sizeTextDecimals ?? spec.sizeDecimals;
  check("priceDecimals", spec.priceDecimals);
  check("sizeDecimals", spec.sizeDecimals);
  check("priceTextDecimals", priceTextDecimals);
  check("sizeTextDecimals", sizeTextDecimals);
  if (priceTextDecimals < spec.priceDecimals || sizeTextDecimals < spec.sizeDecimals) {
    throw new RangeError(`Cannot make instrument: text decimals must be >= scale decimals`);
  }
  return Object.freeze({
    venue: spec.venue,
    symbol: spec.symbol,
    venueSymbol: spec.venueSymbol ?? `${parts[0]}${parts[1]}`,
    base: parts[0],
    quote: parts[1],
    priceDecimals: spec.priceDecimals,
    sizeDecimals: spec.sizeDecimals,
    priceTextDecimals,
    sizeTextDecimals,
    tickSize: (spec.tickSize ?? 1) as Ticks,
    lotSize: (spec.lotSize ?? 1) as Lots,
    ...(spec.minNotional !== undefined ? { minNotional: spec.minNotional } : {}),
  });
}

/** Parses a venue price text into ticks of `inst`. */
export function parsePrice(inst: Instrument, text: string): Ticks {
  return parseScaled(text, inst.priceDecimals) as Ticks;
}

/** Parses a venue size text into lots of `inst`. */
export function parseSize(inst: Instrument, text: string): Lots {
  return parseScaled(text, inst.sizeDecimals) as Lots;
}

/** Formats ticks as the venue writes prices (e.g. "61602.01000000"). */
export function formatPrice(inst: Instrument, price: Ticks): string {
  return formatScaled(price, inst.priceDecimals, inst.priceTextDecimals);
}

/** Formats lots as the venue writes sizes. */
export function formatSize(inst: Instrument, size: Lots): string {
  return formatScaled(size, inst.sizeDecimals, inst.sizeTextDecimals);
}

/** Price as a float (features, display). */
export function priceToNumber(inst: Instrument, price: Ticks): number {
  return scaledToNumber(price, inst.priceDecimals);
}

/** Size as a float (features, display). */
export function sizeToNumber(inst: Instrument, size: Lots): number {
  return scaledToNumber(size, inst.sizeDecimals);
}
