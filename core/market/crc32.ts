/**
 * Standard CRC-32 (ISO-HDLC / zlib: reflected polynomial 0xEDB88320, init and
 * final XOR 0xFFFFFFFF), as used by Kraken's order-book checksum.
 *
 * @module
 */

const TABLE: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 of an ASCII string (each UTF-16 code unit is taken as one byte, so only
 * pass ASCII, as checksum strings of digits are).
 *
 * @param text ASCII text.
 * @returns The unsigned 32-bit CRC.
 *
 * @example The zlib check value
 * ```ts
 * import assert from "node:assert/strict";
 * import { crc32Ascii } from "./crc32.ts";
 * assert.equal(crc32Ascii("123456789"), 0xCBF43926);
 * ```
 */
export function crc32Ascii(text: string): number {
  let c = 0xFFFFFFFF;
  for (let i = 0; i < text.length; i++) {
    c = (TABLE[(c ^ text.charCodeAt(i)) & 0xFF] as number) ^ (c >>> 8);
  }
  return (c ^ 0xFFFFFFFF) >>> 0;
}
