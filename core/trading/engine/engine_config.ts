/**
 * Settings of the {@linkcode TradingEngine} (resolved from config.yaml by an adapter).
 *
 * @module
 */

import type { Config } from "../../config.ts";
import type { Instrument, VenueId } from "../../market/instrument.ts";
import type { BookChecksum, OrderBook } from "../../market/order_book.ts";
import { type AlertConfig, DEFAULT_ALERTS } from "../risk/alerts.ts";
import { type BookGuardConfig, DEFAULT_BOOK_GUARD } from "../books/book_guard.ts";
import type { BookSync } from "../books/book_runner.ts";
import type { ExitRules } from "../risk/exits.ts";
import { fixedLatency, type LatencyModel } from "../exchange/latency.ts";
import { type Amount, parseAmount } from "../orders/money.ts";
import type { FeeSchedule, TradingRules } from "../orders/order.ts";
import type { QueueModel } from "../exchange/queue_model.ts";
import { DEFAULT_RISK, type RiskLimits } from "../risk/risk.ts";
import { DEFAULT_SIZING, type SizingLimits } from "../orders/sizing.ts";
export type { BookSync } from "../books/book_runner.ts";

/** Everything the engine needs. */
export interface EngineConfig {
  /** Books the engine trades (events for others are ignored). */
  readonly instruments: readonly Instrument[];
  /** Builds the sync of a book. */
  readonly syncFor: (book: OrderBook) => BookSync;
  /** Venue checksum routines, for deltas that carry a checksum. */
  readonly checksums?: Partial<Record<VenueId, BookChecksum>>;
  /** Fee rates per venue. */
  readonly fees: Partial<Record<VenueId, FeeSchedule>>;
  /** Fee rates of venues missing from `fees`. */
  readonly defaultFees: FeeSchedule;
  /** Minimum notional per venue (quote amount). */
  readonly minNotional: Partial<Record<VenueId, Amount>>;
  /** Minimum notional of venues missing from `minNotional`. */
  readonly defaultMinNotional: Amount;
  /** Market-order protection band, bps. */
  readonly maxSlippageBps: number;
  /** Queue model of resting limit orders (default risk-averse). */
  readonly queueModel?: QueueModel;
  /** Order-entry latency. */
  readonly latency: LatencyModel;
  /** Sizing limits. */
  readonly sizing: SizingLimits;
  /** Account risk limits. */
  readonly risk: RiskLimits;
  /** Per-position exits. */
  readonly exits: ExitRules;
  /** Per-book data guards. */
  readonly bookGuard: BookGuardConfig;
  /** Performance alerts. */
  readonly alerts: AlertConfig;
  /** Starting paper balances (deposited at the first event unless restored). */
  readonly initialBalances: readonly { venue: VenueId; asset: string; amount: Amount }[];
  /** Horizon after which a decision's outcome (mid change) is recorded, ms. */
  readonly outcomeHorizonMs: number;
  /** Keep every ledger entry in memory (paper trader: yes; long backtests: no). */
  readonly keepLedgerEntries: boolean;
  /** Keep every decision record in memory (the sink sees them either way). */
  readonly keepDecisions: boolean;
}

const venueMinimum = new WeakMap<Instrument, Amount>();

/**
 * Rules of one instrument: the minimum order notional is the configured one
 * (`exchanges.<venue>.min_notional`, else the default) or the venue's published minimum
 * (`Instrument.minNotional`, from its metadata endpoint), whichever is larger.
 */
export function rulesFor(cfg: EngineConfig, inst: Instrument): TradingRules {
  const configured = cfg.minNotional[inst.venue] ?? cfg.defaultMinNotional;
  if (inst.minNotional === undefined) return { minNotional: configured };
  let venue = venueMinimum.get(inst);
  if (venue === undefined) {
    venue = parseAmount(inst.minNotional);
    venueMinimum.set(inst, venue);
  }
  return { minNotional: venue > configured ? venue : configured };
}

/** Fees of one venue from the config. */
export function feesFor(cfg: EngineConfig, venue: VenueId): FeeSchedule {
  return cfg.fees[venue] ?? cfg.defaultFees;
}

/**
 * A complete default configuration: 10,000 quote on each instrument's venue, Binance
 * spot fees (0.1 % maker and taker), 5 USDT min notional, 50 bps band, zero latency.
 */
export function defaultEngineConfig(
  instruments: readonly Instrument[],
  syncFor: (book: OrderBook) => BookSync,
): EngineConfig {
  const balances = new Map<string, { venue: VenueId; asset: string; amount: Amount }>();
  for (const i of instruments) {
    balances.set(`${i.venue}:${i.quote}`, {
      venue: i.venue,
      asset: i.quote,
      amount: parseAmount("10000"),
    });
  }
  return {
    instruments,
    syncFor,
    fees: {},
    defaultFees: { makerPpm: 1000, takerPpm: 1000 }, // Binance spot base tier: 0.1 %
    minNotional: {},
    defaultMinNotional: parseAmount("5"),
    maxSlippageBps: 50,
    latency: fixedLatency(0),
    sizing: DEFAULT_SIZING,
    risk: DEFAULT_RISK,
    exits: {
      stopLossPct: 0.02,
      takeProfitPct: 0.04,
      trailing: { activationPct: 0.01, deltaPct: 0.005 },
    },
    bookGuard: DEFAULT_BOOK_GUARD,
    alerts: DEFAULT_ALERTS,
    initialBalances: [...balances.values()],
    outcomeHorizonMs: 60_000,
    keepLedgerEntries: true,
    keepDecisions: true,
  };
}

/**
 * Resolves the engine settings from the validated `config.yaml`:
 * - fees: `exchanges.<venue>.maker_fee_bps` / `taker_fee_bps` (1 bps = 100 ppm); venues
 *   without an entry (e.g. "binance" recordings) use 10 bps maker and taker;
 * - minimum order notional: `exchanges.<venue>.min_notional` (quote), default 5;
 * - `trading.balances`, else `trading.initial_balance` split evenly over the traded
 *   instruments' (venue, quote asset) pairs (USD and USDT count at par): one account;
 * - `trading.portfolio` caps and per-stream `max_position_fraction` overrides;
 * - `trading.max_position_fraction`, `slippage_band_bps`, `order_latency_ms` (fixed latency);
 * - `risk.*`: drawdown, daily loss, stop-loss, take-profit, trailing stop (arms at that gain,
 *   fires at that give-back), consecutive losses and cooldown, correlation limit, stale
 *   limit, spread blow-out and jump sigma; the other guard settings keep their defaults.
 */
export function engineConfigFromConfig(
  config: Config,
  instruments: readonly Instrument[],
  syncFor: (book: OrderBook) => BookSync,
): EngineConfig {
  const base = defaultEngineConfig(instruments, syncFor);
  const fees: Partial<Record<VenueId, FeeSchedule>> = {};
  const minNotional: Partial<Record<VenueId, Amount>> = {};
  for (const [venue, v] of Object.entries(config.exchanges)) {
    if (v?.min_notional !== undefined) {
      minNotional[venue as VenueId] = parseAmount(v.min_notional.toFixed(12));
    }
    if (v) {
      fees[venue as VenueId] = {
        makerPpm: Math.round(v.maker_fee_bps * 100),
        takerPpm: Math.round(v.taker_fee_bps * 100),
      };
    }
  }
  const streamFractions: Record<string, number> = {};
  for (const st of config.trading.streams) {
    if (st.max_position_fraction !== undefined) {
      streamFractions[`${st.venue}:${st.symbol}`] = st.max_position_fraction;
    }
  }
  const p = config.trading.portfolio;
  const r = config.risk;
  return {
    ...base,
    fees,
    minNotional,
    maxSlippageBps: config.trading.slippage_band_bps,
    latency: fixedLatency(config.trading.order_latency_ms),
    sizing: {
      ...base.sizing,
      maxEquityFraction: config.trading.max_position_fraction,
      streamFractions,
      portfolio: {
        maxTotal: p.max_total_exposure,
        maxSymbol: p.max_symbol_fraction,
        maxVenue: p.max_venue_fraction,
        maxAsset: p.max_asset_fraction,
      },
    },
    risk: {
      ...base.risk,
      maxDrawdownPct: r.max_drawdown,
      dailyLossPct: r.daily_loss_limit,
      maxConsecutiveLosses: r.max_consecutive_losses,
      cooldownMs: r.cooldown_minutes * 60_000,
      correlationLimit: r.max_correlation,
    },
    exits: {
      stopLossPct: r.stop_loss,
      takeProfitPct: r.take_profit,
      trailing: { activationPct: r.trailing_stop, deltaPct: r.trailing_stop },
    },
    bookGuard: {
      ...base.bookGuard,
      staleMs: r.stale_after_s * 1000,
      maxSpreadBps: r.spread_blowout_bps,
      jumpSigma: r.jump_sigma,
    },
    initialBalances: startingBalances(config, instruments),
  };
}

/**
 * The account's starting balances: `trading.balances` for the (venue, quote) pairs of the
 * instruments when given, else `trading.initial_balance` split evenly over those pairs (one
 * pair: the whole amount, as before streams existed).
 */
export function startingBalances(
  config: Config,
  instruments: readonly Instrument[],
): { venue: VenueId; asset: string; amount: Amount }[] {
  const pairs = new Map<string, { venue: VenueId; asset: string }>();
  for (const i of instruments) {
    pairs.set(`${i.venue}:${i.quote}`, { venue: i.venue, asset: i.quote });
  }
  const given = config.trading.balances;
  const share = parseAmount(String(config.trading.initial_balance)) /
    BigInt(Math.max(1, pairs.size));
  return [...pairs.values()].map((p) => {
    const v = given?.[p.venue]?.[p.asset];
    return { ...p, amount: v === undefined ? share : parseAmount(v.toFixed(12)) };
  });
}
