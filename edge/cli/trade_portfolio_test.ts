import assert from "node:assert/strict";
import { memoryOutput } from "../../infra/cli/output.ts";
import { tradeCommand } from "./trade_command.ts";

const FILE =
  new URL("../../testdata/portfolio/sim_4streams.events.jsonl.gz", import.meta.url).pathname;

Deno.test("trade --replay of a multi-stream recording trades every configured stream in one account", async () => {
  const out = memoryOutput();
  const code = await tradeCommand(
    ["--replay", FILE, "--json", "--strategy", "buy-and-hold", "--latency-ms", "0"],
    out,
  );
  assert.equal(code, 0, out.err.join("\n"));
  const r = JSON.parse(out.out[0]!);
  assert.equal(r.events, 32_765);
  assert.deepEqual(
    r.report.streams.map((s: { venue: string; symbol: string }) => `${s.venue} ${s.symbol}`),
    ["binance_us BTC/USDT", "binance_us ETH/USDT", "coinbase BTC/USD", "coinbase ETH/USD"],
  );
  for (const s of r.report.streams) {
    assert.ok(s.decisions > 100 && s.fills > 0, `${s.venue} ${s.symbol}`);
  }
  // one account, split over the venues' quote assets: 5,000 USDT on Binance.US, 5,000 USD on Coinbase
  assert.equal(r.report.net.start_equity, 10_000);
  for (const k of ["binance_us:USDT", "coinbase:USD", "binance_us:BTC", "coinbase:ETH"]) {
    assert.ok(k in r.balances, k);
  }
  assert.deepEqual(Object.keys(r.report.account.exposure_by_venue), ["binance_us", "coinbase"]);
  // an explicit single stream keeps the old behaviour reachable
  const one = memoryOutput();
  assert.equal(
    await tradeCommand(["--replay", FILE, "--json", "--stream", "coinbase:BTC/USD"], one),
    0,
  );
  const single = JSON.parse(one.out[0]!);
  assert.equal(single.report.streams.length, 1);
  assert.deepEqual(Object.keys(single.balances).filter((k) => k.endsWith("USD")), ["coinbase:USD"]);
  const bad = memoryOutput();
  assert.equal(await tradeCommand(["--replay", FILE, "--stream", "bitstamp:BTC/USD"], bad), 2);
  assert.match(bad.err[0]!, /unknown stream "bitstamp:BTC\/USD"/);
});

Deno.test("trade --replay --model: the model decides the stream it serves, the baseline the others, visibly", async () => {
  const out = memoryOutput();
  const model = new URL("../../models/demo/20261207T234600242Z-03585c", import.meta.url).pathname;
  const args = ["--replay", FILE, "--json", "--strategy", "imbalance"];
  assert.equal(await tradeCommand([...args, "--model", model], out), 0, out.err.join("\n"));
  const r = JSON.parse(out.out[0]!);
  assert.equal(r.strategy, "model+imbalance");
  const routes = out.err.filter((l) => l.startsWith("streams: "));
  assert.equal(routes.length, 4);
  assert.match(routes[0]!, /^streams: binance_us BTC\/USDT: model 20261207T234600242Z-03585c$/);
  assert.match(routes[2]!, /^streams: coinbase BTC\/USD: baseline imbalance \(no installed model/);
  const base = memoryOutput();
  assert.equal(await tradeCommand(args, base), 0);
  const b = JSON.parse(base.out[0]!);
  const streams = (x: { report: { streams: { decisions: number }[] } }) => x.report.streams;
  assert.deepEqual(streams(r).map((s) => s.decisions), streams(b).map((s) => s.decisions));
  assert.notEqual(r.fingerprint, b.fingerprint, "the model, not the baseline, decided BTC/USDT");
  const bad = memoryOutput();
  assert.equal(await tradeCommand([...args, "--model", "/nonexistent"], bad), 2);
  assert.match(bad.err[0]!, /--model \/nonexistent: /);
});

Deno.test("a multi-stream paper trader killed mid-replay resumes to the same fills and account", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const main = new URL("../main.ts", import.meta.url).pathname;
    const args = ["run", "-A", main, "trade", "--replay", FILE, "--store", `${dir}/s.db`];
    const killed = await new Deno.Command(Deno.execPath(), {
      args: [...args, "--fault-kill-after", "300"],
      stdout: "null",
      stderr: "null",
    }).output();
    assert.equal(killed.signal, "SIGKILL");
    const resumed = memoryOutput();
    assert.equal(
      await tradeCommand(["--replay", FILE, "--store", `${dir}/s.db`, "--json"], resumed),
      0,
    );
    const whole = memoryOutput();
    assert.equal(await tradeCommand(["--replay", FILE, "--json"], whole), 0);
    const a = JSON.parse(resumed.out[0]!);
    const b = JSON.parse(whole.out[0]!);
    assert.ok(a.resumed_from > 0 && a.resumed_from < 32_765, `resumed from ${a.resumed_from}`);
    assert.equal(a.fingerprint, b.fingerprint);
    assert.deepEqual(a.balances, b.balances);
    assert.equal(a.ledger_digest, b.ledger_digest);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("trade --replay --model with a package the trainer exported for two streams (manifest serves)", async () => {
  const pkg = new URL("../../testdata/models/pooled_2streams", import.meta.url).pathname;
  const manifest = JSON.parse(await Deno.readTextFile(`${pkg}/manifest.json`));
  assert.deepEqual(
    manifest.serves.map((s: { venue: string; symbol: string }) => `${s.venue} ${s.symbol}`),
    ["binance_us BTC/USDT", "binance_us ETH/USDT"],
  );
  const out = memoryOutput();
  const args = ["--replay", FILE, "--json", "--strategy", "imbalance", "--model", pkg];
  assert.equal(await tradeCommand(args, out), 0, out.err.join("\n"));
  const routes = out.err.filter((l) => l.startsWith("streams: "));
  assert.deepEqual(routes.map((l) => l.replace(/ \(.*$/, "")), [
    `streams: binance_us BTC/USDT: model ${manifest.version}`,
    `streams: binance_us ETH/USDT: model ${manifest.version}`,
    "streams: coinbase BTC/USD: baseline imbalance",
    "streams: coinbase ETH/USD: baseline imbalance",
  ]);
  assert.match(routes[3]!, /\(no installed model serves it \(/);
});
