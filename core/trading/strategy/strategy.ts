/**
 * The strategy interface the paper trader and the backtester drive, and the
 * decision it returns. The model strategy (issue: model) implements the same
 * interface; until then the baselines in `baselines.ts` do.
 *
 * @module
 */

import type { PortfolioState } from "../../features/portfolio.ts";
import type { Instrument } from "../../market/instrument.ts";
import type { OrderBook } from "../../market/order_book.ts";
import type { Position } from "../ledger/ledger.ts";
import type { TradingState } from "../risk/risk.ts";

/** What a strategy sees when asked for a decision. */
export interface StrategyContext {
  /** Decision time (receive-time clock), ms. */
  readonly time: number;
  /** Instrument of the book. */
  readonly inst: Instrument;
  /** The live book (read only). */
  readonly book: OrderBook;
  /** Current position in the instrument. */
  readonly position: Readonly<Position>;
  /** Account trading state. */
  readonly riskState: TradingState;
  /** The portfolio as portfolio-aware features need it (computed on call). */
  readonly portfolio: () => PortfolioState;
}

/** A strategy's decision for one instrument. */
export interface Decision {
  /** Buy (enter or add), sell (reduce or exit) or hold. */
  readonly action: "buy" | "sell" | "hold";
  /** Size output 0..1: for buys a fraction of the equity cap, for sells a fraction of the position. */
  readonly size: number;
  /** Model confidence 0..1 (for alerts and experience records). */
  readonly confidence?: number;
  /** Market (default) or a limit at the same-side touch (post-only). */
  readonly orderType?: "market" | "limit";
  /** Raw model outputs kept with the decision (experience records). */
  readonly outputs?: Readonly<Record<string, number>>;
}

/** A trading strategy. */
export interface Strategy {
  /** Name used on the command line and in reports. */
  readonly name: string;
  /** Minimum time between two decisions on one instrument, ms. */
  readonly intervalMs: number;
  /** Returns the decision for the instrument of `ctx`. Called at most once per `intervalMs` per book. */
  decide(ctx: StrategyContext): Decision;
}

/** The hold decision. */
export const HOLD: Decision = Object.freeze({ action: "hold", size: 0 });
