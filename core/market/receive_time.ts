/**
 * Converts a nanosecond epoch timestamp written as decimal text (recordings' `<ns>` column)
 * to epoch milliseconds. The integer milliseconds are taken from the text, so a whole-millisecond
 * time comes back exactly (`Number("1795507964662000000") / 1e6` would not: the nanosecond
 * count is beyond 2^53 and rounds first).
 *
 * @param text Digits only, e.g. "1723161253937085768".
 * @returns Epoch ms (fraction = the sub-millisecond part), or undefined when the text is not a
 *   positive integer of at most 22 digits.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { nsTextToMs } from "./receive_time.ts";
 * assert.equal(nsTextToMs("1795507964662000000"), 1795507964662);
 * assert.equal(nsTextToMs("12x"), undefined);
 * ```
 */
export function nsTextToMs(text: string): number | undefined {
  if (!/^[0-9]{1,22}$/.test(text)) return undefined;
  const ms = text.length > 6 ? Number(text.slice(0, -6)) : 0;
  const sub = Number(text.slice(-6)) / 1e6;
  const value = ms + sub;
  return value > 0 && Number.isSafeInteger(ms) ? value : undefined;
}
