/**
 * Cuts a stream of byte chunks (a decompressed recording) into batches of whole lines
 * without turning them into strings, so the readers can decode a chunk's lines in place
 * and synchronously.
 *
 * @module
 */

/** Consecutive whole lines: `bytes` holds line `firstLineNo` onwards, each ended by "\n" (the last line of a file may lack it). */
export interface LineBatch {
  /** Number (1-based) of the first line in `bytes`. */
  readonly firstLineNo: number;
  /** The lines' bytes, newlines included. */
  readonly bytes: Uint8Array;
}

const NL = 10;

/**
 * Collects chunks and hands back whole lines; a line split across chunks is joined.
 * A UTF-8 byte order mark at the very start is dropped, as `TextDecoder` drops it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { LineBatcher } from "./line_batcher.ts";
 * const b = new LineBatcher();
 * const enc = new TextEncoder();
 * const got = [...b.push(enc.encode("a\nb")), ...b.push(enc.encode("c\nd")), ...b.end()];
 * assert.deepEqual(got.map((x) => [x.firstLineNo, new TextDecoder().decode(x.bytes)]), [
 *   [1, "a\n"], [2, "bc\n"], [3, "d"],
 * ]);
 * ```
 */
export class LineBatcher {
  #carry: Uint8Array | undefined;
  #lines = 0;
  #started = false;

  /** Lines handed out so far. */
  get lineCount(): number {
    return this.#lines;
  }

  /**
   * Adds one chunk.
   *
   * @param chunk The next bytes of the stream (not kept: whole lines are views of it, a
   *   trailing partial line is copied).
   * @returns Zero, one or two batches of whole lines.
   */
  push(chunk: Uint8Array): LineBatch[] {
    let from = 0;
    if (!this.#started && chunk.length > 0) {
      this.#started = true;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) from = 3;
    }
    const out: LineBatch[] = [];
    if (this.#carry !== undefined) {
      const nl = chunk.indexOf(NL, from);
      if (nl < 0) {
        this.#carry = concat(this.#carry, chunk.subarray(from));
        return out;
      }
      out.push({
        firstLineNo: this.#lines + 1,
        bytes: concat(this.#carry, chunk.subarray(from, nl + 1)),
      });
      this.#lines++;
      this.#carry = undefined;
      from = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= from) {
      const bytes = chunk.subarray(from, last + 1);
      out.push({ firstLineNo: this.#lines + 1, bytes });
      this.#lines += countLines(bytes);
      from = last + 1;
    }
    if (from < chunk.length) this.#carry = chunk.slice(from);
    return out;
  }

  /** Ends the stream: the last line, when it has no newline. */
  end(): LineBatch[] {
    const carry = this.#carry;
    this.#carry = undefined;
    if (carry === undefined || carry.length === 0) return [];
    this.#lines++;
    return [{ firstLineNo: this.#lines, bytes: carry }];
  }
}

function countLines(bytes: Uint8Array): number {
  let n = 0;
  for (let i = bytes.indexOf(NL); i >= 0; i = bytes.indexOf(NL, i + 1)) n++;
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
