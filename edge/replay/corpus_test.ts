/**
 * The corpus of unseen recordings (testdata/corpus/: other symbols, precisions and
 * venues re-encoded from the shared recording, and small hand-written ones) against the
 * facts of an independent reader (testdata/corpus/reader.py, exact decimals, no project
 * code), stored in testdata/corpus/facts.json.
 */
import assert from "node:assert/strict";
import { fromFileUrl } from "../cli/paths.ts";
import { replayBinanceRecording, type SymbolSummary } from "./binance_replay.ts";

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
