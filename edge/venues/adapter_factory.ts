import { type Instrument, makeInstrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { BinanceUsAdapter } from "./binance/adapter.ts";
import { CoinbaseAdapter } from "./coinbase/adapter.ts";
import { KrakenAdapter } from "./kraken/adapter.ts";
import { KucoinAdapter } from "./kucoin/adapter.ts";
import type { AdapterOptions, VenueAdapter } from "./venue_adapter.ts";

/** Venues with a live adapter. */
export type AdapterVenue = "binance_us" | "coinbase" | "kraken" | "kucoin";

/** The part of config.yaml's `exchanges.<venue>` an adapter needs. */
export interface VenueConnectionConfig {
  /** WebSocket base URL. */
  readonly ws_url: string;
  /** REST base URL. */
  readonly rest_url: string;
  /** Normalized symbol -> the venue's symbol. */
  readonly symbols: Readonly<Record<string, string>>;
}

/**
 * The instruments of a venue's configured symbols from the built-in table only (the
 * fallback when the venue's metadata is unavailable; see `resolveInstruments` in
 * metadata/instrument_source.ts), with the venue symbol from the configuration.
 *
 * @throws {RangeError} When a symbol has no default instrument for the venue.
 */
export function configuredInstruments(
  venue: AdapterVenue,
  symbols: Readonly<Record<string, string>>,
): Instrument[] {
  return Object.entries(symbols).map(([symbol, venueSymbol]) => {
    const inst = defaultInstrument(venue, symbol);
    if (!inst) {
      throw new RangeError(`Cannot follow ${venue} ${symbol}: no instrument precision known`);
    }
    return inst.venueSymbol === venueSymbol ? inst : makeInstrument({ ...inst, venueSymbol });
  });
}

/**
 * Builds the adapter of a venue from its configuration (base URLs, symbols).
 *
 * @param venue Venue.
 * @param config URLs and symbols (config.yaml `exchanges.<venue>`).
 * @param options Sink and timing.
 * @param instruments The configured symbols' instruments from the venue's metadata
 *   (`loadVenueInstruments` + `resolveInstruments`); default: the built-in table.
 */
export function createAdapter(
  venue: AdapterVenue,
  config: VenueConnectionConfig,
  options: Omit<AdapterOptions, "wsUrl" | "restUrl" | "instruments"> = {},
  instruments?: readonly Instrument[],
): VenueAdapter {
  const o: AdapterOptions = {
    ...options,
    wsUrl: config.ws_url.replace(/\/+$/, ""),
    restUrl: config.rest_url.replace(/\/+$/, ""),
    instruments: instruments ? [...instruments] : configuredInstruments(venue, config.symbols),
  };
  switch (venue) {
    case "binance_us":
      return new BinanceUsAdapter(o);
    case "coinbase":
      return new CoinbaseAdapter(o);
    case "kraken":
      return new KrakenAdapter(o);
    case "kucoin":
      return new KucoinAdapter(o);
  }
}
