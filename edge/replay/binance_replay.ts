import type { MarketEvent } from "../../core/market/events.ts";
import type { Instrument, VenueId } from "../../core/market/instrument.ts";
import { venueInstruments } from "../../core/market/instruments.ts";
import { recordingSyncFor } from "../../core/market/stored_book_sync.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { BinanceLineDecoder } from "../../core/market/binance_line_decoder.ts";
import { RECORDED_LINE_ERROR } from "../../core/market/recorded_line.ts";
import { readRecordedBatches } from "../../infra/recording/recorded_lines.ts";
import { parseBinanceFrame } from "../venues/binance/parse.ts";
import { ReplayProblems } from "./replay_problems.ts";
import {
  emptySummary,
  type ReplaySummary,
  summarize,
  type SymbolState,
  type SymbolSummary,
} from "./replay_summary.ts";

export type { ReplaySummary, SymbolSummary } from "./replay_summary.ts";
import { KeptBatches, type RecordingEvidence, surveyBinanceFiles } from "./recording_survey.ts";

/** Bytes of decompressed lines the survey keeps for the replay (files beyond it are read twice). */
const KEEP_BUDGET = 64 << 20;

/** Receives every normalized event of a replay, in order (e.g. the store writer). */
export interface EventSink {
  /** Called for each event as it is read (before the sync applies it). */
  onEvent(event: MarketEvent): void | Promise<void>;
  /** Called with each book once it is synced, whenever receive time crosses a snapshot interval. */
  onBookSnapshot?(book: OrderBook, receiveTime: number, lastUpdateId: number): void | Promise<void>;
}

/** Options of {@linkcode replayBinanceRecording}. */
export interface ReplayOptions {
  /**
   * Venue tag of the recording. Default "binance". Coinbase, Kraken and KuCoin: storage
   * archives of those venues' books (their own symbols, replayed with `StoredBookSync`).
   */
  venue?: VenueId;
  /**
   * Symbol the user named (`--symbol`) for bare REST snapshots whose stream the update
   * ids cannot tell. Snapshots are otherwise attributed from evidence (the symbol an
   * archived snapshot names, the stream they bridge, or the file's single depth stream),
   * never to a default.
   */
  snapshotSymbol?: string;
  /** Where events go (store writer). */
  sink?: EventSink;
  /** Receive-time interval between periodic book snapshots given to the sink, ms. Default 10,000. */
  snapshotIntervalMs?: number;
  /** Progress callback, called every `progressEvery` lines and at the end of each file. */
  onProgress?: (p: { file: string; fileIndex: number; files: number; lines: number }) => void;
  /** Lines between progress calls. Default 10,000. */
  progressEvery?: number;
  /** Most error messages kept in the summary (all are counted). Default 20. */
  maxErrors?: number;
  /** Told the instruments (with the data's precision) before the first event. */
  onInstruments?: (instruments: readonly Instrument[]) => void | Promise<void>;
}

/**
 * Replays Binance recordings (`<ns> <json>` per line, gzip or plain; files in order)
 * through the frame parser, the BinanceBookSync (storage archives of other venues:
 * StoredBookSync) and the order book.
 * A first pass surveys Binance files (see {@linkcode surveyBinanceFiles}) so that every
 * symbol gets the precision its data carries and every bare snapshot its stream.
 * Corrupt lines are counted and skipped; damaged or empty files, receive times that go
 * backwards, rejected snapshots and depth streams that never build a book are listed
 * in `problems` (and `usable` is false).
 *
 * @param files Recording files, in time order.
 * @param options Sink, venue, progress.
 * @returns The replay summary.
 * @throws {SnapshotAttributionError} When a bare snapshot's stream cannot be told (says what to pass).
 */
export async function replayBinanceRecording(
  files: readonly string[],
  options: ReplayOptions = {},
): Promise<ReplaySummary> {
  const venue = options.venue ?? "binance";
  const maxErrors = options.maxErrors ?? 20;
  const interval = options.snapshotIntervalMs ?? 10_000;
  const progressEvery = options.progressEvery ?? 10_000;
  const states = new Map<string, SymbolState>();
  const kept = new KeptBatches(KEEP_BUDGET);
  const evidence: RecordingEvidence = venue === "binance" || venue === "binance_us"
    ? await surveyBinanceFiles(files, venue, options.snapshotSymbol, kept)
    : archiveEvidence(venue);
  const lookup = (s: string) => evidence.instruments.get(s);
  const bySymbol = new Map([...evidence.instruments.values()].map((i) => [i.symbol, i]));
  const problems = new ReplayProblems();
  await options.onInstruments?.([...evidence.instruments.values()]);
  const stateOf = (inst: Instrument): SymbolState => {
    let st = states.get(inst.symbol);
    if (!st) {
      st = {
        inst,
        sync: recordingSyncFor(new OrderBook(inst)),
        depthMsgs: 0,
        snapshots: 0,
        trades: 0,
        tradeIdGaps: 0,
        lastTradeId: undefined,
        nextSnapshotAt: 0,
      };
      states.set(inst.symbol, st);
    }
    return st;
  };
  const summary = {
    files: files.length,
    lines: 0,
    bad_lines: 0,
    ignored: 0,
    errors: [] as string[],
  };
  const bad = (msg: string) => {
    summary.bad_lines++;
    if (summary.errors.length < maxErrors) summary.errors.push(msg);
  };

  const decoder = new BinanceLineDecoder({ venue, lookup }, parseBinanceFrame);
  const sink = options.sink;

  for (let f = 0; f < files.length; f++) {
    const file = files[f] as string;
    let fileLines = 0;
    let fileBad = 0;
    let lineNo = 0;
    const owner = () => evidence.snapshotOwner.get(`${f}:${lineNo}`);
    // One await per decompressed chunk; the lines of a chunk are decoded synchronously.
    for await (const batch of kept.take(f) ?? readRecordedBatches(file)) {
      if (batch.kind === "error") {
        bad(`${batch.file}:${batch.lineNo}: ${batch.message}`);
        problems.file(batch.file, batch.message);
        continue;
      }
      const bytes = batch.bytes;
      lineNo = batch.firstLineNo - 1;
      for (let s = 0; s < bytes.length;) {
        let nl = bytes.indexOf(10, s);
        if (nl < 0) nl = bytes.length;
        const start = s;
        s = nl + 1;
        lineNo++;
        if (nl === start) continue;
        summary.lines++;
        fileLines++;
        if (options.onProgress && fileLines % progressEvery === 0) {
          options.onProgress({ file, fileIndex: f, files: files.length, lines: fileLines });
        }
        let event;
        let failure: Error | undefined;
        try {
          event = decoder.decodeBytes(bytes, start, nl, owner);
        } catch (e) {
          failure = e as Error;
        }
        if (event === undefined && failure === undefined) {
          bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
          fileBad++;
          continue;
        }
        if (!Number.isNaN(decoder.lastReceiveTime)) {
          problems.time(file, lineNo, decoder.lastReceiveTime);
        }
        if (failure !== undefined || event === undefined) {
          const message = failure?.message ?? RECORDED_LINE_ERROR;
          bad(`${file}:${lineNo}: ${message}`);
          fileBad++;
          if (lineText(bytes, start, nl).includes('"lastUpdateId"')) {
            problems.add(`${file}:${lineNo}: REST snapshot rejected: ${message}`);
          }
          continue;
        }
        if (event.kind === "ignored") {
          summary.ignored++;
          continue;
        }
        const receiveTime = event.receiveTime;
        const inst = event.kind === "snapshot"
          ? (owner() ?? bySymbol.get(event.symbol)) as Instrument
          : bySymbol.get(event.symbol) as Instrument;
        const st = stateOf(inst);
        if (sink) {
          const pending = sink.onEvent(event);
          if (pending) await pending;
        }
        if (event.kind === "trade") {
          st.trades++;
          const id = Number(event.tradeId);
          if (st.lastTradeId !== undefined && id !== st.lastTradeId + 1) st.tradeIdGaps++;
          st.lastTradeId = id;
        } else if (event.kind === "snapshot") {
          st.snapshots++;
          st.sync.onSnapshot(event);
        } else {
          st.depthMsgs++;
          st.sync.onDelta(event);
        }
        if (sink?.onBookSnapshot && st.sync.synced && receiveTime >= st.nextSnapshotAt) {
          st.nextSnapshotAt = receiveTime + interval;
          await sink.onBookSnapshot(st.sync.book, receiveTime, st.sync.lastUpdateId as number);
        }
      }
    }
    options.onProgress?.({ file, fileIndex: f, files: files.length, lines: fileLines });
    if (fileLines > 0 && fileBad === fileLines) {
      problems.file(file, `none of its ${fileLines} lines is a readable recording line`);
    }
  }

  const symbols: Record<string, SymbolSummary> = {};
  for (const [symbol, st] of states) {
    symbols[symbol] = summarize(st);
    problems.book(files, symbol, symbols[symbol]);
  }
  if (summary.lines === 0) problems.add(`${files.join(", ")}: no readable lines`);
  const first = states.values().next().value;
  return {
    ...(first ? summarize(first) : emptySummary()),
    ...summary,
    time_regressions: problems.timeRegressions,
    problems: problems.list,
    usable: problems.list.length === 0,
    symbols,
  };
}

/** Instruments of a storage archive of a Coinbase, Kraken or KuCoin book (its snapshots name their symbol). */
function archiveEvidence(venue: VenueId): RecordingEvidence {
  return {
    instruments: new Map(venueInstruments(venue).map((i) => [i.venueSymbol, i])),
    snapshotOwner: new Map(),
  };
}

const errorText = new TextDecoder();

/** The text of a line (error path only). */
function lineText(bytes: Uint8Array, start: number, end: number): string {
  return errorText.decode(bytes.subarray(start, end));
}
