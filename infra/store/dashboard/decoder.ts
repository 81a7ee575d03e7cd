import { scaledToNumber } from "../../../core/market/fixed_point.ts";
import type { VenueId } from "../../../core/market/instrument.ts";
import { defaultInstrument } from "../../../core/market/instruments.ts";
import type { InstrumentView } from "./dashboard_views.ts";
import type { DashboardReader } from "./store_reader.ts";

/**
 * Decodes the store's fixed-point prices and sizes with each instrument's decimals
 * (`instruments.price_decimals` / `size_decimals`; core's default instruments when the store
 * has no row, e.g. a store only the paper trader wrote). Unknown instruments decode with 0
 * decimals and are listed in {@linkcode Decoder.unknown} so the mistake is visible.
 */
export class Decoder {
  readonly #byKey = new Map<string, InstrumentView>();
  /** Venue/symbol pairs seen without an `instruments` row. */
  readonly unknown: Set<string> = new Set();

  /** @param instruments Known instruments. */
  constructor(instruments: readonly InstrumentView[]) {
    for (const i of instruments) this.#byKey.set(`${i.venue} ${i.symbol}`, i);
  }

  /** Loads the instruments from the store. */
  static async load(reader: DashboardReader): Promise<Decoder> {
    return new Decoder(await readInstruments(reader));
  }

  /** Number of known instruments. */
  get count(): number {
    return this.#byKey.size;
  }

  /** The instrument of `venue`/`symbol`, if recorded. */
  instrument(venue: string, symbol: string): InstrumentView | undefined {
    return this.#byKey.get(`${venue} ${symbol}`);
  }

  /** Decodes a price in ticks. */
  price(venue: string, symbol: string, ticks: number): number {
    return scaledToNumber(ticks, this.#decimals(venue, symbol).price_decimals);
  }

  /** Decodes a size in lots. */
  size(venue: string, symbol: string, lots: number): number {
    return scaledToNumber(lots, this.#decimals(venue, symbol).size_decimals);
  }

  #decimals(venue: string, symbol: string): InstrumentView {
    const inst = this.#byKey.get(`${venue} ${symbol}`);
    if (inst) return inst;
    const known = defaultInstrument(venue as VenueId, symbol);
    if (known) {
      const view = {
        venue,
        symbol,
        price_decimals: known.priceDecimals,
        size_decimals: known.sizeDecimals,
      };
      this.#byKey.set(`${venue} ${symbol}`, view);
      return view;
    }
    this.unknown.add(`${venue} ${symbol}`);
    return { venue, symbol, price_decimals: 0, size_decimals: 0 };
  }
}

/** Reads the `instruments` table. */
export async function readInstruments(reader: DashboardReader): Promise<InstrumentView[]> {
  return (await reader.all<InstrumentView>(
    ["instruments"],
    "SELECT venue, symbol, price_decimals, size_decimals FROM instruments ORDER BY venue, symbol",
  )).map((r) => ({ ...r }));
}
