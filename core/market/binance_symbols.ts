import type { InstrumentLookup } from "./binance_frame.ts";
import type { Instrument, VenueId } from "./instrument.ts";
import { defaultInstrument, venueInstruments } from "./instruments.ts";

const QUOTES = ["USDT", "USDC", "USD", "BTC", "ETH"];

/**
 * Candidate normalized symbols of a Binance symbol, by known quote currency.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { binanceSymbolCandidates } from "./binance_symbols.ts";
 * assert.deepEqual(binanceSymbolCandidates("BTCUSDT"), ["BTC/USDT"]);
 * assert.deepEqual(binanceSymbolCandidates("ETHBTC"), ["ETH/BTC"]);
 * ```
 */
export function binanceSymbolCandidates(venueSymbol: string): string[] {
  return QUOTES.filter((q) => venueSymbol.endsWith(q) && venueSymbol.length > q.length).map((
    q,
  ) => `${venueSymbol.slice(0, -q.length)}/${q}`);
}

/**
 * An {@linkcode InstrumentLookup} over the default instruments of a venue, for recordings:
 * Binance symbols such as "BTCUSDT" for the Binance venues (cached), the venue's own symbol for
 * the others (storage archives of Coinbase, Kraken and KuCoin books).
 *
 * @param venue The venue tag.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultBinanceLookup } from "./binance_symbols.ts";
 * const lookup = defaultBinanceLookup("binance");
 * assert.equal(lookup("BTCUSDT")?.symbol, "BTC/USDT");
 * assert.equal(lookup("DOGEUSDT"), undefined);
 * ```
 */
export function defaultBinanceLookup(venue: VenueId): InstrumentLookup {
  if (venue !== "binance" && venue !== "binance_us") {
    // Archives of other venues carry that venue's own symbol ("BTC/USD", "BTC-USDT").
    const byVenueSymbol = new Map(venueInstruments(venue).map((i) => [i.venueSymbol, i]));
    return (venueSymbol) => byVenueSymbol.get(venueSymbol);
  }
  const cache = new Map<string, Instrument | undefined>();
  return (venueSymbol) => {
    if (!cache.has(venueSymbol)) {
      const inst = binanceSymbolCandidates(venueSymbol)
        .map((symbol) => defaultInstrument(venue, symbol))
        .find(Boolean);
      cache.set(venueSymbol, inst);
    }
    return cache.get(venueSymbol);
  };
}
