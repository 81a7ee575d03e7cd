import { type Instrument, makeInstrument, type VenueId } from "./instrument.ts";

/**
 * Default precision of the instruments TickerML trades, per venue. Live adapters
 * may refine these from the venue's metadata endpoint; replays and tests use them
 * as they are. Sizes keep the venue's full text precision because aggregated
 * level sizes are finer than the order lot size (Binance writes "244.56630400"
 * for a BTC level while the lot is 0.00001); `lotSize` carries the order step.
 */
const DEFAULTS: readonly Instrument[] = [
  ...(["binance", "binance_us"] as const).flatMap((venue) => [
    makeInstrument({
      venue,
      symbol: "BTC/USDT",
      priceDecimals: 2,
      sizeDecimals: 8,
      lotSize: 1_000,
      priceTextDecimals: 8,
      sizeTextDecimals: 8,
    }),
    makeInstrument({
      venue,
      symbol: "ETH/USDT",
      priceDecimals: 2,
      sizeDecimals: 8,
      lotSize: 10_000,
      priceTextDecimals: 8,
      sizeTextDecimals: 8,
    }),
    makeInstrument({
      venue,
      symbol: "BTC/USD",
      priceDecimals: 2,
      sizeDecimals: 8,
      lotSize: 1_000,
      priceTextDecimals: 8,
      sizeTextDecimals: 8,
    }),
    makeInstrument({
      venue,
      symbol: "ETH/USD",
      priceDecimals: 2,
      sizeDecimals: 8,
      lotSize: 10_000,
      priceTextDecimals: 8,
      sizeTextDecimals: 8,
    }),
  ]),
];

/**
 * Looks up the default instrument of a venue and symbol.
 *
 * @returns The instrument, or undefined when TickerML has no default for it.
 */
export function defaultInstrument(venue: VenueId, symbol: string): Instrument | undefined {
  return DEFAULTS.find((i) => i.venue === venue && i.symbol === symbol);
}

/** Every default instrument. */
export function defaultInstruments(): readonly Instrument[] {
  return DEFAULTS;
}
