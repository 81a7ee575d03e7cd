import assert from "node:assert/strict";
import { replayCryptofeed, runCryptofeedReplay } from "./cryptofeed_replay.ts";
import { main } from "../main.ts";
import { memoryOutput } from "../../infra/cli/output.ts";

const DIR = new URL("../../testdata/cryptofeed/", import.meta.url).pathname;

Deno.test("replayCryptofeed() bridges every Binance.US snapshot with 0 gaps", async () => {
  const s = await replayCryptofeed(`${DIR}BINANCE_US`, "binance_us");
  assert.deepEqual(Object.keys(s.symbols), ["COMP/USDT", "CRV/USDT", "OMG/BUSD", "ZRX/USDT"]);
  assert.equal(s.bad_frames, 0);
  for (const [symbol, sym] of Object.entries(s.symbols)) {
    assert.equal(sym.gaps, 0, symbol);
    assert.equal(sym.crossed, 0, symbol);
    assert.equal(sym.synced, true, symbol);
    assert.equal(sym.snapshots, 1, symbol);
    assert.equal(sym.applied + sym.stale, sym.deltas, symbol);
    assert.ok(sym.applied > 0, symbol);
  }
  // COMPUSDT: snapshot lastUpdateId 113129219; the first diff (u = 113129219) is stale.
  assert.equal(s.symbols["COMP/USDT"]?.stale, 1);
  assert.equal(s.symbols["OMG/BUSD"]?.trades, 11); // aggTrade frames, as cryptofeed counts
});

Deno.test("replayCryptofeed() applies 3,805 KuCoin updates for 9 symbols with 0 gaps", async () => {
  const s = await replayCryptofeed(`${DIR}KUCOIN`, "kucoin");
  const synced = Object.entries(s.symbols).filter(([, v]) => v.snapshots === 1);
  assert.equal(synced.length, 9);
  let applied = 0;
  for (const [symbol, sym] of synced) {
    assert.equal(sym.gaps, 0, symbol);
    assert.equal(sym.crossed, 0, symbol);
    assert.equal(sym.buffered, 0, symbol);
    applied += sym.applied;
  }
  assert.equal(applied, 3805);
  assert.equal(s.bad_frames, 0);
  assert.equal(s.snapshots_rest, 9);
});

Deno.test("replayCryptofeed() matches all 4,269 Kraken v1 checksums", async () => {
  const s = await replayCryptofeed(`${DIR}KRAKEN`, "kraken");
  let ok = 0;
  for (const [symbol, sym] of Object.entries(s.symbols)) {
    assert.equal(sym.checksum_failed, 0, symbol);
    assert.equal(sym.crossed, 0, symbol);
    assert.equal(sym.synced, true, symbol);
    ok += sym.checksum_ok;
  }
  assert.equal(ok, 4269);
  assert.equal(Object.keys(s.symbols).length, 10);
  assert.equal(s.bad_frames, 0);
  // The 99,999,997 XMR placeholder ask exceeds 2^53 units at 8 decimals: dropped and counted.
  assert.equal(s.dropped_levels, 1);
});

Deno.test("replayCryptofeed() parses every Coinbase legacy frame", async () => {
  const s = await replayCryptofeed(`${DIR}COINBASE`, "coinbase");
  assert.equal(s.bad_frames, 0);
  assert.equal(s.frames, 9946);
  assert.equal(Object.keys(s.symbols).length, 10);
  let trades = 0;
  for (const [symbol, sym] of Object.entries(s.symbols)) {
    assert.equal(sym.snapshots, 1, symbol);
    assert.equal(sym.crossed, 0, symbol);
    assert.equal(sym.applied, sym.deltas, symbol);
    trades += sym.trades;
  }
  assert.equal(trades, 107); // 97 match + 10 last_match
});

Deno.test("runCryptofeedReplay() prints per-symbol JSON lines and rejects bad usage", async () => {
  const lines: string[] = [];
  const log = console.log;
  const err = console.error;
  console.log = (s: string) => lines.push(s);
  console.error = () => {};
  try {
    assert.equal(await runCryptofeedReplay(["--venue", "binance_us", DIR]), 0);
    const bad = memoryOutput();
    assert.equal(await main(["replay", "--format", "cryptofeed", "--venue", "nope", DIR], bad), 2);
    assert.match(bad.err.join("\n"), /^replay: usage: replay --format cryptofeed --venue/);
    assert.equal(await runCryptofeedReplay(["--venue", "kraken", `${DIR}MISSING`]), 2);
  } finally {
    console.log = log;
    console.error = err;
  }
  const first = JSON.parse(lines[0] as string);
  assert.equal(first.venue, "binance_us");
  assert.equal(first.symbol, "COMP/USDT");
  for (const key of ["applied", "gaps", "checksum_ok", "checksum_failed", "best_bid", "best_ask"]) {
    assert.ok(key in first, key);
  }
});
