/** The backtest CLI on unseen symbols and on inputs without a book (subprocess). */
import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";

const ROOT = new URL("../../", import.meta.url).pathname;
const CORPUS = `${ROOT}testdata/corpus/`;

async function backtest(...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}trainer/main.ts`,
      "backtest",
      "--strategy",
      "imbalance",
      "--html",
      "none",
      "--json",
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  return {
    code: out.code,
    json: text ? JSON.parse(text) : undefined,
    err: new TextDecoder().decode(out.stderr),
  };
}

Deno.test("backtest trades an unseen symbol at its own precision and refuses returns without a book", async () => {
  const eth = await backtest("--data", `${CORPUS}ethusdt_div16.gz`);
  assert.equal(eth.code, 0, eth.err);
  assert.equal(eth.json.usable, true);
  assert.deepEqual(eth.json.books, {
    "ETH/USDT": { book_events: 531, synced: true, synced_at_end: true },
  });
  assert.ok(
    eth.json.results.find((r: { strategy: string }) => r.strategy === "imbalance").net.trades > 0,
  );

  // The same stream without its REST snapshot: deltas, never a book.
  const dir = await Deno.makeTempDir({ prefix: "tickerml-bt-" });
  const lines = new TextDecoder().decode(
    gunzipSync(await Deno.readFile(`${CORPUS}ethusdt_div16.gz`)),
  )
    .split("\n").filter((l) => l && !l.includes("lastUpdateId"));
  await Deno.writeTextFile(`${dir}/nosnap.txt`, lines.join("\n") + "\n");
  const none = await backtest("--data", `${dir}/nosnap.txt`);
  assert.equal(none.code, 1);
  assert.equal(none.json.usable, false);
  assert.equal(none.json.results, undefined, "no returns reported");
  assert.match(
    none.err,
    /no book for ETH\/USDT in .*nosnap\.txt \(530 book events, never in sync\): refusing to report returns/,
  );

  const missing = await backtest("--data", `${dir}/missing.gz`);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /missing\.gz: cannot open/);
  const two = await backtest("--data", `${CORPUS}two_streams.gz`);
  assert.equal(two.code, 2);
  assert.match(two.err, /hold depth streams for ETH\/USDT, BTC\/USDT; pass --symbol/);
  await Deno.remove(dir, { recursive: true });
});
