/**
 * Reader for cryptofeed's raw-data recordings (`sample_data/`): `EXCH.0` (REST
 * metadata + a `configuration:` line), `EXCH.http.N.0` (REST snapshots) and
 * `EXCH.ws.N.0` (one WebSocket connection each).
 *
 * @module
 */

/** One line of a cryptofeed recording. */
export type CryptofeedRecord =
  /** `url <-> ts`: a WebSocket connection opened. */
  | { readonly kind: "connect"; readonly url: string; readonly time: number }
  /** `url <- ts: body`: a message the client sent. */
  | { readonly kind: "sent"; readonly url: string; readonly time: number; readonly body: string }
  /** `ts: body`: a frame the client received. */
  | { readonly kind: "received"; readonly time: number; readonly body: string }
  /** `url -> ts: body`: a REST response. */
  | { readonly kind: "http"; readonly url: string; readonly time: number; readonly body: string }
  /** `configuration: {...}`: the feed's channels and symbols. */
  | { readonly kind: "config"; readonly body: string }
  /** A line that matches none of the forms. */
  | { readonly kind: "bad"; readonly line: string };

const URL_LINE = /^(\S+) (<->|<-|->) (\d+(?:\.\d+)?)(?:: ([\s\S]*))?$/;
const FRAME_LINE = /^(\d+(?:\.\d+)?): ([\s\S]*)$/;

/**
 * Parses one recording line. Times are converted from epoch seconds to epoch ms.
 *
 * @example A received frame
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseCryptofeedLine } from "./cryptofeed_records.ts";
 * const r = parseCryptofeedLine('1633998274.5: {"a":1}');
 * assert.deepEqual(r, { kind: "received", time: 1633998274500, body: '{"a":1}' });
 * ```
 */
export function parseCryptofeedLine(line: string): CryptofeedRecord {
  if (line.startsWith("configuration: ")) return { kind: "config", body: line.slice(15) };
  const frame = FRAME_LINE.exec(line);
  if (frame) {
    return { kind: "received", time: seconds(frame[1] as string), body: frame[2] as string };
  }
  const m = URL_LINE.exec(line);
  if (!m) return { kind: "bad", line };
  const url = m[1] as string;
  const time = seconds(m[3] as string);
  const body = m[4];
  if (m[2] === "<->") return { kind: "connect", url, time };
  if (body === undefined) return { kind: "bad", line };
  return m[2] === "<-" ? { kind: "sent", url, time, body } : { kind: "http", url, time, body };
}

function seconds(text: string): number {
  return Math.round(Number(text) * 1e6) / 1e3;
}

/** The files of one exchange's recording, found from a path prefix such as `dir/KRAKEN`. */
export interface CryptofeedFiles {
  /** `PREFIX.0`, when present. */
  readonly metadata: string | undefined;
  /** `PREFIX.http.N.0` files, in name order. */
  readonly http: readonly string[];
  /** `PREFIX.ws.N.0` files, in name order. */
  readonly ws: readonly string[];
}

/** Lists the recording files for a prefix (`/path/to/KRAKEN` -> KRAKEN.0, KRAKEN.ws.*.0, ...). */
export async function findCryptofeedFiles(prefix: string): Promise<CryptofeedFiles> {
  const slash = prefix.lastIndexOf("/");
  const dir = slash < 0 ? "." : prefix.slice(0, slash) || "/";
  const base = prefix.slice(slash + 1);
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) if (e.isFile) names.push(e.name);
  names.sort();
  const full = (n: string) => (slash < 0 ? n : `${dir}/${n}`);
  const http = new RegExp(`^${escape(base)}\\.http\\.\\d+\\.\\d+$`);
  const ws = new RegExp(`^${escape(base)}\\.ws\\.\\d+\\.\\d+$`);
  return {
    metadata: names.includes(`${base}.0`) ? full(`${base}.0`) : undefined,
    http: names.filter((n) => http.test(n)).map(full),
    ws: names.filter((n) => ws.test(n)).map(full),
  };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Reads a recording file as records (the files are small: tens of MB at most). */
export async function readCryptofeedFile(path: string): Promise<CryptofeedRecord[]> {
  const text = await Deno.readTextFile(path);
  return text.split("\n").filter((l) => l.length > 0).map(parseCryptofeedLine);
}
