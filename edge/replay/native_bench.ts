/**
 * `deno task bench:native [--rounds 7] [--no-anchor]`: the four rows of issue 20 in one run,
 * TickerML against the Rust anchor (`anchor/hftbacktest_anchor.rs`, hftbacktest's
 * `HashMapMarketDepth` re-created and built here with `rustc -O`), on the bundled BTCUSDT
 * recording, plus the book's query costs. Rounds alternate which side runs first; every
 * figure is the median over rounds. Wall-clock times: on a shared machine compare the
 * ratios of one run, not figures across runs.
 *
 * @module
 */

import process from "node:process";
import { numberFlag } from "../../infra/cli/flag_values.ts";
import { scriptFlags, scriptUsage } from "../../infra/cli/script_flags.ts";
import { BinanceLineDecoder } from "../../core/market/binance_line_decoder.ts";
import { defaultBinanceLookup } from "../../core/market/binance_symbols.ts";
import { BinanceBookSync } from "../../core/market/binance_sync.ts";
import type { BookDelta, BookSnapshot, MarketEvent } from "../../core/market/events.ts";
import type { Lots } from "../../core/market/fixed_point.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { baselineStrategy } from "../../core/trading/strategy/baselines.ts";
import { TradingEngine } from "../../core/trading/engine/engine.ts";
import { defaultEngineConfig } from "../../core/trading/engine/engine_config.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { readRecordedBatches } from "../../infra/recording/recorded_lines.ts";
import { parseBinanceFrame } from "../venues/binance/parse.ts";
import {
  buildAnchor,
  shellQuote,
  timedProcess,
  writeAnchorEvents,
} from "./anchor/anchor_process.ts";

const BTC = defaultInstrument("binance", "BTC/USDT") as Instrument;

/** Decodes recordings into events the way the edge replay does (readRecordedBatches + BinanceLineDecoder). */
async function decodeFiles(files: readonly string[]): Promise<MarketEvent[]> {
  const decoder = new BinanceLineDecoder(
    { venue: "binance", lookup: defaultBinanceLookup("binance"), snapshotInstrument: BTC },
    parseBinanceFrame,
  );
  const out: MarketEvent[] = [];
  for (const file of files) {
    for await (const batch of readRecordedBatches(file)) {
      if (batch.kind === "error") {
        throw new Error(`${batch.file}:${batch.lineNo}: ${batch.message}`);
      }
      const bytes = batch.bytes;
      for (let s = 0; s < bytes.length;) {
        let nl = bytes.indexOf(10, s);
        if (nl < 0) nl = bytes.length;
        if (nl > s) {
          const e = decoder.decodeBytes(bytes, s, nl);
          if (e === undefined) throw new Error(`${file}: a line without its <ns> prefix`);
          if (e.kind !== "ignored") out.push(e);
        }
        s = nl + 1;
      }
    }
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

/** Wall and CPU (all threads of this process) time of `fn`, ms. */
async function time(fn: () => unknown): Promise<[number, number]> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wall = performance.now() - t;
  const u = process.cpuUsage(c);
  return [wall, (u.user + u.system) / 1000];
}

function applyAll(snapshot: BookSnapshot, deltas: readonly BookDelta[]): OrderBook {
  const book = new OrderBook(BTC);
  book.applySnapshot(snapshot);
  for (const d of deltas) {
    book.applyLevels("bid", d.bids);
    book.applyLevels("ask", d.asks);
  }
  return book;
}

/** The queries a strategy and the features make, after every delta. */
function applyWithQueries(snapshot: BookSnapshot, deltas: readonly BookDelta[]): number {
  const book = new OrderBook(BTC);
  book.applySnapshot(snapshot);
  let x = 0;
  for (const d of deltas) {
    book.applyLevels("bid", d.bids);
    book.applyLevels("ask", d.asks);
    x += book.top("bid", 10).length + book.top("ask", 10).length;
    x += book.depthWithinBps("bid", 25) + book.depthWithinBps("ask", 25);
    x += book.walk("buy", 500_000 as Lots).filled + book.walk("sell", 500_000 as Lots).filled;
  }
  return x;
}

function replayMomentum(events: readonly MarketEvent[]): number {
  const cfg = {
    ...defaultEngineConfig([BTC], (b) => new BinanceBookSync(b)),
    keepLedgerEntries: false,
    keepDecisions: false,
  };
  const engine = new TradingEngine(cfg, baselineStrategy("momentum"));
  for (const e of events) engine.onEvent(e);
  return engine.fills.length;
}

const args = scriptFlags("bench:native", {
  options: { rounds: { type: "string", default: "7" }, "no-anchor": { type: "boolean" } },
});
const rounds = scriptUsage(
  "bench:native",
  () => numberFlag(args.values.rounds, "rounds", 7, { integer: true, min: 1 }),
);
const files = BUNDLED_RECORDING;
const quotedFiles = files.map(shellQuote).join(" ");

const events = await decodeFiles(files);
const snapshot = events.find((e) => e.kind === "snapshot") as BookSnapshot;
const afterSnapshot = events.filter((e) =>
  e.kind === "trade" || (e.kind === "delta" && e.lastSequence > snapshot.sequence)
);
const deltas = afterSnapshot.filter((e) => e.kind === "delta") as BookDelta[];
const levels = deltas.reduce((n, d) => n + d.bids.length + d.asks.length, 0);

let anchor: string | undefined;
let anchorNote = "";
const tmp = await Deno.makeTempDir({ prefix: "tickerml-native-bench-" });
const depthFile = `${tmp}/depth.f64`;
const replayFile = `${tmp}/replay.f64`;
if (!args.values["no-anchor"]) {
  try {
    anchor = await buildAnchor();
    await writeAnchorEvents(depthFile, BTC, snapshot, deltas);
    await writeAnchorEvents(replayFile, BTC, snapshot, afterSnapshot);
  } catch (e) {
    anchorNote = `anchor not run: ${(e as Error).message}`;
    anchor = undefined;
  }
}

const r: Record<string, number[]> = {};
const add = (k: string, v: number) => (r[k] ??= []).push(v);
const add2 = (k: string, [wall, cpu]: [number, number]) => {
  add(k, wall);
  add(`${k}_cpu`, cpu);
};
const runAnchor = async (mode: string, file: string) =>
  JSON.parse((await timedProcess(`${shellQuote(anchor!)} ${mode} ${shellQuote(file)} 3`)).stdout);
const backtest = `deno run -A ${
  shellQuote(new URL("../../trainer/main.ts", import.meta.url).pathname)
} backtest --data ${quotedFiles} --strategy momentum --json --html none > /dev/null`;

// Warm-up of the project's code paths (JIT), as the anchor warms its caches.
for (let i = 0; i < 3; i++) {
  applyAll(snapshot, deltas);
  applyWithQueries(snapshot, deltas);
  replayMomentum(events);
  await decodeFiles(files);
}
for (let round = 0; round < rounds; round++) {
  const anchorFirst = round % 2 === 1;
  const project = async () => {
    add2("book", await time(() => applyAll(snapshot, deltas)));
    add2("book+queries", await time(() => applyWithQueries(snapshot, deltas)));
    add2("replay", await time(() => replayMomentum(events)));
    add2("decode", await time(() => decodeFiles(files)));
    const e2e = await timedProcess(backtest);
    add("e2e", e2e.wallMs);
    add("e2e_cpu", e2e.cpuMs);
    add("e2e_mib", e2e.peakMiB ?? NaN);
  };
  const other = async () => {
    if (!anchor) return;
    for (
      const [k, mode, file] of [["a_book", "depth", depthFile], ["a_replay", "replay", replayFile]]
    ) {
      const out = await runAnchor(mode as string, file as string);
      add2(k as string, [out.ms, out.cpu_ms]);
    }
    const conv = await timedProcess(`gzip -dc ${quotedFiles} | ${shellQuote(anchor)} convert`);
    add2("a_decode", [conv.wallMs, conv.cpuMs]);
    const e2e = await timedProcess(`gzip -dc ${quotedFiles} | ${shellQuote(anchor)} e2e`);
    add2("a_e2e", [e2e.wallMs, e2e.cpuMs]);
    add("a_e2e_mib", e2e.peakMiB ?? NaN);
  };
  if (anchorFirst) await other();
  await project();
  if (!anchorFirst) await other();
  console.error(`round ${round + 1}/${rounds} done`);
}
await Deno.remove(tmp, { recursive: true });

const m = (k: string) => (r[k] ? median(r[k]) : NaN);
const ms = (v: number) => Number.isNaN(v) ? "–" : `${v.toFixed(1)} ms`;
const rate = (v: number) => `${(levels / v / 1e3).toFixed(1)} M/s`;
/** "wall (cpu)" cell, with a rate for the book row and peak memory for whole processes. */
const cell = (k: string, extra?: "rate" | "mib") => {
  const wall = m(k);
  if (Number.isNaN(wall)) return "–";
  const cpu = m(`${k}_cpu`);
  const more = extra === "rate"
    ? ` = ${rate(wall)} (CPU ${rate(cpu)})`
    : extra === "mib"
    ? `, ${m(`${k}_mib`).toFixed(0)} MiB peak`
    : "";
  return `${ms(wall)} (CPU ${ms(cpu)})${more}`;
};
const ratio = (k: string) => {
  const [w, c] = [m(`a_${k}`) / m(k), m(`a_${k}_cpu`) / m(`${k}_cpu`)];
  return Number.isNaN(w) ? "–" : `${w.toFixed(2)}× (CPU ${c.toFixed(2)}×)`;
};
const rows = [
  [`order book apply, ${levels.toLocaleString("en-US")} level updates`, "book", "rate"],
  ["in-memory replay with a strategy (momentum)", "replay"],
  ["decode the .gz recording into events", "decode"],
  ["backtest end to end, whole process", "e2e", "mib"],
] as const;
console.log(
  `bench:native, ${rounds} rounds, medians; wall time (CPU time); ${deltas.length} deltas after the snapshot`,
);
console.log(
  "| what | TickerML | anchor (hftbacktest HashMapMarketDepth re-created, Rust -O) | TickerML speed vs anchor |",
);
console.log("|---|---|---|---|");
for (const [what, k, extra] of rows) {
  console.log(`| ${what} | ${cell(k, extra)} | ${cell(`a_${k}`, extra)} | ${ratio(k)} |`);
}
const q = m("book+queries_cpu") - m("book_cpu");
console.log(
  `book queries after each of ${deltas.length} deltas (top 10 ×2, depth 25 bps ×2, walk 5 BTC ×2): ` +
    `apply + queries ${cell("book+queries")}; queries ≈ CPU ${ms(q)} = ${
      (q * 1e6 / (deltas.length * 6)).toFixed(0)
    } ns/query`,
);
console.log(
  "anchor rows: book and replay timed inside the Rust process; decode = `gzip -dc | anchor convert` and " +
    "end to end = `gzip -dc | anchor e2e`, whole processes. TickerML decode is in-process (gunzip included).",
);
if (anchorNote) console.log(anchorNote);
