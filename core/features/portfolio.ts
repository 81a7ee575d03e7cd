import { type FeatureSpec, PORTFOLIO_FEATURES } from "./spec.ts";
import { slotsOf, type VectorWriter } from "./vector_writer.ts";

/** The paper portfolio at decision time, in quote currency (floats: features only). */
export interface PortfolioState {
  /** Cash plus marked position value. */
  readonly equity: number;
  /** Free cash. */
  readonly cash: number;
  /** Signed marked value of the position in the traded asset (negative when short). */
  readonly positionValue: number;
  /** Unrealized profit and loss of the open position. */
  readonly unrealizedPnl: number;
  /** When the current position was opened, epoch ms (undefined when flat). */
  readonly positionOpenedAt?: number | undefined;
}

/**
 * Portfolio-aware features appended at decision time:
 * `position_fraction` = position value / equity, `unrealized_pnl` = unrealized P&L
 * / equity, `cash_ratio` = cash / equity, `time_in_position_h` = hours since the
 * position was opened (0 when flat). Missing when no state is given (an offline
 * dataset) or equity is not positive.
 */
export class PortfolioFeatures {
  readonly #slots: Int32Array;

  /** @param spec The spec (`portfolio` must be true). */
  constructor(spec: FeatureSpec) {
    this.#slots = slotsOf(spec, "portfolio", PORTFOLIO_FEATURES);
  }

  /** Writes the portfolio group for decision time `t`. */
  write(out: VectorWriter, t: number, state: PortfolioState | undefined): void {
    const [pos, pnl, cash, held] = this.#slots as unknown as [number, number, number, number];
    if (!state || !(state.equity > 0)) {
      for (const s of this.#slots) out.miss(s);
      return;
    }
    out.set(pos, state.positionValue / state.equity);
    out.set(pnl, state.unrealizedPnl / state.equity);
    out.set(cash, state.cash / state.equity);
    const opened = state.positionOpenedAt;
    out.set(held, opened === undefined ? 0 : Math.max(0, t - opened) / 3_600_000);
  }
}
