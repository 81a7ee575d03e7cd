import { gunzipChunks, type GunzipIssue } from "../../core/gunzip.ts";
import { LineBatcher } from "../../core/market/line_batcher.ts";

/** One line of a recording file, or the error that ended the file early. */
export type RecordedLine =
  | { readonly kind: "line"; readonly file: string; readonly lineNo: number; readonly text: string }
  | {
    readonly kind: "error";
    readonly file: string;
    readonly lineNo: number;
    readonly message: string;
  };

/**
 * Whole lines of a recording file as bytes (`bytes` holds line `firstLineNo` onwards, each
 * ended by "\n" except perhaps the file's last), or the error that ended the file early.
 */
export type RecordedBatch =
  | {
    readonly kind: "lines";
    readonly file: string;
    readonly firstLineNo: number;
    readonly bytes: Uint8Array;
  }
  | {
    readonly kind: "error";
    readonly file: string;
    readonly lineNo: number;
    readonly message: string;
  };

/**
 * Streams the lines of a file in batches of bytes (about one per decompressed chunk, a few
 * hundred KiB), gunzipping it when its name ends in `.gz`. Hot consumers decode a batch's
 * lines in place and synchronously (`BinanceLineDecoder.decodeBytes`), so a whole recording
 * costs one `await` per chunk and no string per line.
 *
 * A truncated or corrupt gzip, or one followed by garbage, does not throw: every
 * complete line `gzip -d` recovers is yielded, then one `error` item says what broke
 * (an empty file gives one `error` item "is empty").
 *
 * @param path File to read.
 */
export async function* readRecordedBatches(path: string): AsyncGenerator<RecordedBatch> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    yield { kind: "error", file: path, lineNo: 0, message: `cannot open: ${(e as Error).message}` };
    return;
  }
  let damage: GunzipIssue | undefined;
  const chunks: AsyncIterable<Uint8Array> = path.endsWith(".gz")
    ? gunzipChunks(file.readable, () => Deno.readFile(path), (i) => (damage = i))
    : file.readable;
  const batcher = new LineBatcher();
  let bytes = 0;
  try {
    for await (const value of chunks) {
      bytes += value.length;
      // A plain Uint8Array view: Buffer's indexOf is several times slower per call.
      const plain = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      for (const b of batcher.push(plain)) yield { kind: "lines", file: path, ...b };
    }
    const issue = damage as GunzipIssue | undefined;
    if (issue && issue.kind !== "trailing_garbage") {
      // The partial last line of a damaged file is not trustworthy.
      const lineNo = batcher.lineCount;
      const message = `file ends early or is corrupt after line ${lineNo}: ${issue.message}`;
      yield { kind: "error", file: path, lineNo: lineNo + 1, message };
    } else {
      for (const b of batcher.end()) yield { kind: "lines", file: path, ...b };
      if (issue) {
        const lineNo = batcher.lineCount;
        yield {
          kind: "error",
          file: path,
          lineNo,
          message: `after line ${lineNo}: ${issue.message}`,
        };
      }
    }
    if (bytes === 0 && !issue) {
      yield { kind: "error", file: path, lineNo: 0, message: "is empty" };
    }
  } catch (e) {
    // The partial last line is not trustworthy: report it with the damage.
    const lineNo = batcher.lineCount;
    yield {
      kind: "error",
      file: path,
      lineNo: lineNo + 1,
      message: `file ends early or is corrupt after line ${lineNo}: ${(e as Error).message}`,
    };
  } finally {
    try {
      file.close();
    } catch { /* already closed by the stream */ }
  }
}

/**
 * Streams the lines of a text file one by one as strings (see {@linkcode readRecordedBatches},
 * which hot paths should use); empty lines are skipped but counted in `lineNo`.
 *
 * @param path File to read.
 */
export async function* readRecordedLines(path: string): AsyncGenerator<RecordedLine> {
  const text = new TextDecoder("utf-8", { ignoreBOM: true });
  for await (const batch of readRecordedBatches(path)) {
    if (batch.kind === "error") {
      yield batch;
      continue;
    }
    const { file, bytes } = batch;
    let lineNo = batch.firstLineNo;
    for (let s = 0; s < bytes.length; lineNo++) {
      let nl = bytes.indexOf(10, s);
      if (nl < 0) nl = bytes.length;
      if (nl > s) yield { kind: "line", file, lineNo, text: text.decode(bytes.subarray(s, nl)) };
      s = nl + 1;
    }
  }
}
