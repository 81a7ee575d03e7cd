import assert from "node:assert/strict";
import { main } from "../main.ts";
import { readEventRecordings } from "../recording/event_recording.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { streamInstruments } from "./export_events.ts";

const FIXTURE =
  new URL("../../testdata/portfolio/sim_4streams.events.jsonl.gz", import.meta.url).pathname;

Deno.test("export-recording --format events writes the chosen streams of any venue; they read back exactly", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-export-events-" });
  try {
    const events = [];
    for await (const e of readEventRecordings([FIXTURE])) events.push(e);
    const store = await SqliteStore.open(`${dir}/s.db`);
    await store.putInstruments(streamInstruments(["coinbase:BTC/USD", "binance_us:ETH/USDT"]));
    await store.writeBatch({ events: events.slice(0, 3_000) });
    await store.close();
    const out = memoryOutput();
    const args = ["export-recording", "--store", `${dir}/s.db`, "--format", "events"];
    const streams = ["--streams", "coinbase:BTC/USD,binance_us:ETH/USDT"];
    assert.equal(await main([...args, ...streams, "--out", `${dir}/e.jsonl.gz`], out), 0);
    const want = events.slice(0, 3_000).filter((e) =>
      (e.venue === "coinbase" && e.symbol === "BTC/USD") ||
      (e.venue === "binance_us" && e.symbol === "ETH/USDT")
    );
    assert.match(out.out.at(-1)!, new RegExp(`e\\.jsonl\\.gz: ${want.length} events`));
    const back = [];
    for await (const e of readEventRecordings([`${dir}/e.jsonl.gz`])) back.push(e);
    assert.deepEqual(back, want);
    const err = memoryOutput();
    assert.equal(await main([...args, "--streams", "kraken:SOL/USD", "--out", "x"], err), 2);
    assert.match(err.err.join("\n"), /unknown stream "kraken:SOL\/USD"/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
