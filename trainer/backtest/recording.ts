/**
 * A small reader of recorded Binance sessions (`<receive ns> <json frame>` per line,
 * gzip or plain) and of `tickerml-events/1` recordings (any venue; core/market/event_line.ts)
 * for the backtester. The trainer may not import `edge/`, so the file
 * reading is its own; lines and frames are decoded by the same `core/market` code the
 * edge replay uses (`aggTrade` frames are ignored: a backtest takes trades from `@trade`).
 * Several files are merged by receive time (stable in file order). A first pass
 * ({@linkcode surveyRecordings}) gives every symbol the precision its text carries and
 * every bare REST snapshot the stream it bridges (core/market/binance_survey.ts).
 *
 * @module
 */

import { decodeBinanceFrame } from "../../core/market/binance_frame.ts";
import { attributeSnapshots, BinanceSurvey } from "../../core/market/binance_survey.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { decodeEventLine, isEventsHeader } from "../../core/market/event_line.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { venueInstruments } from "../../core/market/instruments.ts";
import { RECORDED_LINE_ERROR, splitRecordedLine } from "../../core/market/recorded_line.ts";
import { surveyInstruments } from "../../core/market/survey_instruments.ts";
import { gunzipChunks, type GunzipIssue } from "../../core/gunzip.ts";

/** Counters of a read. */
export interface ReadStats {
  /** Lines read. */
  lines: number;
  /** Events produced. */
  events: number;
  /** Lines skipped as unusable (each with a message in `errors`, up to 20). */
  bad: number;
  /** Frames of streams a backtest does not use (bookTicker, ...). */
  ignored: number;
  /** First error messages. */
  errors: string[];
  /** Files that could not be read whole, receive times out of order (file, reason). */
  problems: string[];
  /** Instruments of the recording with the precision its data carries (after the first pass). */
  instruments: Instrument[];
}

/** What the first pass learned: instruments with the data's precision, snapshot owners. */
export interface RecordingEvidence {
  /** Instrument per venue symbol. */
  readonly instruments: ReadonlyMap<string, Instrument>;
  /** Instrument of each bare snapshot, keyed `"<file index>:<line>"`. */
  readonly snapshotOwner: ReadonlyMap<string, Instrument>;
  /** Venue symbols with depth messages. */
  readonly depthSymbols: readonly string[];
  /** Files that could not be read whole (file, reason). */
  readonly problems: readonly string[];
}

/** Options of {@linkcode readRecordings}. */
export interface ReadOptions {
  /** Venue tag of the recordings. Default "binance". */
  /**
   * Venue tag of the recordings. Default "binance". Coinbase, Kraken and KuCoin: storage
   * archives of those venues' books (their snapshots name their symbol).
   */
  venue?: VenueId;
  /** Symbol the user named for bare snapshots the update ids cannot attribute. */
  snapshotSymbol?: string;
  /** The first pass's result (else it is run on the first read). */
  evidence?: RecordingEvidence;
  /** Counters, filled while reading. */
  stats?: ReadStats;
}

/** Fresh counters. */
export function newReadStats(): ReadStats {
  return { lines: 0, events: 0, bad: 0, ignored: 0, errors: [], problems: [], instruments: [] };
}

/**
 * The first pass over the files: symbols, update-id ranges, decimal text, snapshots.
 *
 * @throws {SnapshotAttributionError} When a snapshot's stream cannot be told (says what to pass).
 */
export async function surveyRecordings(
  files: readonly string[],
  options: { venue?: VenueId; snapshotSymbol?: string } = {},
): Promise<RecordingEvidence> {
  const venue = options.venue ?? "binance";
  if (venue !== "binance" && venue !== "binance_us") {
    // Storage archives of another venue: its own symbols; snapshots name their book.
    const instruments = new Map(venueInstruments(venue).map((i) => [i.venueSymbol, i]));
    return {
      instruments,
      snapshotOwner: new Map(),
      depthSymbols: [...instruments.keys()],
      problems: [],
    };
  }
  const survey = new BinanceSurvey();
  const problems: string[] = [];
  const note = (msg: string) => void problems.push(msg);
  for (let f = 0; f < files.length; f++) {
    let lineNo = 0;
    for await (const text of lines(files[f] as string, note)) {
      lineNo++;
      const line = splitRecordedLine(text);
      if (line) survey.add(line.frame, f, lineNo);
    }
  }
  const explicit = options.snapshotSymbol;
  const owners = attributeSnapshots(survey, explicit?.replace("/", ""), (f) => files[f] as string);
  const instruments = surveyInstruments(venue, survey, owners, explicit);
  const snapshotOwner = new Map<string, Instrument>();
  for (const [k, v] of owners) snapshotOwner.set(k, instruments.get(v) as Instrument);
  const depthSymbols = [...survey.symbols.values()].filter((s) => s.depthMsgs > 0).map((s) =>
    s.venueSymbol
  );
  return { instruments, snapshotOwner, depthSymbols, problems };
}

/**
 * Streams the events of several recording files merged in receive-time order.
 *
 * @param files Recording files.
 * @param options Venue, snapshot symbol and counters.
 */
export async function* readRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<MarketEvent> {
  const stats = options.stats ?? newReadStats();
  const evidence = options.evidence ?? await surveyRecordings(files, options);
  stats.instruments = [...evidence.instruments.values()];
  const iters = files.map((f, i) =>
    readOne(f, i, evidence, options, stats)[Symbol.asyncIterator]()
  );
  const heads: (MarketEvent | undefined)[] = await Promise.all(
    iters.map(async (it) => (await it.next()).value ?? undefined),
  );
  while (true) {
    let best = -1;
    for (let i = 0; i < heads.length; i++) {
      const h = heads[i];
      if (
        h !== undefined && (best < 0 || h.receiveTime < (heads[best] as MarketEvent).receiveTime)
      ) best = i;
    }
    if (best < 0) return;
    const e = heads[best] as MarketEvent;
    stats.events++;
    yield e;
    heads[best] = (await (iters[best] as AsyncIterator<MarketEvent>).next()).value ?? undefined;
  }
}

/** Reads every event of the files into memory (benchmarks, small replays). */
export async function loadRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const e of readRecordings(files, options)) out.push(e);
  return out;
}

async function* readOne(
  file: string,
  index: number,
  evidence: RecordingEvidence,
  options: ReadOptions,
  stats: ReadStats,
): AsyncGenerator<MarketEvent> {
  const venue = options.venue ?? "binance";
  const lookup = (s: string) => evidence.instruments.get(s);
  const bad = (msg: string) => {
    stats.bad++;
    if (stats.errors.length < 20) stats.errors.push(msg);
  };
  const problem = (msg: string) => {
    bad(msg);
    stats.problems.push(msg);
  };
  let lineNo = 0;
  let events = false;
  let lastTime = -Infinity;
  for await (const text of lines(file, problem)) {
    lineNo++;
    stats.lines++;
    if (lineNo === 1 && isEventsHeader(text)) {
      events = true; // a tickerml-events/1 recording: any venue, any symbol
      continue;
    }
    if (events) {
      try {
        yield decodeEventLine(text);
      } catch (err) {
        bad(`${file}:${lineNo}: ${(err as Error).message}`);
      }
      continue;
    }
    const line = splitRecordedLine(text);
    if (line === undefined) {
      bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
      continue;
    }
    if (line.receiveTime < lastTime) {
      problem(
        `${file}:${lineNo}: receive time goes backwards (${line.receiveTime} ms after ${lastTime} ms)`,
      );
    }
    lastTime = line.receiveTime;
    const snapshotInstrument = evidence.snapshotOwner.get(`${index}:${lineNo}`);
    try {
      const e = decodeBinanceFrame(JSON.parse(line.frame), {
        venue,
        receiveTime: line.receiveTime,
        lookup,
        aggTrades: false,
        ...(snapshotInstrument ? { snapshotInstrument } : {}),
      });
      if (e.kind === "ignored") stats.ignored++;
      else yield e;
    } catch (err) {
      const msg = `${file}:${lineNo}: ${(err as Error).message}`;
      if (line.frame.includes('"lastUpdateId"')) problem(`${msg} (REST snapshot rejected)`);
      else bad(msg);
    }
  }
  if (lineNo === 0) problem(`${file}: no readable lines`);
}

async function* lines(
  file: string,
  problem: (msg: string) => void,
): AsyncGenerator<string> {
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
  let rest = "";
  const decoder = new TextDecoder();
  try {
    for await (const chunk of chunks) {
      const text = rest + decoder.decode(chunk, { stream: true });
      const parts = text.split("\n");
      rest = parts.pop() ?? "";
      for (const p of parts) if (p.length > 0) yield p;
    }
    if (rest.length > 0 && (!damage || damage.kind === "trailing_garbage")) yield rest;
  } catch (e) {
    problem(`${file}: ends early or is corrupt: ${(e as Error).message}`);
  }
  if (damage) problem(`${file}: ${damage.message}`);
}

/** True when the first line of `file` is a `tickerml-events/1` header. */
export async function isEventsRecording(file: string): Promise<boolean> {
  for await (const text of lines(file, () => {})) return isEventsHeader(text);
  return false;
}
