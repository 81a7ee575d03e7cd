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
 * A truncated or corrupt gzip does not throw: every complete line read before the
 * damage is yielded, then one `error` item says where the file broke.
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
  let stream: ReadableStream<Uint8Array> = file.readable;
  if (path.endsWith(".gz")) {
    stream = stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  }
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let rest = "";
  let lineNo = 0;
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
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
    if (rest.length > 0) yield { kind: "line", file: path, lineNo: lineNo + 1, text: rest };
  } catch (e) {
    // The partial last line is not trustworthy: report it with the damage.
    yield {
      kind: "error",
      file: path,
      lineNo: lineNo + 1,
      message: `file ends early or is corrupt after line ${lineNo}: ${(e as Error).message}`,
    };
  } finally {
    reader.releaseLock();
    try {
      file.close();
    } catch { /* already closed by the stream */ }
  }
}
