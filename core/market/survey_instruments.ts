/**
 * Instruments for whatever a recording holds, with the precision its decimal text
 * carries. The built-in table (instruments.ts) is only a fallback for the lot and tick
 * steps of the symbols it knows: a value finer than the table's scale widens the scale,
 * it is never a reason to reject a snapshot.
 *
 * @module
 */

import { binanceSymbolCandidates } from "./binance_symbols.ts";
import { type BinanceSurvey, type DecimalFacts, mergeFacts } from "./binance_survey.ts";
import { type Instrument, makeInstrument, type VenueId } from "./instrument.ts";
import { defaultInstrument } from "./instruments.ts";

/** Largest number of decimal digits a fixed-point integer may hold (2^53 > 10^15). */
const MAX_DIGITS = 15;

/**
 * An instrument whose scale fits `facts`: at least the table's decimals (when the table
 * knows the symbol), at least the decimals the data writes, at most what keeps the
 * largest value within 15 digits.
 *
 * @param venue Venue of the data.
 * @param symbol Normalized symbol "BASE/QUOTE".
 * @param venueSymbol The venue's own symbol.
 * @param facts Precision facts of the data.
 * @returns The instrument.
 *
 * @example A symbol the table does not know takes the data's precision
 * ```ts
 * import assert from "node:assert/strict";
 * import { instrumentForData } from "./survey_instruments.ts";
 * const facts = { priceDecimals: 5, sizeDecimals: 1, priceTextDecimals: 8, sizeTextDecimals: 8, priceIntDigits: 1, sizeIntDigits: 6 };
 * const nkn = instrumentForData("binance_us", "NKN/USDT", "NKNUSDT", facts);
 * assert.equal(nkn.priceDecimals, 5);
 * assert.equal(nkn.priceTextDecimals, 8);
 * ```
 */
export function instrumentForData(
  venue: VenueId,
  symbol: string,
  venueSymbol: string,
  facts: DecimalFacts,
): Instrument {
  const table = defaultInstrument(venue, symbol);
  const fit = (want: number, intDigits: number) =>
    Math.max(0, Math.min(want, MAX_DIGITS - intDigits));
  const priceDecimals = fit(
    Math.max(table?.priceDecimals ?? 0, facts.priceDecimals),
    facts.priceIntDigits,
  );
  const sizeDecimals = fit(
    Math.max(table?.sizeDecimals ?? 0, facts.sizeDecimals),
    facts.sizeIntDigits,
  );
  if (
    table && table.venueSymbol === venueSymbol && table.priceDecimals === priceDecimals &&
    table.sizeDecimals === sizeDecimals && table.priceTextDecimals >= facts.priceTextDecimals &&
    table.sizeTextDecimals >= facts.sizeTextDecimals
  ) return table;
  const rescale = (steps: number | undefined, from: number | undefined, to: number) =>
    steps === undefined || from === undefined || to < from ? 1 : steps * 10 ** (to - from);
  return makeInstrument({
    venue,
    symbol,
    venueSymbol,
    priceDecimals,
    sizeDecimals,
    priceTextDecimals: Math.min(
      MAX_DIGITS,
      Math.max(priceDecimals, facts.priceTextDecimals, table?.priceTextDecimals ?? 0),
    ),
    sizeTextDecimals: Math.min(
      MAX_DIGITS,
      Math.max(sizeDecimals, facts.sizeTextDecimals, table?.sizeTextDecimals ?? 0),
    ),
    tickSize: rescale(table?.tickSize, table?.priceDecimals, priceDecimals),
    lotSize: rescale(table?.lotSize, table?.sizeDecimals, sizeDecimals),
  });
}

/**
 * `inst` with its scale widened to what `facts` writes (never narrowed), within 15 digits;
 * the tick and lot steps keep their value. `inst` itself when it already fits.
 *
 * @example A metadata tick coarser than the data's text
 * ```ts
 * import assert from "node:assert/strict";
 * import { makeInstrument } from "./instrument.ts";
 * import { widenToData } from "./survey_instruments.ts";
 * const nkn = makeInstrument({ venue: "binance_us", symbol: "NKN/USDT", priceDecimals: 4, sizeDecimals: 8, tickSize: 1 });
 * const facts = { priceDecimals: 5, sizeDecimals: 2, priceTextDecimals: 8, sizeTextDecimals: 8, priceIntDigits: 1, sizeIntDigits: 4 };
 * const wide = widenToData(nkn, facts);
 * assert.equal(wide.priceDecimals, 5);
 * assert.equal(wide.tickSize, 10);
 * ```
 */
export function widenToData(inst: Instrument, facts: DecimalFacts): Instrument {
  const fit = (want: number, intDigits: number) =>
    Math.max(0, Math.min(want, MAX_DIGITS - intDigits));
  const priceDecimals = Math.max(
    inst.priceDecimals,
    fit(facts.priceDecimals, facts.priceIntDigits),
  );
  const sizeDecimals = Math.max(inst.sizeDecimals, fit(facts.sizeDecimals, facts.sizeIntDigits));
  if (priceDecimals === inst.priceDecimals && sizeDecimals === inst.sizeDecimals) return inst;
  return makeInstrument({
    venue: inst.venue,
    symbol: inst.symbol,
    venueSymbol: inst.venueSymbol,
    priceDecimals,
    sizeDecimals,
    priceTextDecimals: Math.min(MAX_DIGITS, Math.max(priceDecimals, inst.priceTextDecimals)),
    sizeTextDecimals: Math.min(MAX_DIGITS, Math.max(sizeDecimals, inst.sizeTextDecimals)),
    tickSize: inst.tickSize * 10 ** (priceDecimals - inst.priceDecimals),
    lotSize: inst.lotSize * 10 ** (sizeDecimals - inst.sizeDecimals),
    ...(inst.minNotional !== undefined ? { minNotional: inst.minNotional } : {}),
  });
}

/**
 * Normalized symbol of a Binance venue symbol: the explicit one when the user named it,
 * else the first split by known quote currency.
 *
 * @throws {RangeError} When the symbol ends in no known quote currency.
 */
export function binanceNormalizedSymbol(venueSymbol: string, explicit?: string): string {
  if (explicit && explicit.replace("/", "") === venueSymbol) return explicit;
  const candidate = binanceSymbolCandidates(venueSymbol)[0];
  if (!candidate) {
    throw new RangeError(
      `Cannot name Binance symbol "${venueSymbol}": no known quote currency; pass --symbol BASE/QUOTE`,
    );
  }
  return candidate;
}

/**
 * One instrument per venue symbol of a surveyed Binance recording, with the snapshots'
 * precision merged into the stream each was attributed to.
 *
 * @param venue Venue tag of the recording.
 * @param survey The survey.
 * @param attribution Venue symbol per snapshot (from `attributeSnapshots`).
 * @param explicit Normalized symbol the user named, if any.
 * @returns Instruments by venue symbol.
 */
export function surveyInstruments(
  venue: "binance" | "binance_us",
  survey: BinanceSurvey,
  attribution: ReadonlyMap<string, string>,
  explicit?: string,
): Map<string, Instrument> {
  const facts = new Map<string, DecimalFacts>();
  for (const [s, sym] of survey.symbols) facts.set(s, { ...sym });
  for (const snap of survey.snapshots) {
    const owner = attribution.get(`${snap.file}:${snap.lineNo}`);
    if (owner === undefined) continue;
    const f = facts.get(owner);
    if (f) mergeFacts(f, snap);
    else facts.set(owner, { ...snap });
  }
  const out = new Map<string, Instrument>();
  for (const [venueSymbol, f] of facts) {
    const symbol = binanceNormalizedSymbol(venueSymbol, explicit);
    out.set(venueSymbol, instrumentForData(venue, symbol, venueSymbol, f));
  }
  return out;
}
