/**
 * Builds and runs the Rust anchor of `deno task bench:native`
 * (`hftbacktest_anchor.rs`, a re-creation of hftbacktest's `HashMapMarketDepth`).
 * The build is a plain `rustc -O`, cached by the source's hash; it is never part of the
 * tests.
 *
 * @module
 */

import type { BookDelta, BookSnapshot, MarketEvent } from "../../../core/market/events.ts";
import { type Instrument, priceToNumber, sizeToNumber } from "../../../core/market/instrument.ts";
import { sha256Hex } from "../../../core/hash.ts";

const SOURCE = new URL("./hftbacktest_anchor.rs", import.meta.url);

/** Why the anchor could not be built (rustc missing or failing). */
export class AnchorBuildError extends Error {
  /** @param message What failed, with rustc's output. */
  constructor(message: string) {
    super(message);
    this.name = "AnchorBuildError";
  }
}

/**
 * Compiles the anchor with `rustc --edition 2021 -O -C target-cpu=native` unless a binary
 * of the same source is cached.
 *
 * @param cacheDir Where binaries are kept (default `$HOME/.cache/tickerml`).
 * @returns Path of the binary.
 * @throws {AnchorBuildError} When rustc is missing or fails.
 */
export async function buildAnchor(cacheDir?: string): Promise<string> {
  const source = await Deno.readFile(SOURCE);
  const tag = sha256Hex(source).slice(0, 12);
  const dir = cacheDir ?? `${Deno.env.get("HOME") ?? "/tmp"}/.cache/tickerml`;
  const out = `${dir}/hftbacktest_anchor-${tag}`;
  try {
    await Deno.stat(out);
    return out;
  } catch { /* not built yet */ }
  await Deno.mkdir(dir, { recursive: true });
  const args = ["--edition", "2021", "-O", "-C", "target-cpu=native", "-o", out, SOURCE.pathname];
  let r: Deno.CommandOutput;
  try {
    r = await new Deno.Command("rustc", { args, stdout: "piped", stderr: "piped" }).output();
  } catch (e) {
    throw new AnchorBuildError(`cannot run rustc: ${(e as Error).message}`);
  }
  if (!r.success) {
    throw new AnchorBuildError(
      `rustc ${args.join(" ")} failed:\n${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return out;
}

/**
 * Writes the anchor's input: f64 records `[kind, side, price, qty]` (kind 0 snapshot level,
 * 1 delta level, 2 end of a depth message, 3 trade; side 1 bid / taker buy, -1 ask / sell).
 *
 * @param path Output file.
 * @param inst Instrument of the prices and sizes.
 * @param snapshot The snapshot the book starts from.
 * @param events Deltas and trades after the snapshot, in order.
 */
export async function writeAnchorEvents(
  path: string,
  inst: Instrument,
  snapshot: BookSnapshot,
  events: readonly (BookDelta | MarketEvent)[],
): Promise<void> {
  const rows: number[] = [];
  const level = (kind: number, side: number, p: number, q: number) =>
    rows.push(kind, side, priceToNumber(inst, p as never), sizeToNumber(inst, q as never));
  for (const [p, q] of snapshot.bids) level(0, 1, p, q);
  for (const [p, q] of snapshot.asks) level(0, -1, p, q);
  for (const e of events) {
    if (e.kind === "delta") {
      for (const [p, q] of e.bids) level(1, 1, p, q);
      for (const [p, q] of e.asks) level(1, -1, p, q);
      rows.push(2, 0, 0, 0);
    } else if (e.kind === "trade") {
      level(3, e.takerSide === "buy" ? 1 : -1, e.price, e.size);
    }
  }
  const buf = new Float64Array(rows);
  await Deno.writeFile(path, new Uint8Array(buf.buffer));
}

/** Result of one timed process run. */
export interface ProcessRun {
  /** Wall time of the whole process, ms. */
  wallMs: number;
  /** Peak resident set, MiB (from /usr/bin/time), or undefined when unavailable. */
  peakMiB: number | undefined;
  /** User + system CPU time of the process tree, ms (10 ms resolution), or NaN. */
  cpuMs: number;
  /** The process's stdout. */
  stdout: string;
}

/**
 * Runs a shell command line under `/usr/bin/time -f %M` for its wall time and peak RSS.
 *
 * @param script A `sh -c` script.
 * @throws {Error} When the command fails.
 */
export async function timedProcess(script: string): Promise<ProcessRun> {
  const t0 = performance.now();
  const r = await new Deno.Command("/usr/bin/time", {
    args: ["-f", "__peak_kib %M %U %S", "sh", "-c", script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallMs = performance.now() - t0;
  const stderr = new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`command failed: ${script}\n${stderr.slice(-2_000)}`);
  const m = stderr.match(/__peak_kib (\d+) ([\d.]+) ([\d.]+)/);
  return {
    wallMs,
    peakMiB: m ? Number(m[1]) / 1024 : undefined,
    cpuMs: m ? (Number(m[2]) + Number(m[3])) * 1000 : NaN,
    stdout: new TextDecoder().decode(r.stdout),
  };
}

/** Single-quotes a path for `sh`. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}
