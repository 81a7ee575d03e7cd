/**
 * The corpus of unseen recordings (testdata/corpus/: other symbols, precisions and
 * venues re-encoded from the shared recording, and small hand-written ones) against the
 * facts of an independent reader (testdata/corpus/reader.py, exact decimals, no project
 * code), stored in testdata/corpus/facts.json.
 */
import assert from "node:assert/strict";
import { fromFileUrl } from "../../infra/file_url.ts";
import { replayBinanceRecording, type SymbolSummary } from "./binance_replay.ts";
import { replayCryptofeed } from "./cryptofeed_replay.ts";
import type { SymbolReplaySummary } from "./cryptofeed/book_tracker.ts";

const DIR = fromFileUrl(new URL("../../testdata/corpus/", import.meta.url));

interface ReaderFacts {
  depth_msgs: number;
  applied: number;
  stale: number;
  gaps: number;
  snapshots: number;
  stale_snapshots: number;
  trades: number;
  synced: boolean;
  last_update_id: number | null;
  best_bid: string | null;
  best_ask: string | null;
  best_bid_size: string | null;
  best_ask_size: string | null;
  bid_levels: number;
  ask_levels: number;
}

const FACTS: Record<string, { files: string[]; symbols: Record<string, ReaderFacts> }> = JSON
  .parse(await Deno.readTextFile(`${DIR}facts.json`));

/** Decimal text without trailing zeros ("3865.20250000" -> "3865.2025", "10.000" -> "10"). */
function plain(text: string | null): string | null {
  if (text === null) return null;
  return text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text;
}

function project(s: SymbolSummary): ReaderFacts {
  return {
    depth_msgs: s.depth_msgs,
    applied: s.applied,
    stale: s.stale,
    gaps: s.gaps,
    snapshots: s.snapshots,
    stale_snapshots: s.stale_snapshots,
    trades: s.trades,
    synced: s.synced,
    last_update_id: s.last_update_id,
    best_bid: plain(s.best_bid),
    best_ask: plain(s.best_ask),
    best_bid_size: plain(s.best_bid_size),
    best_ask_size: plain(s.best_ask_size),
    bid_levels: s.bid_levels,
    ask_levels: s.ask_levels,
  };
}

for (const [name, { files, symbols }] of Object.entries(FACTS)) {
  if (files[0]?.startsWith("--cryptofeed")) continue;
  Deno.test(`corpus ${name}: the replay reproduces the independent reader's facts`, async () => {
    const s = await replayBinanceRecording(files.map((f) => `${DIR}${f}`), {
      venue: name.startsWith("binance_us") ? "binance_us" : "binance",
    });
    const got: Record<string, ReaderFacts> = {};
    for (const [symbol, sym] of Object.entries(s.symbols)) {
      got[symbol.replace("/", "")] = project(sym);
    }
    assert.deepEqual(got, symbols);
    assert.equal(s.bad_lines, 0, s.errors.join("\n"));
    const broken = Object.values(symbols).some((f) => f.depth_msgs > 0 && !f.synced);
    assert.equal(s.usable, !broken, s.problems.join("\n"));
  });
}

/** The fields a cryptofeed replay summary shares with the reader's facts. */
function cryptofeedFacts(s: SymbolReplaySummary) {
  return {
    depth_msgs: s.deltas,
    applied: s.applied,
    stale: s.stale,
    gaps: s.gaps,
    snapshots: s.snapshots,
    trades: s.trades,
    synced: s.synced,
    best_bid: plain(s.best_bid),
    best_ask: plain(s.best_ask),
    best_bid_size: plain(s.best_bid_size),
    best_ask_size: plain(s.best_ask_size),
    bid_levels: s.bid_levels,
    ask_levels: s.ask_levels,
  };
}

function readerFacts(f: ReaderFacts) {
  const { stale_snapshots: _s, last_update_id: _l, ...rest } = f;
  return rest;
}

async function assertCryptofeedFacts(prefix: string) {
  const expected = FACTS.cryptofeed_binance_us as { symbols: Record<string, ReaderFacts> };
  const s = await replayCryptofeed(prefix, "binance_us");
  const got: Record<string, unknown> = {};
  for (const [symbol, sym] of Object.entries(s.symbols)) {
    got[symbol.replace("/", "")] = cryptofeedFacts(sym);
  }
  const want: Record<string, unknown> = {};
  for (const [symbol, f] of Object.entries(expected.symbols)) want[symbol] = readerFacts(f);
  assert.deepEqual(got, want);
  assert.equal(s.bad_frames, 0, s.errors.join("\n"));
}

Deno.test("corpus cryptofeed_binance_us: symbols outside the built-in table match the independent reader", async () => {
  await assertCryptofeedFacts(`${DIR}../cryptofeed/BINANCE_US`);
});

Deno.test("corpus cryptofeed_binance_us re-encoded with metadata ticks 10x coarser than the data: nothing is dropped", async () => {
  // As when a venue's tick grew after the book was written: the data, not the metadata,
  // says what precision the books need.
  const dir = await Deno.makeTempDir({ prefix: "tickerml-coarse-" });
  const src = `${DIR}../cryptofeed/`;
  for (const f of ["BINANCE_US.http.0.0", "BINANCE_US.ws.1.0"]) {
    await Deno.copyFile(`${src}${f}`, `${dir}/${f}`);
  }
  const meta = await Deno.readTextFile(`${src}BINANCE_US.0`);
  const coarse = meta.replace(
    /"tickSize":"0\.(0*)1(0*)"/g,
    (_m, zeros: string, rest: string) =>
      zeros.length === 0 ? `"tickSize":"1.00000000"` : `"tickSize":"0.${zeros.slice(1)}1${rest}0"`,
  );
  assert.notEqual(coarse, meta);
  await Deno.writeTextFile(`${dir}/BINANCE_US.0`, coarse);
  await assertCryptofeedFacts(`${dir}/BINANCE_US`);
});
