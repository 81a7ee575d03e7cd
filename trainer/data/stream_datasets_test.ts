import assert from "node:assert/strict";
import { streamSpecHash } from "../../core/model/served_streams.ts";
import { labelHorizon } from "./labels.ts";
import { DEFAULT_LABELS } from "./labels.ts";
import { parseStreamList, poolDatasets, streamDatasets } from "./stream_datasets.ts";

const FILE =
  new URL("../../testdata/portfolio/sim_4streams.events.jsonl.gz", import.meta.url).pathname;
const CONFIG = {
  windowLength: 8,
  labels: { ...DEFAULT_LABELS, feeBps: 1 },
  trainFraction: 0.6,
  valFraction: 0.2,
};

Deno.test("per-stream datasets use each stream's own spec; pooling keeps windows inside a stream", async () => {
  const streams = parseStreamList(["binance_us:BTC/USDT", "coinbase:ETH/USD"]);
  const parts = await streamDatasets([FILE], streams, { intervalMs: 1000 }, CONFIG);
  assert.equal(parts.length, 2);
  for (const p of parts) {
    // what the edge builds for that stream, so the manifest's `serves` hash matches it
    assert.equal(p.ds.specHash, streamSpecHash(p.stream));
    assert.match(p.ds.names[0]!, new RegExp(`^${p.stream.venue}\\.`));
  }
  const [btc, eth] = parts.map((p) => p.ds);
  assert.equal(btc!.names.length, eth!.names.length, "same layout, other prefix");
  const pooled = poolDatasets(parts);
  assert.equal(pooled.times.length, btc!.times.length + eth!.times.length);
  assert.equal(pooled.specHash, btc!.specHash);
  assert.deepEqual(pooled.streams!.map((s) => [s.venue, s.symbol, s.featureSpecHash]), [
    ["binance_us", "BTC/USDT", btc!.specHash],
    ["coinbase", "ETH/USD", eth!.specHash],
  ]);
  const h = labelHorizon(CONFIG.labels);
  const T = CONFIG.windowLength;
  for (const k of ["train", "val", "test"] as const) {
    assert.equal(pooled.splits[k].length, btc!.splits[k].length + eth!.splits[k].length, k);
    for (const i of pooled.splits[k]) {
      const s = pooled.streams!.find((x) => i >= x.from && i < x.to)!;
      assert.ok(i - T + 1 >= s.from && i + h < s.to, `${k} window ${i} stays in ${s.symbol}`);
    }
  }
  // the second stream's rows are its own, shifted
  const f = pooled.names.length;
  const at = btc!.times.length;
  assert.deepEqual(
    [...pooled.features.subarray(at * f, (at + 1) * f)],
    [...eth!.features.subarray(0, f)],
  );
  assert.equal(pooled.bid[at], eth!.bid[0]);
  // one normalization over both streams' training rows: the mid's mean lies between them
  const mid = pooled.names.indexOf("binance_us.btc_usdt.book.mid");
  const m = pooled.normalization.mean[mid]!;
  const [a, b] = [btc!.normalization.mean[mid]!, eth!.normalization.mean[mid]!];
  assert.ok(m > Math.min(a, b) && m < Math.max(a, b), `${m} between ${a} and ${b}`);
});

Deno.test("pooled with the stream as an input: one-hot columns per stream, normalized as is", async () => {
  const streams = parseStreamList(["binance_us:BTC/USDT", "coinbase:ETH/USD"]);
  const parts = await streamDatasets([FILE], streams, { intervalMs: 1000 }, CONFIG);
  const plain = poolDatasets(parts);
  const ds = poolDatasets(parts, { streamInput: true });
  const f = plain.names.length;
  assert.deepEqual(ds.names.slice(f), ["stream.binance_us:BTC/USDT", "stream.coinbase:ETH/USD"]);
  assert.deepEqual(ds.stream_inputs, ["binance_us:BTC/USDT", "coinbase:ETH/USD"]);
  const g = f + 2;
  const row = (r: number) => [...ds.features.subarray(r * g, (r + 1) * g)];
  const first = ds.streams![1]!.from;
  assert.deepEqual(row(0).slice(f), [1, 0]);
  assert.deepEqual(row(first).slice(f), [0, 1]);
  assert.deepEqual(row(first).slice(0, f), [
    ...plain.features.subarray(first * f, (first + 1) * f),
  ]);
  assert.deepEqual(ds.normalization.mean.slice(f), [0, 0]);
  assert.deepEqual(ds.normalization.std.slice(f), [1, 1]);
  assert.deepEqual(ds.splits, plain.splits);
});

Deno.test("stream lists and streams missing from the data fail naming the entry", async () => {
  assert.throws(
    () => parseStreamList(["binance_us-BTC/USDT"]),
    /Invalid stream "binance_us-BTC\/USDT"/,
  );
  await assert.rejects(
    () => streamDatasets([FILE], parseStreamList(["kraken:BTC/USD"]), { intervalMs: 1000 }, CONFIG),
    /Cannot build features of kraken BTC\/USD: .* hold .*binance_us BTC\/USDT/,
  );
});
