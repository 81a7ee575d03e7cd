/**
 * The execution port the trading environment trades through. The real
 * implementation wraps the shared paper broker and risk manager of
 * `core/trading` (branch `trading`, not merged yet); until then
 * {@linkcode TopOfBookExecution} is a minimal stand-in: spot long/flat,
 * market orders filled at the given quote (the *next* bar's, chosen by the
 * environment) with slippage and a taker fee, sizes capped by cash and
 * position. It has no queue model, partial fills or depth walk.
 *
 * @module
 */

/** Top of book at the fill time. */
export interface Quote {
  /** Best bid. */
  readonly bid: number;
  /** Best ask. */
  readonly ask: number;
}

/** Account state marked at a quote. */
export interface Account {
  /** Cash (quote currency). */
  readonly cash: number;
  /** Position (base units, >= 0). */
  readonly position: number;
  /** Cash + position marked at the bid. */
  readonly equity: number;
  /** Fees paid so far. */
  readonly fees: number;
  /** Fills so far. */
  readonly trades: number;
}

/** Where the environment sends orders. */
export interface ExecutionPort {
  /** Starts from `cash` and no position. */
  reset(cash: number): void;
  /** Market order worth `fraction` of current equity on `side`, filled at `q`. */
  trade(side: "buy" | "sell", fraction: number, q: Quote): void;
  /** State marked at `q`. */
  account(q: Quote): Account;
}

/** Costs of {@linkcode TopOfBookExecution}. */
export interface CostModel {
  /** Taker fee in basis points of notional. */
  readonly feeBps: number;
  /** Slippage in basis points beyond the touch. */
  readonly slippageBps: number;
}

/** Interim execution stand-in (see module docs). */
export class TopOfBookExecution implements ExecutionPort {
  readonly #cost: CostModel;
  #cash = 0;
  #pos = 0;
  #fees = 0;
  #trades = 0;

  /** @param cost Fee and slippage. */
  constructor(cost: CostModel) {
    this.#cost = cost;
  }

  /** Starts from cash only. */
  reset(cash: number): void {
    this.#cash = cash;
    this.#pos = 0;
    this.#fees = 0;
    this.#trades = 0;
  }

  /** Market order (see {@linkcode ExecutionPort.trade}). */
  trade(side: "buy" | "sell", fraction: number, q: Quote): void {
    if (!(fraction > 0)) return;
    const equity = this.account(q).equity;
    const fee = this.#cost.feeBps / 1e4;
    const slip = this.#cost.slippageBps / 1e4;
    if (side === "buy") {
      const px = q.ask * (1 + slip);
      const notional = Math.min(fraction * equity, this.#cash / (1 + fee));
      if (notional <= 1e-9) return;
      this.#pos += notional / px;
      this.#cash -= notional * (1 + fee);
      this.#fees += notional * fee;
    } else {
      const px = q.bid * (1 - slip);
      const qty = Math.min(fraction * equity / px, this.#pos);
      if (qty <= 1e-12) return;
      this.#pos -= qty;
      this.#cash += qty * px * (1 - fee);
      this.#fees += qty * px * fee;
    }
    this.#trades++;
  }

  /** State marked at the bid. */
  account(q: Quote): Account {
    return {
      cash: this.#cash,
      position: this.#pos,
      equity: this.#cash + this.#pos * q.bid,
      fees: this.#fees,
      trades: this.#trades,
    };
  }
}
