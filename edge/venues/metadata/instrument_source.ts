/**
 * Instruments for live adapters from each venue's public metadata endpoint, cached on
 * disk and refreshed when older than a day. The built-in table (core/market/instruments.ts)
 * is only a fallback when the endpoint and the cache both fail; a symbol neither knows is
 * an error that names it.
 *
 * @module
 */

import { type Instrument, makeInstrument } from "../../../core/market/instrument.ts";
import { defaultInstrument } from "../../../core/market/instruments.ts";
import type { AdapterVenue } from "../adapter_factory.ts";
import {
  binanceInstruments,
  coinbaseInstruments,
  krakenInstruments,
  kucoinInstruments,
} from "./venue_metadata.ts";

/** Path of each venue's public instrument metadata endpoint, below its REST base URL. */
export const METADATA_PATHS: Readonly<Record<AdapterVenue, string>> = {
  binance_us: "/api/v3/exchangeInfo",
  coinbase: "/api/v3/brokerage/market/products",
  kraken: "/0/public/AssetPairs",
  kucoin: "/api/v2/symbols",
};

/** One day: the cache's age limit. */
export const METADATA_MAX_AGE_MS = 86_400_000;

/**
 * Parses a venue's metadata response body into instruments.
 *
 * @throws {FrameError} When the body is not that venue's metadata.
 */
export function parseVenueMetadata(venue: AdapterVenue, body: string): Instrument[] {
  switch (venue) {
    case "binance_us":
      return binanceInstruments(body, "binance_us");
    case "coinbase":
      return coinbaseInstruments(body);
    case "kraken":
      return krakenInstruments(body, "v2");
    case "kucoin":
      return kucoinInstruments(body);
  }
}

/** Options of {@linkcode loadVenueInstruments}. */
export interface MetadataOptions {
  /** Directory of the cache files (`<venue>.json`). No cache when absent. */
  readonly cacheDir?: string;
  /** Clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** Cache age limit, ms. Default one day. */
  readonly maxAgeMs?: number;
  /** HTTP client. Default `fetch`. */
  readonly fetch?: typeof fetch;
  /** Fetch even when the cache is fresh (the daily refresh). */
  readonly force?: boolean;
  /** One line per fallback (stale cache, built-in table). */
  readonly log?: (line: string) => void;
}

/** Instruments and where they came from. */
export interface VenueMetadata {
  /** Every instrument the venue listed. */
  readonly instruments: Instrument[];
  /** "fetched", "cache" (fresh), "stale-cache" (the fetch failed) or "none". */
  readonly source: "fetched" | "cache" | "stale-cache" | "none";
  /** Epoch ms of the response used, when any. */
  readonly fetchedAt: number | null;
}

interface CacheFile {
  url: string;
  fetched_at: number;
  body: string;
}

/**
 * The venue's instruments: the cached response when younger than `maxAgeMs`, else a
 * fresh `GET <rest_url><metadata path>` (cached again), else the stale cache. With
 * nothing usable, `source` is "none" and the caller falls back to the built-in table.
 */
export async function loadVenueInstruments(
  venue: AdapterVenue,
  restUrl: string,
  options: MetadataOptions = {},
): Promise<VenueMetadata> {
  const now = options.now ?? Date.now;
  const url = `${restUrl.replace(/\/+$/, "")}${METADATA_PATHS[venue]}`;
  const cachePath = options.cacheDir ? `${options.cacheDir}/${venue}.json` : undefined;
  let cached: CacheFile | undefined;
  if (cachePath) {
    try {
      cached = JSON.parse(await Deno.readTextFile(cachePath)) as CacheFile;
      if (typeof cached.body !== "string" || typeof cached.fetched_at !== "number") {
        cached = undefined;
      }
    } catch { /* no cache yet */ }
  }
  const maxAge = options.maxAgeMs ?? METADATA_MAX_AGE_MS;
  if (cached && cached.url === url && !options.force && now() - cached.fetched_at < maxAge) {
    try {
      return {
        instruments: parseVenueMetadata(venue, cached.body),
        source: "cache",
        fetchedAt: cached.fetched_at,
      };
    } catch { /* a damaged cache is refetched */ }
  }
  let failure: string;
  try {
    const res = await (options.fetch ?? fetch)(url, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const instruments = parseVenueMetadata(venue, body);
    const fetchedAt = now();
    if (cachePath) {
      await Deno.mkdir(options.cacheDir as string, { recursive: true });
      const file: CacheFile = { url, fetched_at: fetchedAt, body };
      await Deno.writeTextFile(cachePath, JSON.stringify(file));
    }
    return { instruments, source: "fetched", fetchedAt };
  } catch (e) {
    failure = (e as Error).message;
  }
  if (cached) {
    try {
      const instruments = parseVenueMetadata(venue, cached.body);
      options.log?.(
        `${venue}: metadata ${url} failed (${failure}); using the cache of ${
          new Date(cached.fetched_at).toISOString()
        }`,
      );
      return { instruments, source: "stale-cache", fetchedAt: cached.fetched_at };
    } catch { /* fall through */ }
  }
  options.log?.(`${venue}: metadata ${url} failed (${failure}) and no cache`);
  return { instruments: [], source: "none", fetchedAt: null };
}

/**
 * The instruments of a venue's configured symbols: the venue's metadata first (by venue
 * symbol, then by normalized symbol), the built-in table only when the venue did not
 * list it (logged), an error naming the symbol when neither knows it.
 *
 * @param venue Venue.
 * @param symbols Normalized symbol -> the venue's symbol (config.yaml).
 * @param listed The venue's metadata instruments (may be empty).
 * @param log Told about every fallback.
 * @throws {RangeError} When a configured symbol is in neither the metadata nor the table.
 */
export function resolveInstruments(
  venue: AdapterVenue,
  symbols: Readonly<Record<string, string>>,
  listed: readonly Instrument[],
  log: (line: string) => void = () => {},
): Instrument[] {
  return Object.entries(symbols).map(([symbol, venueSymbol]) => {
    const meta = listed.find((i) => i.venueSymbol === venueSymbol) ??
      listed.find((i) => i.symbol === symbol);
    if (meta) {
      return meta.symbol === symbol && meta.venueSymbol === venueSymbol
        ? meta
        : makeInstrument({ ...meta, symbol, venueSymbol });
    }
    const table = defaultInstrument(venue, symbol);
    if (!table) {
      throw new RangeError(
        `Cannot follow ${venue} ${symbol} (${venueSymbol}): the venue's metadata ` +
          (listed.length ? "does not list it" : "is unavailable") +
          " and the built-in table has no precision for it",
      );
    }
    if (listed.length > 0) log(`${venue}: metadata does not list ${venueSymbol}; built-in table`);
    return table.venueSymbol === venueSymbol ? table : makeInstrument({ ...table, venueSymbol });
  });
}
