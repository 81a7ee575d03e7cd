/**
 * The dashboard's portfolio view: every traded stream of the active run (the configured
 * streams, plus any other stream the run holds a position row for) with its position,
 * exposure (quantity × live mid, at cost without a book), share of the account's equity and
 * P&L (realized net of fees + unrealized), then per venue and for the whole account, next to
 * the configured caps.
 *
 * @module
 */

import type { PositionView } from "../live/types.ts";

/** One stream of the portfolio. */
export interface StreamExposure {
  /** Venue. */
  venue: string;
  /** Symbol. */
  symbol: string;
  /** Held quantity (0 when flat). */
  qty: number;
  /** Position value, quote (mid × qty; cost without a mid). */
  exposure: number;
  /** Exposure / account equity (null without an equity). */
  exposure_fraction: number | null;
  /** Realized P&L net of the stream's fees, quote. */
  realized_pnl: number;
  /** Unrealized P&L at the live mid (null when held without a book). */
  unrealized_pnl: number | null;
  /** Realized + unrealized. */
  pnl: number;
}

/** The portfolio of the active run. */
export interface PortfolioStreamsView {
  /** Per stream, configured order first. */
  streams: StreamExposure[];
  /** Exposure per venue (quote and fraction of equity). */
  venues: { venue: string; exposure: number; exposure_fraction: number | null }[];
  /** The account: summed exposure and P&L, and the equity they are compared with. */
  total: {
    exposure: number;
    exposure_fraction: number | null;
    realized_pnl: number;
    unrealized_pnl: number;
    pnl: number;
    equity: number | null;
  };
  /** Configured caps (fractions of equity), when known. */
  caps: PortfolioCaps | null;
}

/** The caps of config `trading.portfolio`. */
export interface PortfolioCaps {
  max_total_exposure: number;
  max_symbol_fraction: number;
  max_venue_fraction: number;
  max_asset_fraction: number;
}

/**
 * Builds the view.
 *
 * @param rows Every position row of the run (flat ones too), marked to the live mid.
 * @param equity The account's latest equity, or null.
 * @param configured Traded streams of the configuration (shown even before their first fill).
 * @param caps Configured caps.
 */
export function portfolioStreams(
  rows: readonly PositionView[],
  equity: number | null,
  configured: readonly { venue: string; symbol: string }[] = [],
  caps: PortfolioCaps | null = null,
): PortfolioStreamsView {
  const share = (x: number) => (equity !== null && equity > 0 ? x / equity : null);
  const byKey = new Map(rows.map((r) => [`${r.venue} ${r.symbol}`, r]));
  const keys = [...new Set([...configured.map((s) => `${s.venue} ${s.symbol}`), ...byKey.keys()])];
  const streams = keys.map((k): StreamExposure => {
    const r = byKey.get(k);
    const [venue, symbol] = k.split(" ") as [string, string];
    if (!r) {
      return {
        venue,
        symbol,
        qty: 0,
        exposure: 0,
        exposure_fraction: share(0),
        realized_pnl: 0,
        unrealized_pnl: 0,
        pnl: 0,
      };
    }
    const held = r.qty > 0;
    const exposure = !held ? 0 : r.unrealized_pnl === null ? r.cost : r.cost + r.unrealized_pnl;
    const unrealized = held ? r.unrealized_pnl : 0;
    return {
      venue,
      symbol,
      qty: r.qty,
      exposure,
      exposure_fraction: share(exposure),
      realized_pnl: r.realized_pnl,
      unrealized_pnl: unrealized,
      pnl: r.realized_pnl + (unrealized ?? 0),
    };
  });
  const venues = new Map<string, number>();
  for (const s of streams) venues.set(s.venue, (venues.get(s.venue) ?? 0) + s.exposure);
  const sum = (f: (s: StreamExposure) => number) => streams.reduce((a, s) => a + f(s), 0);
  const exposure = sum((s) => s.exposure);
  return {
    streams,
    venues: [...venues].map(([venue, x]) => ({
      venue,
      exposure: x,
      exposure_fraction: share(x),
    })),
    total: {
      exposure,
      exposure_fraction: share(exposure),
      realized_pnl: sum((s) => s.realized_pnl),
      unrealized_pnl: sum((s) => s.unrealized_pnl ?? 0),
      pnl: sum((s) => s.pnl),
      equity,
    },
    caps,
  };
}
