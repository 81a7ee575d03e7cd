/**
 * The simulator's instrument metadata endpoints, in each venue's real response shape,
 * rendered from the instruments it streams (so an adapter that reads its precision
 * from the venue gets exactly the scale of the simulated books): Binance.US
 * `GET /api/v3/exchangeInfo`, Coinbase `GET /api/v3/brokerage/market/products`, Kraken
 * `GET /0/public/AssetPairs`, KuCoin `GET /api/v2/symbols`.
 *
 * @module
 */

import { formatScaled } from "../../core/market/fixed_point.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";

const KRAKEN_CODES: Record<string, string> = { BTC: "XBT", DOGE: "XDG" };

function tick(i: Instrument, textDecimals = i.priceDecimals): string {
  return formatScaled(i.tickSize, i.priceDecimals, Math.max(textDecimals, i.priceDecimals));
}

function step(i: Instrument, textDecimals = i.sizeDecimals): string {
  return formatScaled(i.lotSize, i.sizeDecimals, Math.max(textDecimals, i.sizeDecimals));
}

/**
 * The metadata response body for `pathname`, or undefined when it is not the venue's
 * metadata path.
 *
 * @param venue Simulated venue.
 * @param pathname Request path.
 * @param instruments The instruments the venue streams.
 */
export function metadataBody(
  venue: VenueId,
  pathname: string,
  instruments: readonly Instrument[],
): unknown {
  switch (venue) {
    case "binance":
    case "binance_us":
      if (pathname !== "/api/v3/exchangeInfo") return undefined;
      return {
        timezone: "UTC",
        symbols: instruments.map((i) => ({
          symbol: i.venueSymbol,
          status: "TRADING",
          baseAsset: i.base,
          quoteAsset: i.quote,
          filters: [
            { filterType: "PRICE_FILTER", tickSize: tick(i, 8) },
            { filterType: "LOT_SIZE", stepSize: step(i, 8) },
            { filterType: "NOTIONAL", minNotional: i.minNotional ?? "1.00000000" },
          ],
        })),
      };
    case "coinbase":
      if (pathname !== "/api/v3/brokerage/market/products") return undefined;
      return {
        products: instruments.map((i) => ({
          product_id: i.venueSymbol,
          base_currency_id: i.base,
          quote_currency_id: i.quote,
          quote_increment: tick(i),
          price_increment: tick(i),
          base_increment: step(i),
          quote_min_size: i.minNotional ?? "1",
        })),
        num_products: instruments.length,
      };
    case "kraken":
      if (pathname !== "/0/public/AssetPairs") return undefined;
      return {
        error: [],
        result: Object.fromEntries(instruments.map((i) => {
          const b = KRAKEN_CODES[i.base] ?? i.base;
          const q = KRAKEN_CODES[i.quote] ?? i.quote;
          return [`${b}${q}`, {
            altname: `${b}${q}`,
            wsname: `${b}/${q}`,
            pair_decimals: i.priceDecimals,
            lot_decimals: i.sizeDecimals,
            costmin: i.minNotional ?? "0.5",
          }];
        })),
      };
    case "kucoin":
      if (pathname !== "/api/v2/symbols") return undefined;
      return {
        code: "200000",
        data: instruments.map((i) => ({
          symbol: i.venueSymbol,
          baseCurrency: i.base,
          quoteCurrency: i.quote,
          priceIncrement: tick(i),
          baseIncrement: step(i),
          minFunds: i.minNotional ?? "0.1",
          enableTrading: true,
        })),
      };
  }
}
