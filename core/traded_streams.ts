/**
 * What the paper account trades: the `trading.streams` (venue + symbol), the portfolio caps
 * (`trading.portfolio`) and optional per-venue starting balances (`trading.balances`) of
 * `config.yaml`. The schemas are part of {@linkcode ConfigSchema} (core/config.ts); the
 * cross-checks against `exchanges` and `symbols` run in its refinement and report the key path.
 *
 * @module
 */

import { z } from "zod";
import type { Instrument, VenueId } from "./market/instrument.ts";
import { defaultInstrument } from "./market/instruments.ts";

const fraction = z.number().min(0).max(1);
const symbol = z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, "expected a symbol like BTC/USDT");

/** The venues a stream may name (those `exchanges` can configure). */
export const STREAM_VENUES = ["binance_us", "coinbase", "kraken", "kucoin"] as const;

/** One traded stream; `max_position_fraction` overrides `trading.max_position_fraction` for it. */
export const TradedStreamSchema = z.strictObject({
  venue: z.string().superRefine((v, ctx) => {
    if ((STREAM_VENUES as readonly string[]).includes(v)) return;
    ctx.addIssue({
      code: "custom",
      message: `unknown venue "${v}" (expected one of ${STREAM_VENUES.join(", ")})`,
    });
  }),
  symbol,
  max_position_fraction: fraction.optional(),
});

/**
 * Account-wide caps, each a fraction of equity (marked positions at mid, long only):
 * the sum of every position, one normalized symbol across venues, everything held on one
 * venue, and one base asset across symbols and venues (BTC/USDT and BTC/USD move together).
 */
export const PortfolioCapsSchema = z.strictObject({
  max_total_exposure: fraction.default(1),
  max_symbol_fraction: fraction.default(0.25),
  max_venue_fraction: fraction.default(1),
  max_asset_fraction: fraction.default(0.35),
});

/** Starting balances per venue and asset, e.g. `{ binance_us: { USDT: 5000 } }`. */
export const BalancesSchema = z.record(
  z.string(),
  z.record(z.string().regex(/^[A-Z0-9]+$/, "expected an asset like USDT"), z.number().positive()),
);

/** A traded stream as the rest of the code uses it. */
export interface TradedStream {
  /** Venue. */
  readonly venue: VenueId;
  /** Normalized symbol. */
  readonly symbol: string;
  /** Per-stream position cap (fraction of equity); undefined = `trading.max_position_fraction`. */
  readonly maxPositionFraction?: number;
}

interface StreamsInput {
  readonly exchanges: Readonly<
    Record<string, { enabled: boolean; symbols: Readonly<Record<string, string>> } | undefined>
  >;
  readonly symbols: readonly string[];
  readonly trading: {
    readonly streams?: readonly { venue: string; symbol: string }[] | undefined;
    readonly balances?: Readonly<Record<string, Readonly<Record<string, number>>>> | undefined;
  };
}

/** A problem found by {@linkcode checkTradedStreams}: key path and message. */
export interface StreamIssue {
  /** Key path, e.g. ["trading", "streams", 1, "symbol"]. */
  readonly path: (string | number)[];
  /** What is wrong. */
  readonly message: string;
}

/**
 * The default streams: each configured symbol on the first enabled venue (in `exchanges`
 * order) that lists it and that TickerML has an instrument for.
 */
export function defaultStreams(
  cfg: StreamsInput,
): { venue: VenueId; symbol: string; max_position_fraction?: number }[] {
  const out: { venue: VenueId; symbol: string }[] = [];
  for (const s of cfg.symbols) {
    for (const [venue, ex] of Object.entries(cfg.exchanges)) {
      if (!ex?.enabled || ex.symbols[s] === undefined) continue;
      if (!defaultInstrument(venue as VenueId, s)) continue;
      out.push({ venue: venue as VenueId, symbol: s });
      break;
    }
  }
  return out;
}

/**
 * Cross-checks `trading.streams` and `trading.balances` against `exchanges` and `symbols`:
 * the venue is configured and enabled, it lists the symbol, the symbol is one of `symbols`,
 * TickerML has the instrument, no stream is listed twice, and each balance names a traded venue.
 */
export function checkTradedStreams(cfg: StreamsInput): StreamIssue[] {
  const issues: StreamIssue[] = [];
  const streams = cfg.trading.streams ?? defaultStreams(cfg);
  if (streams.length === 0) {
    issues.push({
      path: ["trading", "streams"],
      message: "no stream to trade: no enabled venue lists any of `symbols`",
    });
  }
  const seen = new Set<string>();
  streams.forEach((s, i) => {
    const at = (key: string) => ["trading", "streams", i, key];
    if (!(STREAM_VENUES as readonly string[]).includes(s.venue)) return; // the schema said so
    const ex = cfg.exchanges[s.venue];
    if (!ex) {
      issues.push({ path: at("venue"), message: `${s.venue} is not configured under exchanges` });
      return;
    }
    if (!ex.enabled) {
      issues.push({ path: at("venue"), message: `${s.venue} is disabled (exchanges.${s.venue})` });
    }
    if (ex.symbols[s.symbol] === undefined) {
      issues.push({
        path: at("symbol"),
        message: `${s.venue} does not list ${s.symbol} (exchanges.${s.venue}.symbols)`,
      });
    } else if (!defaultInstrument(s.venue as VenueId, s.symbol)) {
      issues.push({
        path: at("symbol"),
        message: `no instrument definition for ${s.symbol} on ${s.venue}`,
      });
    }
    if (!cfg.symbols.includes(s.symbol)) {
      issues.push({ path: at("symbol"), message: `${s.symbol} is not one of symbols` });
    }
    const key = `${s.venue}:${s.symbol}`;
    if (seen.has(key)) issues.push({ path: at("symbol"), message: `${key} is listed twice` });
    seen.add(key);
  });
  const venues = new Set(streams.map((s) => s.venue));
  for (const venue of Object.keys(cfg.trading.balances ?? {})) {
    if (!venues.has(venue)) {
      issues.push({
        path: ["trading", "balances", venue],
        message: `no traded stream is on ${venue}`,
      });
    }
  }
  if (cfg.trading.balances !== undefined) {
    for (const s of streams) {
      const quote = s.symbol.split("/")[1] as string;
      if (cfg.trading.balances[s.venue]?.[quote] === undefined) {
        issues.push({
          path: ["trading", "balances", s.venue],
          message: `needs a ${quote} balance to trade ${s.symbol}`,
        });
      }
    }
  }
  return issues;
}

/** Config fields {@linkcode tradedStreams} reads. */
export interface TradedStreamsConfig {
  /** `trading` with resolved streams. */
  readonly trading: {
    readonly streams: readonly {
      venue: string;
      symbol: string;
      max_position_fraction?: number | undefined;
    }[];
  };
}

/** The traded streams of a validated configuration, in configuration order. */
export function tradedStreams(config: TradedStreamsConfig): TradedStream[] {
  return config.trading.streams.map((s) => ({
    venue: s.venue as VenueId,
    symbol: s.symbol,
    ...(s.max_position_fraction !== undefined
      ? { maxPositionFraction: s.max_position_fraction }
      : {}),
  }));
}

/**
 * The instrument of a stream named "venue:symbol" (e.g. "coinbase:BTC/USD").
 *
 * @throws {RangeError} Naming a malformed or unknown stream.
 */
export function streamInstrument(name: string): Instrument {
  const i = name.indexOf(":");
  const inst = i > 0
    ? defaultInstrument(name.slice(0, i) as VenueId, name.slice(i + 1))
    : undefined;
  if (!inst) {
    throw new RangeError(`unknown stream "${name}" (expected venue:symbol, e.g. coinbase:BTC/USD)`);
  }
  return inst;
}

/** The instruments of the traded streams of a validated configuration. */
export function tradedInstruments(config: TradedStreamsConfig): Instrument[] {
  return tradedStreams(config).map((s) => streamInstrument(`${s.venue}:${s.symbol}`));
}
