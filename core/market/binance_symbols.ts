import type { InstrumentLookup } from "./binance_frame.ts";
import type { Instrument } from "./instrument.ts";
import { defaultInstrument } from "./instruments.ts";

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
 * An {@linkcode InstrumentLookup} over the default instruments of a Binance venue, for
 * recordings (which carry Binance symbols such as "BTCUSDT"). Results are cached.
 *
 * @param venue The Binance venue tag.
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
export function defaultBinanceLookup(venue: "binance" | "binance_us"): InstrumentLookup {
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
