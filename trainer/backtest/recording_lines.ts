/**
 * Reading a recording file's lines: gunzipped when `.gz`, cut into whole lines (bytes, about one
 * batch per chunk), damage reported to the caller; and the `tickerml-events/1` header check.
 *
 * @module
 */

import { isEventsHeader } from "../../core/market/event_line.ts";
import { LineBatcher } from "../../core/market/line_batcher.ts";
import { gunzipChunks, type GunzipIssue } from "../../core/gunzip.ts";

/** The whole lines of a file (gunzipped when `.gz`) as bytes, about one batch per chunk. */
export async function* lineBatches(
  file: string,
  problem: (msg: string) => void,
): AsyncGenerator<Uint8Array> {
  let f: Deno.FsFile;
  try {
    f = await Deno.open(file);
  } catch (e) {
    problem(`${file}: cannot open: ${(e as Error).message}`);
    return;
  }
  let damage: GunzipIssue | undefined;
  const chunks: AsyncIterable<Uint8Array> = file.endsWith(".gz")
    ? gunzipChunks(f.readable, () => Deno.readFile(file), (i) => (damage = i))
    : f.readable;
  const batcher = new LineBatcher();
  try {
    for await (const chunk of chunks) {
      // A plain Uint8Array view: Buffer's indexOf is several times slower per call.
      const plain = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      for (const b of batcher.push(plain)) yield b.bytes;
    }
    const issue = damage as GunzipIssue | undefined;
    // The partial last line of a damaged file is not trustworthy (trailing garbage aside).
    if (!issue || issue.kind === "trailing_garbage") {
      for (const b of batcher.end()) yield b.bytes;
    }
  } catch (e) {
    problem(`${file}: ends early or is corrupt: ${(e as Error).message}`);
  }
  if (damage) problem(`${file}: ${damage.message}`);
}

/** The non-empty lines of a file as text (the survey's pass and the header check). */
export async function* lines(file: string, problem: (msg: string) => void): AsyncGenerator<string> {
  const text = new TextDecoder();
  for await (const bytes of lineBatches(file, problem)) {
    for (let s = 0; s < bytes.length;) {
      let nl = bytes.indexOf(10, s);
      if (nl < 0) nl = bytes.length;
      if (nl > s) yield text.decode(bytes.subarray(s, nl));
      s = nl + 1;
    }
  }
}

/** True when the first line of `file` is a `tickerml-events/1` header. */
export async function isEventsRecording(file: string): Promise<boolean> {
  for await (const text of lines(file, () => {})) return isEventsHeader(text);
  return false;
}
