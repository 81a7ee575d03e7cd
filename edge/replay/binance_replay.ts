import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { MarketEvent } from "../../core/market/events.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { formatPrice, type Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { defaultBinanceLookup } from "../../core/market/binance_symbols.ts";
import { BinanceLineDecoder } from "../../core/market/binance_line_decoder.ts";
import { RECORDED_LINE_ERROR } from "../../core/market/recorded_line.ts";
import { readRecordedBatches } from "../recording/recorded_lines.ts";
import { parseBinanceFrame } from "../venues/binance/parse.ts";

/** Receives every normalized event of a replay, in order (e.g. the store writer). */
export interface EventSink {
  /** Called for each event as it is read (before the sync applies it). */
  onEvent(event: MarketEvent): void | Promise<void>;
  /** Called with each book once it is synced, whenever receive time crosses a snapshot interval. */
  onBookSnapshot?(book: OrderBook, receiveTime: number, lastUpdateId: number): void | Promise<void>;
}

/** Facts about one symbol after a replay. */
export interface SymbolSummary {
  depth_msgs: number;
  applied: number;
  stale: number;
  gaps: number;
  crossed: number;
  snapshots: number;
  trades: number;
  trade_id_gaps: number;
  last_update_id: number | null;
  best_bid: string | null;
  best_ask: string | null;
  best_bid_size: string | null;
  best_ask_size: string | null;
  bid_levels: number;
  ask_levels: number;
}

/** Summary of a whole replay: the facts of the (first) symbol at top level, then all symbols. */
export interface ReplaySummary extends SymbolSummary {
  files: number;
  lines: number;
  bad_lines: number;
  ignored: number;
  errors: string[];
  symbols: Record<string, SymbolSummary>;
}

/** Options of {@linkcode replayBinanceRecording}. */
export interface ReplayOptions {
  /** Venue tag of the recording. Default "binance". */
  venue?: "binance" | "binance_us";
  /** Symbol that bare REST snapshots in the recording belong to. Default "BTC/USDT". */
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
}

interface SymbolState {
  inst: Instrument;
  sync: BinanceBookSync;
  depthMsgs: number;
  snapshots: number;
  trades: number;
  tradeIdGaps: number;
  lastTradeId: number | undefined;
  nextSnapshotAt: number;
}

/**
 * Replays Binance recordings (`<ns> <json>` per line, gzip or plain; files in order)
 * through the frame parser, the {@linkcode BinanceBookSync} and the order book.
 * Corrupt lines and truncated files are counted and skipped, never fatal.
 *
 * @param files Recording files, in time order.
 * @param options Sink, venue, progress.
 * @returns The replay summary.
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
  const lookup = defaultBinanceLookup(venue);
  const snapshotInstrument = defaultInstrument(venue, options.snapshotSymbol ?? "BTC/USDT");
  const stateOf = (inst: Instrument): SymbolState => {
    let st = states.get(inst.symbol);
    if (!st) {
      st = {
        inst,
        sync: new BinanceBookSync(new OrderBook(inst)),
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

  const decoder = new BinanceLineDecoder(
    { venue, lookup, ...(snapshotInstrument ? { snapshotInstrument } : {}) },
    parseBinanceFrame,
  );
  const sink = options.sink;

  for (let f = 0; f < files.length; f++) {
    const file = files[f] as string;
    let fileLines = 0;
    // One await per decompressed chunk; the lines of a chunk are decoded synchronously.
    for await (const batch of readRecordedBatches(file)) {
      if (batch.kind === "error") {
        bad(`${batch.file}:${batch.lineNo}: ${batch.message}`);
        continue;
      }
      const bytes = batch.bytes;
      let lineNo = batch.firstLineNo - 1;
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
        try {
          event = decoder.decodeBytes(bytes, start, nl);
        } catch (e) {
          bad(`${file}:${lineNo}: ${(e as Error).message}`);
          continue;
        }
        if (event === undefined) {
          bad(`${file}:${lineNo}: ${RECORDED_LINE_ERROR}`);
          continue;
        }
        if (event.kind === "ignored") {
          summary.ignored++;
          continue;
        }
        const receiveTime = event.receiveTime;
        const inst = event.kind === "snapshot"
          ? snapshotInstrument as Instrument
          : defaultInstrument(venue, event.symbol) as Instrument;
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
  }

  const symbols: Record<string, SymbolSummary> = {};
  for (const [symbol, st] of states) symbols[symbol] = summarize(st);
  const first = states.values().next().value;
  return { ...(first ? summarize(first) : emptySummary()), ...summary, symbols };
}

function summarize(st: SymbolState): SymbolSummary {
  const book = st.sync.book;
  const bid = book.best("bid");
  const ask = book.best("ask");
  const fmtSize = (s: number) => (s / 10 ** st.inst.sizeDecimals).toFixed(st.inst.sizeTextDecimals);
  return {
    depth_msgs: st.depthMsgs,
    applied: st.sync.counters.applied,
    stale: st.sync.counters.stale,
    gaps: st.sync.counters.gaps,
    crossed: st.sync.counters.crossed,
    snapshots: st.snapshots,
    trades: st.trades,
    trade_id_gaps: st.tradeIdGaps,
    last_update_id: st.sync.lastUpdateId ?? null,
    best_bid: bid ? formatPrice(st.inst, bid.price) : null,
    best_ask: ask ? formatPrice(st.inst, ask.price) : null,
    best_bid_size: bid ? fmtSize(bid.size) : null,
    best_ask_size: ask ? fmtSize(ask.size) : null,
    bid_levels: book.levelCount("bid"),
    ask_levels: book.levelCount("ask"),
  };
}

function emptySummary(): SymbolSummary {
  return {
    depth_msgs: 0,
    applied: 0,
    stale: 0,
    gaps: 0,
    crossed: 0,
    snapshots: 0,
    trades: 0,
    trade_id_gaps: 0,
    last_update_id: null,
    best_bid: null,
    best_ask: null,
    best_bid_size: null,
    best_ask_size: null,
    bid_levels: 0,
    ask_levels: 0,
  };
}
