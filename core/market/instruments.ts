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
  // Coinbase Advanced Trade: quote_increment 0.01, base_increment 0.00000001; text has no
  // trailing zeros ("21921.3"), so text decimals only matter for display.
  ...(["BTC/USD", "ETH/USD", "BTC/USDT", "ETH/USDT"] as const).map((symbol) =>
    makeInstrument({
      venue: "coinbase",
      symbol,
      venueSymbol: symbol.replace("/", "-"),
      priceDecimals: 2,
      sizeDecimals: 8,
    })
  ),
  // Kraken WS v2 symbols; AssetPairs pair_decimals / lot_decimals (XXBTZUSD 1/8,
  // XETHZUSD 2/8, XBTUSDT 1/8, ETHUSDT 2/8). The checksum text uses these decimals.
  ...([["BTC/USD", 1], ["ETH/USD", 2], ["BTC/USDT", 1], ["ETH/USDT", 2]] as const).map((
    [symbol, priceDecimals],
  ) =>
    makeInstrument({ venue: "kraken", symbol, venueSymbol: symbol, priceDecimals, sizeDecimals: 8 })
  ),
  // KuCoin lists no USD quote (only USDC). BTC-USDT priceIncrement 0.1, ETH-USDT 0.01;
  // baseIncrement 1e-8 / 1e-7 (lot sizes); level sizes are written with up to 8 decimals.
  ...([["BTC/USDT", 1, 1], ["ETH/USDT", 2, 10]] as const).map((
    [symbol, priceDecimals, lotSize],
  ) =>
    makeInstrument({
      venue: "kucoin",
      symbol,
      venueSymbol: symbol.replace("/", "-"),
      priceDecimals,
      sizeDecimals: 8,
      lotSize,
    })
  ),
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

/** Every default instrument of one venue. */
export function venueInstruments(venue: VenueId): readonly Instrument[] {
  return DEFAULTS.filter((i) => i.venue === venue);
}
