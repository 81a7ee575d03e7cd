/**
 * One book truth: the dashboard's books, rebuilt from the store while a harvester writes it
 * (loopback simulator on a short recording that loops, a gap on Binance.US and a corrupt
 * Kraken checksum forcing resyncs), end equal to the adapters' own books, which the
 * harvester stores as its last pictures when it stops; and no book is ever shown crossed.
 */
import assert from "node:assert/strict";
import { gunzipSync, gzipSync } from "node:zlib";
import { StoreReader } from "../../infra/store/dashboard/store_reader.ts";
import { LiveBooks } from "./live_books.ts";
import type { InstrumentView } from "./types.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

interface Picture {
  venue: string;
  symbol: string;
  bids: string;
  asks: string;
}

Deno.test("LiveBooks equals the adapters' books after resyncs and a recording loop, never crossed", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-books-" });
  const lines = new TextDecoder().decode(
    gunzipSync(await Deno.readFile(`${ROOT}testdata/binance-spot/btcusdt_20240808.gz`)),
  ).split("\n").slice(0, 3_000);
  const depthLines = lines.filter((l) => l.includes("depthUpdate")).length;
  await Deno.writeFile(`${dir}/short.gz`, gzipSync(new TextEncoder().encode(lines.join("\n"))));
  const store = `${dir}/h.db`;
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      `${ROOT}edge/main.ts`,
      "harvest",
      "--config",
      `${ROOT}config.yaml`,
      "--store",
      store,
      "--simulate",
      "--source",
      "recorded",
      "--recording",
      `${dir}/short.gz`,
      "--speed",
      "10",
      "--duration",
      "9",
      "--fault",
      "2 binance_us drop BTC/USDT",
      "--fault",
      "3 kraken corrupt_checksum BTC/USD",
    ],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const output = child.output();
  const reader = new StoreReader(store);
  const books = new LiveBooks(reader);
  let running = true;
  const done = output.finally(() => (running = false));
  let polls = 0;
  const crossed: string[] = [];
  const check = async () => {
    const instruments = (await reader.hasTable("instruments"))
      ? (await reader.all<InstrumentView>(
        ["instruments"],
        "SELECT venue, symbol, price_decimals, size_decimals FROM instruments",
      ))
      : [];
    for (const key of (await books.advance(instruments))) {
      const top = books.top(key);
      if (top && top.bid !== null && top.ask !== null && top.bid >= top.ask) {
        crossed.push(`${key} ${top.bid} >= ${top.ask}`);
      }
    }
    polls++;
  };
  try {
    while (running) {
      await check();
      await new Promise((r) => setTimeout(r, 50));
    }
    const out = await done;
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const log = new TextDecoder().decode(out.stdout);
    await check();
    assert.deepEqual(crossed, []);
    assert.ok(polls > 20, `polled ${polls} times while the harvester wrote`);
    // Both faults forced a resync (a second venue snapshot) and the recording looped.
    assert.match(log, /"resync","venue":"binance_us","symbol":"BTC\/USDT"/);
    assert.match(log, /"resync","venue":"kraken","symbol":"BTC\/USD"/);
    const deltas = await reader.get<{ n: number }>(
      ["book_deltas"],
      "SELECT COUNT(*) AS n FROM book_deltas WHERE venue = 'binance_us' AND symbol = 'BTC/USDT'",
    );
    assert.ok((deltas?.n ?? 0) > depthLines, `${deltas?.n} deltas > ${depthLines}: looped`);
    const finals = await reader.all<Picture>(
      ["order_books"],
      `SELECT venue, symbol, bids, asks FROM order_books WHERE id IN
         (SELECT MAX(id) FROM order_books WHERE source = 'periodic' GROUP BY venue, symbol)`,
    );
    assert.ok(finals.length >= 10, `${finals.length} final pictures`);
    for (const p of finals) {
      const book = books.book(`${p.venue} ${p.symbol}`);
      assert.ok(book, `${p.venue} ${p.symbol} tracked`);
      const bids = JSON.parse(p.bids) as [number, number][];
      const asks = JSON.parse(p.asks) as [number, number][];
      assert.deepEqual(book.top("bid", bids.length), bids, `${p.venue} ${p.symbol} bids`);
      assert.deepEqual(book.top("ask", asks.length), asks, `${p.venue} ${p.symbol} asks`);
      if (p.venue === "kraken") assert.equal(book.levelCount("bid"), bids.length);
    }
  } finally {
    reader.close();
    await Deno.remove(dir, { recursive: true });
  }
});
