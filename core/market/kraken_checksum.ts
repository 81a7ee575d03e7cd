/**
 * Kraken's order-book checksum (WS v1 and v2 share the rule): CRC-32 over the top
 * 10 asks (low to high) then the top 10 bids (high to low), each level written as
 * price then quantity in the venue's decimal text with the dot and the leading
 * zeros removed. Trailing zeros matter, so the text is rebuilt from the exact
 * fixed-point values with the instrument's text decimals (`priceTextDecimals`,
 * `sizeTextDecimals`), never from floats.
 *
 * @module
 */

import { crc32Ascii } from "./crc32.ts";
import { formatScaled } from "./fixed_point.ts";
import type { OrderBook } from "./order_book.ts";

/** Levels per side that the checksum covers. */
export const KRAKEN_CHECKSUM_LEVELS = 10;

/**
 * One value as it enters the checksum string: decimal text without the dot and
 * without leading zeros ("0.00100000" -> "100000", "45281.0" -> "452810").
 *
 * @param value Fixed-point integer.
 * @param decimals Scale of `value`.
 * @param textDecimals Decimals the venue writes.
 */
export function krakenChecksumField(value: number, decimals: number, textDecimals: number): string {
  const text = formatScaled(value, decimals, textDecimals).replace(".", "");
  let i = 0;
  while (i < text.length - 1 && text.charCodeAt(i) === 48) i++;
  return text.slice(i);
}

/**
 * The string the checksum is computed over.
 *
 * @param book Book whose instrument carries Kraken's text decimals for the pair.
 */
export function krakenChecksumString(book: OrderBook): string {
  const inst = book.instrument;
  let out = "";
  for (const side of ["ask", "bid"] as const) {
    for (const [price, size] of book.top(side, KRAKEN_CHECKSUM_LEVELS)) {
      out += krakenChecksumField(price, inst.priceDecimals, inst.priceTextDecimals);
      out += krakenChecksumField(size, inst.sizeDecimals, inst.sizeTextDecimals);
    }
  }
  return out;
}

/**
 * Kraken's CRC-32 book checksum; usable as the `OrderBook.verifyChecksum` routine.
 *
 * @param book Book whose instrument carries Kraken's text decimals for the pair.
 * @returns The unsigned 32-bit checksum.
 *
 * @example Verify a book against the venue's value
 * ```ts
 * import assert from "node:assert/strict";
 * import { krakenChecksum } from "./kraken_checksum.ts";
 * import { makeInstrument } from "./instrument.ts";
 * import { OrderBook } from "./order_book.ts";
 * import type { Lots, Ticks } from "./fixed_point.ts";
 * const inst = makeInstrument({ venue: "kraken", symbol: "BTC/USD", priceDecimals: 1, sizeDecimals: 8 });
 * const book = new OrderBook(inst);
 * book.set("ask", 452852 as Ticks, 100000 as Lots);
 * book.set("bid", 452835 as Ticks, 10000000 as Lots);
 * assert.equal(book.verifyChecksum(krakenChecksum(book), krakenChecksum), true);
 * ```
 */
export function krakenChecksum(book: OrderBook): number {
  return crc32Ascii(krakenChecksumString(book));
}
