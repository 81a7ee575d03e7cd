import { gunzipChunks, type GunzipIssue } from "../../core/gunzip.ts";

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
 * Streams the lines of a text file, gunzipping it when its name ends in `.gz`.
 *
 * A truncated or corrupt gzip, or one followed by garbage, does not throw: every
 * complete line `gzip -d` recovers is yielded, then one `error` item says what broke
 * (an empty file gives one `error` item "is empty").
 *
 * @param path File to read.
 */
export async function* readRecordedLines(path: string): AsyncGenerator<RecordedLine> {
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
  const decoder = new TextDecoder();
  let rest = "";
  let lineNo = 0;
  let bytes = 0;
  try {
    for await (const value of chunks) {
      bytes += value.length;
      const chunk = rest + decoder.decode(value, { stream: true });
      let start = 0;
      let nl = chunk.indexOf("\n", start);
      while (nl !== -1) {
        lineNo++;
        const text = chunk.slice(start, nl);
        if (text.length > 0) yield { kind: "line", file: path, lineNo, text };
        start = nl + 1;
        nl = chunk.indexOf("\n", start);
      }
      rest = chunk.slice(start);
    }
    rest += decoder.decode();
    if (damage?.kind === "trailing_garbage") {
      if (rest.length > 0) yield { kind: "line", file: path, lineNo: ++lineNo, text: rest };
      yield {
        kind: "error",
        file: path,
        lineNo,
        message: `after line ${lineNo}: ${damage.message}`,
      };
    } else if (damage) {
      // The partial last line of a damaged file is not trustworthy.
      const message = `file ends early or is corrupt after line ${lineNo}: ${damage.message}`;
      yield { kind: "error", file: path, lineNo: lineNo + 1, message };
    } else if (rest.length > 0) yield { kind: "line", file: path, lineNo: lineNo + 1, text: rest };
    if (bytes === 0 && !damage) {
      yield { kind: "error", file: path, lineNo: 0, message: "is empty" };
    }
  } catch (e) {
    // The partial last line is not trustworthy: report it with the damage.
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
