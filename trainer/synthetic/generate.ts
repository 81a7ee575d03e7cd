/**
 * Writes a synthetic "known answer" market: one Binance-format recording per
 * venue and symbol (`<dir>/<venue>.<symbol>.gz`; the trainer's reader takes
 * the venue from the file name), plus `truth.json` with the parameters and the
 * best achievable edge of an oracle that sees the latent pressure. The traded
 * stream is the first venue's first symbol (it comes first in time, so the
 * feature spec makes it the primary).
 *
 * @module
 */

import { seededRandom } from "../../core/random.ts";
import { gaussian, MarketProcess, type ProcessParams } from "./market_process.ts";
import { StreamBook } from "./stream_book.ts";
import { OracleEdge, type OracleReport } from "./oracle_edge.ts";

/** What to generate. */
export interface GenerateOptions {
  /** Process parameters (kind, seed, symbols, venues, strengths). */
  readonly process: ProcessParams;
  /** Market hours. */
  readonly hours: number;
  /** Output directory. */
  readonly dir: string;
  /** Start time, epoch ms. Default 2024-08-01T00:00:00Z. */
  readonly startMs?: number;
  /** Fee per leg (bps) of the oracle's edge. Default 1. */
  readonly feeBps?: number;
  /** Trades per second per stream. Default 1.5. */
  readonly tradeRate?: number;
}

/** What was written. */
export interface GenerateReport {
  /** Recording files, traded stream first. */
  readonly files: string[];
  /** Lines written. */
  readonly lines: number;
  /** Seconds simulated. */
  readonly seconds: number;
  /** The truth file. */
  readonly truth: string;
  /** Oracle edge on the traded stream. */
  readonly oracle: OracleReport;
}

const BASE_SIZE: Record<string, number> = { "BTC/USDT": 0.8, "ETH/USDT": 12 };

/** Writes the recordings and the truth file. */
export async function generateMarket(o: GenerateOptions): Promise<GenerateReport> {
  const p = o.process;
  await Deno.mkdir(o.dir, { recursive: true });
  const proc = new MarketProcess(p);
  const start = o.startMs ?? Date.UTC(2024, 7, 1);
  const seconds = Math.round(o.hours * 3600);
  const files: string[] = [];
  const streams: {
    book: StreamBook;
    writer: WritableStreamDefaultWriter<Uint8Array>;
    buf: string[];
  }[] = [];
  let n = 0;
  for (const [v, venue] of p.venues.entries()) {
    for (const [i, sym] of p.symbols.entries()) {
      const venueSymbol = sym.symbol.replace("/", "");
      const file = `${o.dir}/${venue}.${venueSymbol.toLowerCase()}.gz`;
      files.push(file);
      const f = await Deno.open(file, { write: true, create: true, truncate: true });
      const gz = new CompressionStream("gzip");
      void gz.readable.pipeTo(f.writable);
      const rand = seededRandom(p.seed * 1009 + v * 101 + i * 7 + 1);
      streams.push({
        book: new StreamBook(
          venueSymbol,
          rand,
          gaussian(seededRandom(p.seed * 7919 + v * 31 + i * 3 + 2)),
          BASE_SIZE[sym.symbol] ?? 1,
          o.tradeRate ?? 1.5,
        ),
        writer: gz.writable.getWriter() as WritableStreamDefaultWriter<Uint8Array>,
        buf: [],
      });
    }
  }
  const enc = new TextEncoder();
  const flush = async () => {
    for (const st of streams) {
      if (st.buf.length === 0) continue;
      await st.writer.write(enc.encode(st.buf.join("\n") + "\n"));
      n += st.buf.length;
      st.buf.length = 0;
    }
  };
  const oracle = new OracleEdge(p, o.feeBps ?? 1);
  const tilts = { flow: p.flowTilt, book: p.bookTilt };
  const nSym = p.symbols.length;
  for (let t = 0; t <= seconds; t++) {
    const ms = start + t * 1000;
    const states = proc.step();
    states.forEach((st, i) => {
      p.venues.forEach((_, v) => {
        const stream = streams[v * nSym + i] as (typeof streams)[number];
        const mid = st.mids[v] as number;
        // traded stream opens first so it becomes the primary stream of the feature spec
        if (t === 0) stream.buf.push(...stream.book.open(ms + v * 5 + i, mid, st.s, p.bookTilt));
        else stream.buf.push(...stream.book.second(ms, 10 + v * 37 + i * 3, mid, st.s, tilts));
      });
    });
    const traded = states[0] as (typeof states)[number];
    oracle.observe(t, traded.mids[0] as number, traded.s);
    if (t % 600 === 0) await flush();
  }
  await flush();
  for (const st of streams) await st.writer.close();
  const report = oracle.report(seconds);
  const truth = `${o.dir}/truth.json`;
  await Deno.writeTextFile(
    truth,
    JSON.stringify(
      {
        generator: "trainer/synthetic/generate.ts",
        params: p,
        sigma_bps_in_use: proc.sigmaBps,
        hours: o.hours,
        start_ms: start,
        files,
        traded_stream: files[0],
        oracle: report,
      },
      null,
      2,
    ) + "\n",
  );
  return { files, lines: n, seconds, truth, oracle: report };
}
