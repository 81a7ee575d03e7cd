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

import { BinanceLineDecoder } from "../../core/market/binance_line_decoder.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { decodeEventLine, isEventsHeader } from "../../core/market/event_line.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { RECORDED_LINE_ERROR } from "../../core/market/recorded_line.ts";
import { lineBatches } from "./recording_lines.ts";
import { type RecordingEvidence, surveyRecordings } from "./recording_evidence.ts";

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
 * Streams the events of several recording files merged in receive-time order.
 *
 * @param files Recording files.
 * @param options Venue, snapshot symbol and counters.
 */
export async function* readRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<MarketEvent> {
  for await (const batch of readRecordingBatches(files, options)) yield* batch;
}

/** Reads every event of the files into memory (benchmarks, small replays). */
export async function loadRecordings(
  files: readonly string[],
  options: ReadOptions = {},
): Promise<MarketEvent[]> {
  const out: MarketEvent[] = [];
  for await (const batch of readRecordingBatches(files, options)) {
    for (let i = 0; i < batch.length; i++) out.push(batch[i] as MarketEvent);
  }
  return out;
}

/**
 * The venue of a recording file: a base name starting with `binance_us.` or
 * `binance.` (as the synthetic generator writes them) names it; otherwise `fallback`.
 */
export function venueOfFile(
  file: string,
  fallback: "binance" | "binance_us",
): "binance" | "binance_us" {
  const base = file.slice(file.lastIndexOf("/") + 1);
  if (base.startsWith("binance_us.")) return "binance_us";
  if (base.startsWith("binance.")) return "binance";
  return fallback;
}

/**
 * The events of several files merged in receive-time order (stable in file order), in
 * batches: each file is decoded a chunk at a time, synchronously, and the merge awaits
 * only when a file's decoded chunk runs out.
 *
 * @param files Recording files.
 * @param options Venue, snapshot symbol and counters.
 */
export async function* readRecordingBatches(
  files: readonly string[],
  options: ReadOptions = {},
): AsyncGenerator<MarketEvent[]> {
  const stats = options.stats ?? newReadStats();
  // Files named for another Binance venue (binance_us.*, binance.*) are surveyed as theirs.
  const fallback = options.venue ?? "binance";
  const venues = files.map((f) =>
    fallback === "binance" || fallback === "binance_us" ? venueOfFile(f, fallback) : fallback
  );
  const groups = new Map<VenueId, number[]>();
  venues.forEach((v, i) => groups.set(v, [...(groups.get(v) ?? []), i]));
  const evidenceOf = new Map<VenueId, RecordingEvidence>();
  const kept: (Uint8Array[] | undefined)[] = [];
  for (const [v, idx] of groups) {
    const inGroup: (Uint8Array[] | undefined)[] = [];
    evidenceOf.set(
      v,
      options.evidence && groups.size === 1 ? options.evidence : await surveyRecordings(
        idx.map((i) => files[i] as string),
        { ...options, venue: v },
        inGroup,
      ),
    );
    idx.forEach((fileIndex, k) => (kept[fileIndex] = inGroup[k]));
  }
  stats.instruments = [...evidenceOf.values()].flatMap((e) => [...e.instruments.values()]);
  const iters = files.map((f, i) => {
    const v = venues[i] as VenueId;
    const inGroup = (groups.get(v) as number[]).indexOf(i);
    const ev = evidenceOf.get(v) as RecordingEvidence;
    return readOne(f, inGroup, v, ev, stats, kept[i])[Symbol.asyncIterator]();
  });
  const bufs: MarketEvent[][] = files.map(() => []);
  const at: number[] = files.map(() => 0);
  const done: boolean[] = files.map(() => false);
  // Refills file i until it has an event or ends.
  const fill = async (i: number) => {
    while (!done[i] && (at[i] as number) >= (bufs[i] as MarketEvent[]).length) {
      const r = await (iters[i] as AsyncIterator<MarketEvent[]>).next();
      if (r.done) done[i] = true;
      else {
        bufs[i] = r.value;
        at[i] = 0;
      }
    }
  };
  await Promise.all(files.map((_, i) => fill(i)));
  while (true) {
    const out: MarketEvent[] = [];
    let starved = -1;
    while (starved < 0) {
      let best = -1;
      let bestTime = 0;
      for (let i = 0; i < bufs.length; i++) {
        const buf = bufs[i] as MarketEvent[];
        const k = at[i] as number;
        if (k >= buf.length) continue;
        const t = (buf[k] as MarketEvent).receiveTime;
        if (best < 0 || t < bestTime) {
          best = i;
          bestTime = t;
        }
      }
      if (best < 0) break;
      const k = at[best] as number;
      out.push((bufs[best] as MarketEvent[])[k] as MarketEvent);
      at[best] = k + 1;
      if (k + 1 >= (bufs[best] as MarketEvent[]).length && !done[best]) starved = best;
    }
    stats.events += out.length;
    if (out.length > 0) yield out;
    if (starved < 0) return;
    await fill(starved);
  }
}

/** The events of one file, a decompressed chunk at a time (the survey's kept batches when given). */
async function* readOne(
  file: string,
  index: number,
  venue: VenueId,
  evidence: RecordingEvidence,
  stats: ReadStats,
  kept?: Uint8Array[],
): AsyncGenerator<MarketEvent[]> {
  const lookup = (s: string) => evidence.instruments.get(s);
  const decoder = new BinanceLineDecoder({ venue, lookup, aggTrades: false });
  const text = new TextDecoder();
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
  const owner = () => evidence.snapshotOwner.get(`${index}:${lineNo}`);
  for await (const bytes of kept ?? lineBatches(file, problem)) {
    const out: MarketEvent[] = [];
    for (let s = 0; s < bytes.length;) {
      let nl = bytes.indexOf(10, s);
      if (nl < 0) nl = bytes.length;
      const start = s;
      s = nl + 1;
      if (nl === start) continue;
      lineNo++;
      stats.lines++;
      if (lineNo === 1 && isEventsHeader(text.decode(bytes.subarray(start, nl)))) {
        events = true; // a tickerml-events/1 recording: any venue, any symbol
        continue;
      }
      if (events) {
        try {
          out.push(decodeEventLine(text.decode(bytes.subarray(start, nl))));
        } catch (err) {
          bad(`${file}:${lineNo}: ${(err as Error).message}`);
        }
        continue;
      }
      let e;
      let failure: Error | undefined;
      try {
        e = decoder.decodeBytes(bytes, start, nl, owner);
      } catch (err) {
        failure = err as Error;
      }
      const t = decoder.lastReceiveTime;
      if (!Number.isNaN(t)) {
        if (t < lastTime) {
          problem(`${file}:${lineNo}: receive time goes backwards (${t} ms after ${lastTime} ms)`);
        }
        lastTime = t;
      }
      if (failure !== undefined) {
        const msg = `${file}:${lineNo}: ${failure.message}`;
        if (text.decode(bytes.subarray(start, nl)).includes('"lastUpdateId"')) {
          problem(`${msg} (REST snapshot rejected)`);
        } else bad(msg);
      } else if (e === undefined) bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
      else if (e.kind === "ignored") stats.ignored++;
      else out.push(e);
    }
    if (out.length > 0) yield out;
  }
  if (lineNo === 0) problem(`${file}: no readable lines`);
}

export { isEventsRecording } from "./recording_lines.ts";
export { type RecordingEvidence, surveyRecordings } from "./recording_evidence.ts";
