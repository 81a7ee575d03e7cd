/**
 * The paper trader runs on one instrument for the whole session; a live adapter may widen
 * the traded symbol's instrument to finer data (or a metadata refresh may change it). This
 * guard pins the trader's scale to the instrument of the first traded event and moves every
 * later event of that stream back to it exactly; an event finer than the pinned scale is
 * withheld from the trader (never rounded), said once per instrument change and counted.
 *
 * @module
 */

import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { rescaleEvent } from "../../core/market/rescale_event.ts";

/** See the module documentation. */
export class TradedScaleGuard {
  /** The trader's instrument (pinned at the first traded event, or by {@linkcode pin}). */
  pinned: Instrument | undefined;
  /** Traded events withheld because they were finer than the pinned scale. */
  withheld = 0;
  readonly #traded: { readonly venue: string; readonly symbol: string };
  readonly #log: (line: string) => void;
  #warned: Instrument | undefined;

  /**
   * @param traded The traded stream.
   * @param log Told once per instrument whose data the trader cannot take.
   */
  constructor(traded: { venue: string; symbol: string }, log: (line: string) => void) {
    this.#traded = traded;
    this.#log = log;
  }

  /** Pins the trader's instrument unless an event already did; returns the pinned one. */
  pin(inst: Instrument): Instrument {
    this.pinned ??= inst;
    return this.pinned;
  }

  /**
   * The event for the trader: other streams unchanged, the traded stream at the pinned scale.
   *
   * @param e The event, scaled by `current`.
   * @param current The instrument the adapter ran when it emitted `e` (undefined: unknown).
   * @returns Undefined when the event cannot be held at the pinned scale.
   */
  forTrader(e: MarketEvent, current: Instrument | undefined): MarketEvent | undefined {
    if (e.venue !== this.#traded.venue || e.symbol !== this.#traded.symbol || !current) return e;
    const pinned = this.pin(current);
    const out = rescaleEvent(e, current, pinned);
    if (out) return out;
    this.withheld++;
    if (this.#warned !== current) {
      this.#warned = current;
      this.#log(
        `${e.venue} ${e.symbol}: the venue's data is now finer than the paper trader's scale ` +
          `(${pinned.priceDecimals} price / ${pinned.sizeDecimals} size decimals, the adapter runs ` +
          `${current.priceDecimals} / ${current.sizeDecimals}); such events are withheld from the ` +
          `trader (its book goes stale and it stops trading); restart to trade at the new scale`,
      );
    }
    return undefined;
  }
}
