/**
 * INTERIM feature source until the shared feature engine (`core/features`, on
 * the `features` branch) is merged: reads a Binance recording (`<receive ns>
 * <json frame>` lines, gzip or plain) and turns its `bookTicker` and `trade`
 * frames into fixed-interval bars with a handful of simple features. The
 * trainer may not import `edge/`, so only these two small frame shapes are
 * decoded here. Swap by providing another {@linkcode FeatureSource}.
 *
 * Features per bar (all use data with receive time <= bar end only):
 * `ret_bps` mid log return vs the previous bar; `spread_bps`; `imbalance_l1`
 * (bidQty - askQty) / (bidQty + askQty); `trade_imbalance` (taker buy - taker
 * sell volume) / volume; `log_trades` ln(1 + trades); `log_volume` ln(1 +
 * base volume); `ret5_bps` mid log return over 5 bars; `vol10_bps` standard
 * deviation of the last 10 bar returns.
 *
 * @module
 */

import { type FeatureSource, type MarketRow, sha256Hex } from "./market_rows.ts";

/** Feature names of the interim source, in vector order. */
export const INTERIM_FEATURES = [
  "ret_bps",
  "spread_bps",
  "imbalance_l1",
  "trade_imbalance",
  "log_trades",
  "log_volume",
  "ret5_bps",
  "vol10_bps",
] as const;

/** A recording line could not be used (reported with file and line number). */
export class RecordingLineError extends Error {
  /**
   * @param file File.
   * @param line 1-based line number.
   * @param message What is wrong.
   */
  constructor(file: string, line: number, message: string) {
    super(`Skipping ${file}:${line}: ${message}`);
    this.name = "RecordingLineError";
  }
}

async function* lines(path: string): AsyncGenerator<string> {
  const file = await Deno.open(path);
  let stream: ReadableStream<Uint8Array> = file.readable;
  if (path.endsWith(".gz")) {
    stream = stream.pipeThrough(
      new DecompressionStream("gzip") as unknown as ReadableWritablePair<Uint8Array, Uint8Array>,
    );
  }
  let rest = "";
  const text = stream.pipeThrough(
    new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>,
  );
  for await (const chunk of text) {
    rest += chunk;
    const parts = rest.split("\n");
    rest = parts.pop() ?? "";
    yield* parts;
  }
  if (rest.length > 0) yield rest;
}

interface Tick {
  t: number;
  kind: "book" | "trade";
  bid: number;
  ask: number;
  bidQty: number;
  askQty: number;
  qty: number;
  buy: boolean;
}

function parseLine(text: string): Tick | undefined {
  const sp = text.indexOf(" ");
  if (sp < 0) throw new Error("no receive-time prefix");
  const t = Number(text.slice(0, sp)) / 1e6;
  const msg = JSON.parse(text.slice(sp + 1));
  const d = msg?.data;
  const stream = String(msg?.stream ?? "");
  if (stream.endsWith("@bookTicker")) {
    const bid = Number(d.b), ask = Number(d.a), bidQty = Number(d.B), askQty = Number(d.A);
    if (![bid, ask, bidQty, askQty].every(Number.isFinite) || bid <= 0 || ask < bid) {
      throw new Error("bookTicker with non-numeric or crossed prices");
    }
    return { t, kind: "book", bid, ask, bidQty, askQty, qty: 0, buy: false };
  }
  if (stream.endsWith("@trade")) {
    const qty = Number(d.q);
    if (!Number.isFinite(qty)) throw new Error("trade with non-numeric quantity");
    return { t, kind: "trade", bid: 0, ask: 0, bidQty: 0, askQty: 0, qty, buy: d.m === false };
  }
  return undefined;
}

/** Options of {@linkcode interimRecordingSource}. */
export interface InterimOptions {
  /** Bar length in ms (default 1000). */
  readonly barMs?: number;
  /** Receives skipped-line errors (default: ignored after counting). */
  readonly onBadLine?: (e: RecordingLineError) => void;
}

/** A feature source over recording files (read in the given order). */
export async function interimRecordingSource(
  files: readonly string[],
  options: InterimOptions = {},
): Promise<FeatureSource> {
  const barMs = options.barMs ?? 1000;
  const specHash = await sha256Hex(
    `interim-recording-v1|bar=${barMs}|${INTERIM_FEATURES.join(",")}`,
  );
  async function* rows(): AsyncGenerator<MarketRow> {
    let book: Tick | undefined;
    let barEnd = Number.NaN;
    let buyVol = 0, sellVol = 0, trades = 0;
    const mids: number[] = [];
    const rets: number[] = [];
    const emit = (time: number): MarketRow | undefined => {
      if (book === undefined) return undefined;
      const mid = (book.bid + book.ask) / 2;
      const prev = mids.at(-1);
      const ret = prev === undefined ? 0 : Math.log(mid / prev) * 1e4;
      mids.push(mid);
      rets.push(ret);
      if (mids.length > 6) mids.shift();
      if (rets.length > 10) rets.shift();
      const m = rets.reduce((a, b) => a + b, 0) / rets.length;
      const vol = Math.sqrt(rets.reduce((a, b) => a + (b - m) ** 2, 0) / rets.length);
      const volume = buyVol + sellVol;
      const features = Float64Array.from([
        ret,
        (book.ask - book.bid) / mid * 1e4,
        (book.bidQty - book.askQty) / Math.max(book.bidQty + book.askQty, 1e-12),
        volume > 0 ? (buyVol - sellVol) / volume : 0,
        Math.log1p(trades),
        Math.log1p(volume),
        Math.log(mid / (mids[0] as number)) * 1e4,
        vol,
      ]);
      buyVol = sellVol = trades = 0;
      return { time, features, bid: book.bid, ask: book.ask };
    };
    for (const file of files) {
      let n = 0;
      for await (const text of lines(file)) {
        n++;
        if (text.trim() === "") continue;
        let tick: Tick | undefined;
        try {
          tick = parseLine(text);
        } catch (e) {
          options.onBadLine?.(
            new RecordingLineError(file, n, e instanceof Error ? e.message : String(e)),
          );
          continue;
        }
        if (tick === undefined) continue;
        if (Number.isNaN(barEnd)) barEnd = Math.ceil(tick.t / barMs) * barMs;
        while (tick.t > barEnd) {
          const row = emit(barEnd);
          if (row !== undefined) yield row;
          barEnd += barMs;
        }
        if (tick.kind === "book") book = tick;
        else {
          trades++;
          if (tick.buy) buyVol += tick.qty;
          else sellVol += tick.qty;
        }
      }
    }
  }
  return { names: INTERIM_FEATURES, specHash, rows };
}
