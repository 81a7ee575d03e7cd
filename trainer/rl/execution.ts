/**
 * The execution port the trading environment and the evaluation trade
 * through, over a sequence of decision points 0..length-1. Orders placed at
 * decision k are filled on the way to decision k+1 (never at k's prices).
 *
 * Size semantics follow the shared trading engine's decisions: a buy of size
 * s in [0, 1] invests s x the remaining room under the position cap (25 % of
 * equity); a sell of size s sells s x the position. Spot, long/flat.
 *
 * Two implementations: {@linkcode EngineExecution} (engine_execution.ts) runs
 * the shared paper broker, sizing and risk of `core/trading` over the recorded
 * events (the real one); {@linkcode TopOfBookExecution} fills at given quotes
 * with a fee and slippage, for synthetic tapes in tests.
 *
 * @module
 */

/** Account state at the current decision. */
export interface Account {
  /** Cash (quote currency). */
  readonly cash: number;
  /** Marked equity. */
  readonly equity: number;
  /** Position value as a fraction of equity. */
  readonly positionFraction: number;
  /** Fees paid so far. */
  readonly fees: number;
  /** Fills so far. */
  readonly trades: number;
}

/** Where orders go. */
export interface ExecutionPort {
  /** Decision points available. */
  readonly length: number;
  /** Starts a fresh account at decision k. */
  reset(k: number): void;
  /** Places an order at the current decision. */
  order(side: "buy" | "sell", size: number): void;
  /** Moves to decision k (> current), filling pending orders on the way. */
  advance(k: number): void;
  /** The account now. */
  account(): Account;
}

/** Position cap as a fraction of equity (the engine's default sizing). */
export const POSITION_CAP = 0.25;

/** Top of book at a decision point. */
export interface Quote {
  /** Best bid. */
  readonly bid: number;
  /** Best ask. */
  readonly ask: number;
}

/** Costs of {@linkcode TopOfBookExecution}. */
export interface CostModel {
  /** Taker fee in basis points of notional. */
  readonly feeBps: number;
  /** Slippage in basis points beyond the touch. */
  readonly slippageBps: number;
}

/** Fills market orders at the next decision's quote plus slippage and fee (tests, synthetic tapes). */
export class TopOfBookExecution implements ExecutionPort {
  readonly #quotes: readonly Quote[];
  readonly #cost: CostModel;
  readonly #start: number;
  #k = 0;
  #cash = 0;
  #pos = 0;
  #fees = 0;
  #trades = 0;
  #pending: { side: "buy" | "sell"; size: number } | undefined;

  /**
   * @param quotes Quote of each decision point.
   * @param cost Fee and slippage.
   * @param cash Starting cash.
   */
  constructor(quotes: readonly Quote[], cost: CostModel, cash = 10_000) {
    this.#quotes = quotes;
    this.#cost = cost;
    this.#start = cash;
  }

  /** Decision points. */
  get length(): number {
    return this.#quotes.length;
  }

  /** Fresh account at k. */
  reset(k: number): void {
    this.#k = k;
    this.#cash = this.#start;
    this.#pos = 0;
    this.#fees = 0;
    this.#trades = 0;
    this.#pending = undefined;
  }

  /** Order at the current decision. */
  order(side: "buy" | "sell", size: number): void {
    this.#pending = size > 0 ? { side, size: Math.min(size, 1) } : undefined;
  }

  /** Moves to k; a pending order fills at decision k_current + 1's quote. */
  advance(k: number): void {
    const p = this.#pending;
    this.#pending = undefined;
    if (p !== undefined) this.#fill(p.side, p.size, this.#quotes[this.#k + 1] as Quote);
    this.#k = k;
  }

  #fill(side: "buy" | "sell", size: number, q: Quote): void {
    const fee = this.#cost.feeBps / 1e4;
    const slip = this.#cost.slippageBps / 1e4;
    const equity = this.#cash + this.#pos * q.bid;
    if (side === "buy") {
      const px = q.ask * (1 + slip);
      const room = Math.max(0, POSITION_CAP * equity - this.#pos * q.bid);
      const notional = Math.min(size * room, this.#cash / (1 + fee));
      if (notional <= 1e-9) return;
      this.#pos += notional / px;
      this.#cash -= notional * (1 + fee);
      this.#fees += notional * fee;
    } else {
      const px = q.bid * (1 - slip);
      const qty = size * this.#pos;
      if (qty <= 1e-12) return;
      this.#pos -= qty;
      this.#cash += qty * px * (1 - fee);
      this.#fees += qty * px * fee;
    }
    this.#trades++;
  }

  /** Account marked at the current bid. */
  account(): Account {
    const q = this.#quotes[this.#k] as Quote;
    const value = this.#pos * q.bid;
    const equity = this.#cash + value;
    return {
      cash: this.#cash,
      equity,
      positionFraction: value / equity,
      fees: this.#fees,
      trades: this.#trades,
    };
  }
}
