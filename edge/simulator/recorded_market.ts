/**
 * A simulator market driven by the recorded Binance BTCUSDT frames
 * (`testdata/binance-spot/`): the recording's book, synced by the real Binance
 * parser and sync, is re-expressed in the target venue's instrument (prices
 * bucketed to its tick: bids down, asks up, sizes summed per bucket) and shifted
 * by a per-venue offset. Each step is the next recorded depth update, with the
 * trades recorded before it. At the end the recording loops: one step replaces
 * the whole book.
 *
 * @module
 */

import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { BookDelta, LevelUpdate, Side, Trade } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { readRecordedLines } from "../../infra/recording/recorded_lines.ts";
import { parseBinanceFrame } from "../venues/binance/parse.ts";
import type { MarketStep } from "./synthetic_market.ts";

/** The recording, parsed once: its snapshot and the updates and trades after it. */
export interface Recording {
  /** Source instrument (Binance BTC/USDT). */
  readonly inst: Instrument;
  /** Book right after the snapshot splice. */
  readonly start: OrderBook;
  /** Applied depth updates in order, each with the trades received before it. */
  readonly steps: readonly { delta: BookDelta; trades: Trade[] }[];
}

/** Loads and syncs a Binance recording (files in time order). */
export async function loadRecording(files: readonly string[]): Promise<Recording> {
  const inst = defaultInstrument("binance", "BTC/USDT") as Instrument;
  const sync = new BinanceBookSync(new OrderBook(inst));
  const lookup = (s: string) => (s === "BTCUSDT" ? inst : undefined);
  let start: OrderBook | undefined;
  const steps: { delta: BookDelta; trades: Trade[] }[] = [];
  let trades: Trade[] = [];
  for (const file of files) {
    for await (const line of readRecordedLines(file)) {
      if (line.kind !== "line") continue;
      const sp = line.text.indexOf(" ");
      let ev;
      try {
        ev = parseBinanceFrame(line.text.slice(sp + 1), {
          venue: "binance",
          receiveTime: Number(line.text.slice(0, sp)) / 1e6,
          lookup,
          snapshotInstrument: inst,
        });
      } catch {
        continue;
      }
      if (ev.kind === "snapshot") {
        sync.onSnapshot(ev);
        start = copy(sync.book);
      } else if (ev.kind === "trade") {
        if (start) trades.push(ev);
      } else if (ev.kind === "delta" && sync.onDelta(ev) === "applied" && start) {
        steps.push({ delta: ev, trades });
        trades = [];
      }
    }
  }
  if (!start || steps.length === 0) throw new Error("Cannot use the recording: no synced updates");
  return { inst, start, steps };
}

function copy(book: OrderBook): OrderBook {
  const out = new OrderBook(book.instrument);
  out.applySnapshot({ bids: book.top("bid"), asks: book.top("ask") });
  return out;
}

/** See the module documentation. */
export class RecordedMarket {
  /** The truth book in the target instrument. */
  readonly book: OrderBook;
  readonly #rec: Recording;
  readonly #source: OrderBook;
  readonly #offset: number;
  readonly #up: number; // target ticks per source tick (when the target is finer)
  readonly #down: number; // source ticks per target tick (when the target is coarser)
  #i = 0;
  #tradeId = 1;

  /**
   * @param rec The loaded recording.
   * @param inst Target instrument.
   * @param offsetBps Price offset of this venue, bps.
   */
  constructor(rec: Recording, inst: Instrument, offsetBps: number) {
    if (inst.sizeDecimals !== rec.inst.sizeDecimals) {
      throw new RangeError(`Cannot replay into ${inst.venue} ${inst.symbol}: size decimals differ`);
    }
    this.#rec = rec;
    this.book = new OrderBook(inst);
    this.#source = copy(rec.start);
    const diff = inst.priceDecimals - rec.inst.priceDecimals;
    this.#up = diff >= 0 ? 10 ** diff : 1;
    this.#down = diff < 0 ? 10 ** -diff : 1;
    const mid = rec.start.mid() ?? 0;
    this.#offset = Math.round((mid * this.#up) / this.#down * offsetBps / 10_000);
    this.#rebuild();
  }

  /** Advances one recorded update. */
  step(): MarketStep {
    if (this.#i >= this.#rec.steps.length) return this.#loop();
    const { delta, trades } = this.#rec.steps[this.#i++]!;
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    for (
      const [side, levels, out] of [["bid", delta.bids, bids], ["ask", delta.asks, asks]] as const
    ) {
      for (const [p, s] of levels) this.#source.set(side, p, s);
      for (const [p] of levels) {
        const q = this.#target(side, p);
        const size = this.#bucketSize(side, q);
        this.book.set(side, q as Ticks, size as Lots);
        out.set(q, size);
      }
    }
    return {
      bids: [...bids].map(([p, s]) => [p as Ticks, s as Lots]),
      asks: [...asks].map(([p, s]) => [p as Ticks, s as Lots]),
      trades: trades.map((t) => ({
        price: this.#target(t.takerSide === "buy" ? "ask" : "bid", t.price) as Ticks,
        size: t.size,
        takerSide: t.takerSide,
        id: this.#tradeId++,
      })),
    };
  }

  #loop(): MarketStep {
    const old = { bids: this.book.top("bid"), asks: this.book.top("ask") };
    this.#i = 0;
    this.#source.applySnapshot({
      bids: this.#rec.start.top("bid"),
      asks: this.#rec.start.top("ask"),
    });
    this.#rebuild();
    const diff = (side: Side, before: readonly LevelUpdate[]): LevelUpdate[] => {
      const now = new Map<number, number>(this.book.top(side));
      const out: LevelUpdate[] = before.filter(([p]) => !now.has(p)).map(([p]) => [p, 0 as Lots]);
      for (const [p, s] of now) out.push([p as Ticks, s as Lots]);
      return out;
    };
    return { bids: diff("bid", old.bids), asks: diff("ask", old.asks), trades: [] };
  }

  #rebuild(): void {
    this.book.clear();
    for (const side of ["bid", "ask"] as const) {
      for (const [p] of this.#source.top(side)) {
        const q = this.#target(side, p);
        this.book.set(side, q as Ticks, this.#bucketSize(side, q) as Lots);
      }
    }
  }

  /** Target price of a source price: bids rounded down, asks up, then offset. */
  #target(side: Side, p: number): number {
    const q = side === "bid" ? Math.floor(p / this.#down) : Math.ceil(p / this.#down);
    return q * this.#up + this.#offset;
  }

  /** Sum of the source sizes whose prices fall in the target bucket `q`. */
  #bucketSize(side: Side, q: number): number {
    const base = (q - this.#offset) / this.#up;
    let total = 0;
    for (let k = 0; k < this.#down; k++) {
      // bids: bucket q holds source prices q*down .. q*down+down-1; asks: q*down-down+1 .. q*down
      const p = side === "bid" ? base * this.#down + k : base * this.#down - k;
      total += this.#source.sizeAt(side, p as Ticks);
    }
    return total;
  }
}
