/**
 * Instruments from each venue's public metadata endpoint (Binance `exchangeInfo`,
 * Kraken `AssetPairs`, KuCoin `symbols`, Coinbase `products`). Live adapters can
 * refine their defaults with these; the cryptofeed replay uses them because its
 * recordings trade other pairs than TickerML's defaults.
 *
 * Level sizes on books are sums of orders, so sizes keep at least 8 decimals
 * even when the order step is coarser.
 *
 * @module
 */

import { parseScaled } from "../../../core/market/fixed_point.ts";
import { type Instrument, makeInstrument, type VenueId } from "../../../core/market/instrument.ts";
import { FrameError } from "../frame_error.ts";
import {
  incrementDecimals,
  isObject,
  type Json,
  parseJson,
  reqArray,
  reqString,
} from "../frame_fields.ts";

const MIN_SIZE_DECIMALS = 8;

/** Kraken's legacy asset codes mapped to common names. */
const KRAKEN_ASSETS: Record<string, string> = { XBT: "BTC", XDG: "DOGE" };

function build(
  venue: VenueId,
  base: string,
  quote: string,
  venueSymbol: string,
  tick: string,
  step: string,
  textDecimals?: { price: number; size: number },
  minNotional?: string,
): Instrument {
  const priceDecimals = Math.max(incrementDecimals(tick), 0);
  const sizeDecimals = Math.max(incrementDecimals(step), MIN_SIZE_DECIMALS);
  return makeInstrument({
    venue,
    symbol: `${base}/${quote}`,
    venueSymbol,
    priceDecimals,
    sizeDecimals,
    priceTextDecimals: Math.max(textDecimals?.price ?? priceDecimals, priceDecimals),
    sizeTextDecimals: Math.max(textDecimals?.size ?? sizeDecimals, sizeDecimals),
    tickSize: Math.max(parseScaled(tick, priceDecimals), 1),
    lotSize: Math.max(parseScaled(step, sizeDecimals), 1),
    ...(minNotional !== undefined ? { minNotional } : {}),
  });
}

function each(list: unknown[], venue: string, fn: (o: Json) => Instrument): Instrument[] {
  const out: Instrument[] = [];
  for (const o of list) {
    if (!isObject(o)) continue;
    try {
      out.push(fn(o));
    } catch {
      // One odd listing (a delisted pair with missing fields) must not hide the others.
    }
  }
  if (out.length === 0 && list.length > 0) throw new FrameError(venue, "no usable instrument");
  return out;
}

/** Instruments from a Binance / Binance.US `GET /api/v3/exchangeInfo` body (text has 8 decimals). */
export function binanceInstruments(text: string, venue: "binance" | "binance_us"): Instrument[] {
  const body = parseJson(text, venue);
  if (!isObject(body)) throw new FrameError(venue, "exchangeInfo is not an object");
  return each(reqArray(body, "symbols", venue), venue, (s) => {
    const filters = reqArray(s, "filters", venue).filter(isObject);
    const price = filters.find((f) => f.filterType === "PRICE_FILTER");
    const lot = filters.find((f) => f.filterType === "LOT_SIZE");
    if (!price || !lot) throw new FrameError(venue, "symbol without PRICE_FILTER / LOT_SIZE");
    const notional = filters.find((f) =>
      f.filterType === "NOTIONAL" || f.filterType === "MIN_NOTIONAL"
    )?.minNotional;
    return build(
      venue,
      reqString(s, "baseAsset", venue),
      reqString(s, "quoteAsset", venue),
      reqString(s, "symbol", venue),
      reqString(price, "tickSize", venue),
      reqString(lot, "stepSize", venue),
      { price: 8, size: 8 },
      typeof notional === "string" ? notional : undefined,
    );
  });
}

/**
 * Instruments from a Kraken `GET /0/public/AssetPairs` body.
 *
 * @param style "v1" keys instruments by `wsname` ("XBT/USD"); "v2" by the v2 symbol ("BTC/USD").
 */
export function krakenInstruments(text: string, style: "v1" | "v2"): Instrument[] {
  const body = parseJson(text, "kraken");
  if (!isObject(body) || !isObject(body.result)) {
    throw new FrameError("kraken", "AssetPairs has no 'result' object");
  }
  return each(Object.values(body.result), "kraken", (p) => {
    const wsname = reqString(p, "wsname", "kraken");
    const [b, q] = wsname.split("/");
    if (!b || !q) throw new FrameError("kraken", `bad wsname "${wsname}"`);
    const base = KRAKEN_ASSETS[b] ?? b;
    const quote = KRAKEN_ASSETS[q] ?? q;
    const pd = p.pair_decimals;
    const ld = p.lot_decimals;
    if (typeof pd !== "number" || typeof ld !== "number") {
      throw new FrameError("kraken", `${wsname}: pair_decimals / lot_decimals missing`);
    }
    return makeInstrument({
      venue: "kraken",
      symbol: `${base}/${quote}`,
      venueSymbol: style === "v1" ? wsname : `${base}/${quote}`,
      priceDecimals: pd,
      sizeDecimals: ld,
      ...(typeof p.costmin === "string" ? { minNotional: p.costmin } : {}),
    });
  });
}

/** Instruments from a KuCoin `GET /api/v1/symbols` body. */
export function kucoinInstruments(text: string): Instrument[] {
  const body = parseJson(text, "kucoin");
  if (!isObject(body)) throw new FrameError("kucoin", "symbols body is not an object");
  return each(reqArray(body, "data", "kucoin"), "kucoin", (s) =>
    build(
      "kucoin",
      reqString(s, "baseCurrency", "kucoin"),
      reqString(s, "quoteCurrency", "kucoin"),
      reqString(s, "symbol", "kucoin"),
      reqString(s, "priceIncrement", "kucoin"),
      reqString(s, "baseIncrement", "kucoin"),
      undefined,
      typeof s.minFunds === "string"
        ? s.minFunds
        : typeof s.quoteMinSize === "string"
        ? s.quoteMinSize
        : undefined,
    ));
}

/** Instruments from a Coinbase `GET /products` body (Exchange) or its Advanced Trade equivalent. */
export function coinbaseInstruments(text: string): Instrument[] {
  const body = parseJson(text, "coinbase");
  const list = Array.isArray(body)
    ? body
    : isObject(body)
    ? reqArray(body, "products", "coinbase")
    : [];
  // Exchange API: id / base_currency / quote_currency / min_market_funds;
  // Advanced Trade: product_id / base_currency_id / quote_currency_id / quote_min_size.
  const pick = (p: Json, a: string, b: string) => reqString(p, a in p ? a : b, "coinbase");
  return each(list, "coinbase", (p) => {
    const min = p.quote_min_size ?? p.min_market_funds;
    return build(
      "coinbase",
      pick(p, "base_currency_id", "base_currency"),
      pick(p, "quote_currency_id", "quote_currency"),
      pick(p, "product_id", "id"),
      reqString(p, "quote_increment", "coinbase"),
      reqString(p, "base_increment", "coinbase"),
      undefined,
      typeof min === "string" ? min : undefined,
    );
  });
}
