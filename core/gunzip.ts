/**
 * Gzip decompression that recovers what `gzip -d` recovers: every member of a
 * multi-member file, everything before a truncation, and everything before trailing
 * garbage. Pure computation over byte chunks (the caller opens the file); each
 * damage is reported once through `onIssue`, never silently dropped.
 *
 * @module
 */

import zlib from "node:zlib";

/** One problem with a gzip input. */
export interface GunzipIssue {
  /** What is wrong. */
  readonly kind: "not_gzip" | "truncated" | "trailing_garbage" | "corrupt";
  /** A sentence for the user. */
  readonly message: string;
}

/** Decompressed chunks zlib may run ahead of the reader (2 MiB). */
const AHEAD = 8;
const MAGIC0 = 0x1f;
const MAGIC1 = 0x8b;

/** Length of a gzip member header at `at`, or -1 when `buf` holds no valid header there. */
function headerLength(buf: Uint8Array, at: number): number {
  if (buf[at] !== MAGIC0 || buf[at + 1] !== MAGIC1 || buf[at + 2] !== 8) return -1;
  const flags = buf[at + 3] as number;
  let p = at + 10;
  if (flags & 4) p += 2 + ((buf[p] as number) | ((buf[p + 1] as number) << 8));
  if (flags & 8) { while (p < buf.length && buf[p++] !== 0); }
  if (flags & 16) { while (p < buf.length && buf[p++] !== 0); }
  if (flags & 2) p += 2;
  return p <= buf.length ? p - at : -1;
}

/**
 * Decompresses a whole gzip buffer member by member, stopping at garbage or
 * truncation like `gzip -d`. Used when the streaming path hit damage.
 *
 * @returns The bytes recovered and the issue that stopped it, if any.
 */
export function gunzipRecover(buf: Uint8Array): { bytes: Uint8Array; issue?: GunzipIssue } {
  const parts: Uint8Array[] = [];
  let at = 0;
  let issue: GunzipIssue | undefined;
  while (at < buf.length) {
    const h = headerLength(buf, at);
    if (h < 0) {
      issue = at === 0 ? { kind: "not_gzip", message: "is not a gzip file (no gzip header)" } : {
        kind: "trailing_garbage",
        message: `has ${buf.length - at} bytes of trailing garbage after the gzip data (ignored)`,
      };
      break;
    }
    try {
      const r = zlib.inflateRawSync(buf.subarray(at + h), { info: true }) as unknown as {
        buffer: Uint8Array;
        engine: { bytesWritten: number };
      };
      parts.push(r.buffer);
      at += h + r.engine.bytesWritten + 8;
      if (at > buf.length) {
        issue = { kind: "truncated", message: "ends early (gzip trailer missing)" };
      }
    } catch {
      // Truncated or corrupt deflate data: keep what a flushing inflate gives, like gzip -d.
      try {
        parts.push(
          zlib.inflateRawSync(buf.subarray(at + h), {
            finishFlush: zlib.constants.Z_SYNC_FLUSH,
          }) as unknown as Uint8Array,
        );
        issue = { kind: "truncated", message: "ends early or is corrupt (gzip data cut short)" };
      } catch (e) {
        issue = { kind: "corrupt", message: `is corrupt gzip data: ${(e as Error).message}` };
      }
      break;
    }
  }
  let n = 0;
  for (const p of parts) n += p.length;
  const bytes = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    bytes.set(p, o);
    o += p.length;
  }
  return issue ? { bytes, issue } : { bytes };
}

/**
 * Streams the decompressed bytes of a gzip input. On damage (trailing garbage, a
 * truncated or corrupt member) it re-reads the whole input through
 * {@linkcode gunzipRecover}, yields what the stream had not yet given, and reports
 * the issue.
 *
 * @param input The compressed bytes, in chunks.
 * @param reread Reads the whole compressed input again (only called on damage).
 * @param onIssue Told about the damage, once.
 */
export async function* gunzipChunks(
  input: AsyncIterable<Uint8Array>,
  reread: () => Promise<Uint8Array>,
  onIssue: (issue: GunzipIssue) => void,
): AsyncGenerator<Uint8Array> {
  // 256 KiB output chunks (not 16 KiB): a reader awaits once per chunk.
  const gz = zlib.createGunzip({ chunkSize: 256 << 10 });
  const queue: Uint8Array[] = [];
  let failed: Error | undefined;
  let ended = false;
  let paused = false;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  gz.on("data", (c: Uint8Array) => {
    queue.push(c);
    if (queue.length >= AHEAD) {
      gz.pause();
      paused = true;
    }
    poke();
  });
  gz.on("error", (e: Error) => {
    failed = e;
    poke();
  });
  gz.on("end", () => {
    ended = true;
    poke();
  });
  // The input is fed without waiting for each piece to inflate, so zlib (on its own thread)
  // works ahead while the reader decodes; it pauses AHEAD chunks ahead of the reader.
  let taken = 0;
  let fed = false;
  let readError: unknown;
  const feeding = (async () => {
    try {
      for await (const chunk of input) {
        if (failed) break;
        taken += chunk.length;
        gz.write(chunk);
      }
    } catch (e) {
      readError = e;
    }
    fed = true;
    if (!failed && readError === undefined) gz.end();
    poke();
  })();
  let given = 0;
  while (true) {
    const c = queue.shift();
    if (c !== undefined) {
      given += c.length;
      if (paused && queue.length < AHEAD >> 1) {
        paused = false;
        gz.resume();
      }
      yield c;
      continue;
    }
    if (failed || ended || (fed && readError !== undefined)) break;
    await new Promise<void>((r) => (wake = r));
  }
  await feeding;
  if (readError !== undefined) {
    gz.destroy();
    throw readError;
  }
  if (!failed) {
    // zlib stops quietly at zero bytes after a member: gzip -d calls that trailing garbage.
    const consumed = (gz as unknown as { bytesWritten: number }).bytesWritten;
    if (consumed < taken) {
      onIssue({
        kind: "trailing_garbage",
        message: `has ${taken - consumed} bytes of trailing garbage after the gzip data (ignored)`,
      });
    }
  }
  if (!failed) return;
  const { bytes, issue } = gunzipRecover(await reread());
  if (bytes.length > given) yield bytes.subarray(given);
  onIssue(issue ?? { kind: "corrupt", message: `is corrupt gzip data: ${failed.message}` });
}
