/**
 * `deno task replay --format cryptofeed --venue binance_us|kraken|kucoin|coinbase PREFIX`:
 * replays a cryptofeed raw-data recording (REST metadata, REST snapshots and
 * WebSocket frames, merged in receive-time order) through the real venue parsers
 * and book syncs, and prints one JSON summary per symbol.
 *
 * @module
 */

import { parseFlags } from "../../infra/cli/flags.ts";
import { UsageError } from "../../infra/cli/usage_error.ts";
import {
  type CryptofeedRecord,
  findCryptofeedFiles,
  readCryptofeedFile,
} from "../recording/cryptofeed_records.ts";
import { BookTracker, type SymbolReplaySummary } from "./cryptofeed/book_tracker.ts";
import {
  CRYPTOFEED_NAMES,
  cryptofeedDecoder,
  type CryptofeedVenue,
} from "./cryptofeed/decoders.ts";

/** Summary of one cryptofeed replay. */
export interface CryptofeedReplaySummary {
  venue: CryptofeedVenue;
  files: string[];
  frames: number;
  snapshots_rest: number;
  dropped_levels: number;
  bad_frames: number;
  venue_errors: number;
  control: number;
  ignored: number;
  errors: string[];
  symbols: Record<string, SymbolReplaySummary>;
}

const VENUES = Object.keys(CRYPTOFEED_NAMES) as CryptofeedVenue[];

/**
 * Replays one venue's cryptofeed recording.
 *
 * @param prefix Path prefix of the files (`dir/KRAKEN`), or a directory holding them.
 * @param venue Venue of the recording.
 * @param options Most error messages kept (all are counted). Default 20.
 * @throws {Error} When the prefix has no metadata file or no WebSocket file.
 */
export async function replayCryptofeed(
  prefix: string,
  venue: CryptofeedVenue,
  options: { maxErrors?: number } = {},
): Promise<CryptofeedReplaySummary> {
  const maxErrors = options.maxErrors ?? 20;
  let stem = prefix;
  try {
    if ((await Deno.stat(prefix)).isDirectory) stem = `${prefix}/${CRYPTOFEED_NAMES[venue]}`;
  } catch { /* a prefix, not a path */ }
  const files = await findCryptofeedFiles(stem);
  if (!files.metadata || files.ws.length === 0) {
    throw new Error(`Cannot replay ${stem}: need ${stem}.0 and at least one ${stem}.ws.N.0`);
  }
  const meta = (await readCryptofeedFile(files.metadata)).find((r) => r.kind === "http");
  if (!meta || meta.kind !== "http") {
    throw new Error(`Cannot replay: ${files.metadata} has no body`);
  }
  const decoder = cryptofeedDecoder(venue, meta.body);
  const tracker = new BookTracker((s) => decoder.instrument(s), (i) => decoder.makeSync(i));

  const records: CryptofeedRecord[] = [];
  for (const f of [...files.http, ...files.ws]) records.push(...await readCryptofeedFile(f));
  // Stable merge by receive time: REST snapshots land between the frames received around them.
  decoder.prepare(records);
  const timed = records.map((r, i) => ({ r, i, t: "time" in r ? r.time : 0 }));
  timed.sort((a, b) => a.t - b.t || a.i - b.i);

  const summary: CryptofeedReplaySummary = {
    venue,
    files: [files.metadata, ...files.http, ...files.ws],
    frames: 0,
    snapshots_rest: 0,
    dropped_levels: 0,
    bad_frames: 0,
    venue_errors: 0,
    control: 0,
    ignored: 0,
    errors: [],
    symbols: {},
  };
  const bad = (msg: string) => {
    summary.bad_frames++;
    if (summary.errors.length < maxErrors) summary.errors.push(msg);
  };
  for (const { r } of timed) {
    try {
      if (r.kind === "sent") decoder.sent(r.body);
      else if (r.kind === "bad") bad(`unreadable line: ${r.line.slice(0, 80)}`);
      else if (r.kind === "http") {
        const ev = decoder.http(r.url, r.body, r.time);
        if (ev) {
          summary.snapshots_rest++;
          tracker.feed(ev);
        }
      } else if (r.kind === "received") {
        summary.frames++;
        const parsed = decoder.frame(r.body, r.time);
        summary.dropped_levels += parsed.droppedLevels ?? 0;
        for (const item of parsed.items) {
          if (item.kind === "control") {
            if (item.type === "ignored") summary.ignored++;
            else summary.control++;
          } else if (item.kind === "venue_error") summary.venue_errors++;
          else tracker.feed(item);
        }
      }
    } catch (e) {
      bad(`${venue} @${"time" in r ? r.time : "?"}: ${(e as Error).message}`);
    }
  }
  summary.dropped_levels += decoder.restDrops.n;
  summary.symbols = tracker.summaries();
  return summary;
}

/**
 * CLI entry: `[--format cryptofeed] --venue V [--json] PREFIX...`. Prints one JSON line per
 * symbol (`{"venue","symbol",...summary}`) then a totals line; `--json` prints the
 * whole summary as one JSON document instead.
 *
 * @returns Exit code: 0 on success, 1 when a book had gaps or checksum failures, a depth
 *   stream never built a book, or frames were unreadable (each said on stderr), 2 on usage errors.
 */
export async function runCryptofeedReplay(args: string[]): Promise<number> {
  const parsed = parseFlags(args, {
    name: "replay",
    options: {
      format: { type: "string", default: "cryptofeed" },
      venue: { type: "string" },
      json: { type: "boolean", default: false },
    },
    allowPositionals: true,
  });
  const { values, positionals } = parsed;
  const venue = values.venue as CryptofeedVenue | undefined;
  if (values.format !== "cryptofeed" || !venue || !VENUES.includes(venue) || !positionals.length) {
    throw new UsageError(
      `usage: replay --format cryptofeed --venue ${VENUES.join("|")} [--json] PREFIX...`,
    );
  }
  let failed = false;
  for (const prefix of positionals) {
    let s: CryptofeedReplaySummary;
    try {
      s = await replayCryptofeed(prefix, venue);
    } catch (e) {
      console.error((e as Error).message);
      return 2;
    }
    if (values.json) console.log(JSON.stringify(s, null, 2));
    else {
      for (const [symbol, sym] of Object.entries(s.symbols)) {
        console.log(JSON.stringify({ venue, symbol, ...sym }));
      }
      const { symbols: _s, ...totals } = s;
      console.log(JSON.stringify(totals));
    }
    for (const [symbol, sym] of Object.entries(s.symbols)) {
      if (sym.gaps > 0 || sym.checksum_failed > 0) failed = true;
      if (sym.deltas > 0 && !sym.synced) {
        failed = true;
        console.error(
          `replay: ${prefix}: ${venue} ${symbol} has ${sym.deltas} depth messages but no book ` +
            `at the end (${sym.snapshots} snapshots, ${sym.gaps} gaps, ${sym.buffered} buffered)`,
        );
      }
    }
    if (s.bad_frames > 0) {
      failed = true;
      console.error(`replay: ${prefix}: ${s.bad_frames} unreadable frames, e.g. ${s.errors[0]}`);
    }
  }
  return failed ? 1 : 0;
}
