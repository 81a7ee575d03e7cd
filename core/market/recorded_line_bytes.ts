/**
 * A recorded line `<receive ns> <frame>` read as UTF-8 bytes: where the frame starts, the
 * receive time, and the Binance envelope (`{"stream":"<name>","data":{…}}`) of the frame.
 * Shared by the byte-level decoder and the byte-level survey so both see a line the same
 * way (and the same way as `splitRecordedLine` on text).
 *
 * @module
 */

import { startsWith } from "./json_cursor.ts";
import { nsTextToMs } from "./receive_time.ts";

/** "Not a usable value": the caller takes the slow path. */
const NO = -1;
const SPACE = 32;
const Q = 34; // "
const BSLASH = 92;
const RBRACE = 125;
const ascii = (s: string) => new TextEncoder().encode(s);
/** `{"stream":"`, the head of a combined-stream envelope. */
export const STREAM_HEAD: Uint8Array = ascii('{"stream":"');
/** `","data":{`, between the stream name and the data object. */
export const DATA_HEAD: Uint8Array = ascii('","data":{');
const BOOK_TICKER = ascii("@bookTicker");
const DEPTH_UPDATE = ascii("depthUpdate");
const TRADE = ascii("trade");
const AGG_TRADE = ascii("aggTrade");
/** Event type `depthUpdate` ({@linkcode binanceEventType}). */
export const E_DEPTH = 1;
/** Event type `trade`. */
export const E_TRADE = 2;
/** Event type `aggTrade`. */
export const E_AGG = 3;
/** Any other event type. */
export const E_OTHER = 4;

/**
 * Receive time of the line in `b[start, end)`, as `splitRecordedLine` reads it.
 *
 * @param text Decoder for the rare prefixes the byte reader leaves to `nsTextToMs`.
 * @returns Epoch ms, or undefined when the line does not start with `<ns> `. The frame
 *   starts after the first space ({@linkcode frameStart}).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineReceiveTime } from "./recorded_line_bytes.ts";
 * const b = new TextEncoder().encode("1795507964662000000 {}");
 * assert.equal(lineReceiveTime(b, 0, b.length, new TextDecoder()), 1795507964662);
 * ```
 */
export function lineReceiveTime(
  b: Uint8Array,
  start: number,
  end: number,
  text: TextDecoder,
): number | undefined {
  const sp = spaceAt(b, start, end);
  if (sp === start || sp === end) return undefined;
  let ms = NO;
  if (sp - start > 6 && sp - start <= 22) ms = nsPrefixMs(b, start, sp);
  return ms === NO ? nsTextToMs(text.decode(b.subarray(start, sp))) : ms;
}

/** Index of the first space of `b[start, end)` (end when none): the frame starts after it. */
export function spaceAt(b: Uint8Array, start: number, end: number): number {
  let sp = start;
  while (sp < end && b[sp] !== SPACE) sp++;
  return sp;
}

/**
 * End of the stream name of a Binance envelope whose frame starts at `f`: the index of
 * the name's closing quote, or -1 when the frame is not an envelope in the compact shape
 * (`{"stream":"<plain ASCII>","data":{…}}`, the data object closing the line).
 */
export function envelopeNameEnd(b: Uint8Array, f: number, end: number): number {
  if (!startsWith(b, f, end, STREAM_HEAD)) return NO;
  let s1 = f + STREAM_HEAD.length;
  for (; s1 < end; s1++) {
    const c = b[s1] as number;
    if (c === Q) break;
    // Escapes, control and non-ASCII characters: not the compact shape.
    if (c === BSLASH || c < 32 || c > 126) return NO;
  }
  if (!startsWith(b, s1, end, DATA_HEAD)) return NO;
  if (b[end - 1] !== RBRACE || b[end - 2] !== RBRACE) return NO;
  return s1;
}

/** Whether the envelope's stream name (ending at `nameEnd`, from {@linkcode envelopeNameEnd}) is a `@bookTicker` stream. */
export function isBookTicker(b: Uint8Array, f: number, nameEnd: number): boolean {
  return nameEnd - (f + STREAM_HEAD.length) >= BOOK_TICKER.length &&
    startsWith(b, nameEnd - BOOK_TICKER.length, nameEnd, BOOK_TICKER);
}

/**
 * Epoch ms of a 7..22 digit `<ns>` prefix in `b[start, sp)`, computed as `nsTextToMs` does;
 * NO when a byte is not a digit or the value is not usable (the caller then asks `nsTextToMs`).
 */
function nsPrefixMs(b: Uint8Array, start: number, sp: number): number {
  let ms = 0;
  const cut = sp - 6;
  for (let i = start; i < cut; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return NO;
    ms = ms * 10 + c;
  }
  let sub = 0;
  for (let i = cut; i < sp; i++) {
    const c = (b[i] as number) - 48;
    if (c < 0 || c > 9) return NO;
    sub = sub * 10 + c;
  }
  if (!Number.isSafeInteger(ms)) return NO;
  const value = ms + sub / 1e6;
  return value > 0 ? value : NO;
}

/** The Binance event type spelled by `b[p, s)` (a string's content): E_DEPTH, E_TRADE, E_AGG or E_OTHER. */
export function binanceEventType(b: Uint8Array, p: number, s: number): number {
  if (s - p === DEPTH_UPDATE.length && startsWith(b, p, s, DEPTH_UPDATE)) return E_DEPTH;
  if (s - p === TRADE.length && startsWith(b, p, s, TRADE)) return E_TRADE;
  if (s - p === AGG_TRADE.length && startsWith(b, p, s, AGG_TRADE)) return E_AGG;
  return E_OTHER;
}
