import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { replayBinanceRecording } from "./binance_replay.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";

Deno.test("replayBinanceRecording() reproduces the recording's checked facts", async () => {
  const s = await replayBinanceRecording(BUNDLED_RECORDING);
  assert.equal(s.depth_msgs, 6_495);
  assert.equal(s.applied, 6_493);
  assert.equal(s.stale, 2);
  assert.equal(s.gaps, 0);
  assert.equal(s.crossed, 0);
  assert.equal(s.trades, 19_904);
  assert.equal(s.trade_id_gaps, 0);
  assert.equal(s.last_update_id, 50_093_696_318);
  assert.equal(s.bid_levels, 1_971);
  assert.equal(s.ask_levels, 2_962);
  assert.equal(s.best_bid, "61602.01000000");
  assert.equal(s.best_ask, "61602.02000000");
  assert.equal(s.best_bid_size, "1.67177000");
  assert.equal(s.best_ask_size, "2.66795000");
  assert.equal(s.bad_lines, 0);
  assert.deepEqual(Object.keys(s.symbols), ["BTC/USDT"]);
});

Deno.test("replayBinanceRecording() syncs the first file alone through the diff that straddles the snapshot", async () => {
  // Only the first file: the snapshot is spliced from buffered diffs, so the book is synced early.
  const s = await replayBinanceRecording(BUNDLED_RECORDING.slice(0, 1));
  assert.equal(s.gaps, 0);
  assert.equal(s.snapshots, 1);
  assert.ok(s.applied > 0);
});

async function tempFile(name: string, data: Uint8Array | string): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-replay-" });
  const path = `${dir}/${name}`;
  if (typeof data === "string") await Deno.writeTextFile(path, data);
  else await Deno.writeFile(path, data);
  return path;
}

Deno.test("replayBinanceRecording() counts a truncated gzip and keeps what came before", async () => {
  const full = await Deno.readFile(BUNDLED_RECORDING[0] as string);
  const path = await tempFile("truncated.gz", full.slice(0, Math.floor(full.length / 2)));
  const s = await replayBinanceRecording([path]);
  assert.equal(s.bad_lines, 1);
  assert.match(
    s.errors[0] ?? "",
    /truncated\.gz:\d+: file ends early or is corrupt after line \d+/,
  );
  assert.ok(s.lines > 10_000, `read ${s.lines} lines before the damage`);
  assert.ok(s.applied > 0);
  assert.equal(s.usable, false);
  assert.match(s.problems.join("\n"), /truncated\.gz: file ends early/);
});

Deno.test("replayBinanceRecording() recovers every line gzip -d recovers from gzip + garbage and multi-member files", async () => {
  const text = await Deno.readTextFile(await gunzipTo(BUNDLED_RECORDING[0] as string));
  const lines = text.split("\n").filter(Boolean).slice(0, 4_000);
  const data = new TextEncoder().encode(lines.join("\n") + "\n");
  const garbage = new Uint8Array(512).map((_, i) => (i * 7919) % 251);
  const withGarbage = await tempFile("garbage.gz", new Uint8Array([...gzipSync(data), ...garbage]));
  const s = await replayBinanceRecording([withGarbage]);
  assert.equal(s.lines, 4_000);
  assert.equal(s.usable, false);
  assert.match(s.problems.join("\n"), /512 bytes of trailing garbage/);
  const half = data.indexOf(10, data.length >> 1) + 1;
  const multi = await tempFile(
    "multi.gz",
    new Uint8Array([...gzipSync(data.subarray(0, half)), ...gzipSync(data.subarray(half))]),
  );
  const m = await replayBinanceRecording([multi]);
  assert.equal(m.lines, 4_000);
  assert.deepEqual(m.problems, []);
});

Deno.test("replayBinanceRecording() lists empty, non-gzip and missing files as problems", async () => {
  const empty = await tempFile("empty.gz", new Uint8Array());
  const random = await tempFile("random.gz", new Uint8Array(300).map((_, i) => (i * 31) % 256));
  for (const [path, why] of [[empty, /empty/], [random, /not a gzip file/]] as const) {
    const s = await replayBinanceRecording([path]);
    assert.equal(s.usable, false);
    assert.match(s.problems.join("\n"), why);
  }
});

Deno.test("replayBinanceRecording() counts garbage, missing fields and negative sizes by line", async () => {
  const lines = (await Deno.readTextFile(await gunzipTo(BUNDLED_RECORDING[0] as string))).split(
    "\n",
  )
    .slice(0, 400);
  const depthIdx = lines.findIndex((l, i) => i > 20 && l.includes("depthUpdate"));
  const tradeIdx = lines.findIndex((l, i) => i > 20 && l.includes('"e":"trade"'));
  const broken = [...lines];
  broken.splice(5, 0, "this is not a recording line");
  broken.splice(6, 0, "1723161254087891268 {not json");
  broken[tradeIdx + 2] = (lines[tradeIdx] as string).replace(/"p":"[^"]*",/, "");
  broken[depthIdx + 2] = (lines[depthIdx] as string).replace(
    /"b":\[\["([^"]*)","[^"]*"\]/,
    '"b":[["$1","-1.00000000"]',
  );
  const path = await tempFile("broken.gz", gzipSync(new TextEncoder().encode(broken.join("\n"))));
  const s = await replayBinanceRecording([path]);
  assert.equal(s.bad_lines, 4);
  const all = s.errors.join("\n");
  assert.match(all, /broken\.gz:6: line does not start with "<ns> "/);
  assert.match(all, /broken\.gz:7: Bad binance frame: invalid JSON/);
  assert.match(all, /field 'p' is not a decimal string/);
  assert.match(all, /size must be >= 0: "-1.00000000"/);
});

Deno.test("replayBinanceRecording() reports a missing file without throwing", async () => {
  const s = await replayBinanceRecording(["/nonexistent/recording.gz"]);
  assert.equal(s.bad_lines, 1);
  assert.match(s.errors[0] ?? "", /cannot open/);
  assert.equal(s.usable, false);
});

async function gunzipTo(path: string): Promise<string> {
  const { gunzipSync } = await import("node:zlib");
  return await tempFile("plain.txt", gunzipSync(await Deno.readFile(path)));
}
