/**
 * Book apply throughput on the recording's real deltas. Level updates per second =
 * levels in all deltas / time per iteration (printed by `deno task bench:book`).
 */
import { gunzipSync } from "node:zlib";
import type { BookDelta, BookSnapshot } from "../../core/market/events.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import { parseBinanceFrame } from "../venues/binance/parse.ts";

const inst = defaultInstrument("binance", "BTC/USDT")!;
const deltas: BookDelta[] = [];
let snapshot: BookSnapshot | undefined;
for (const name of ["btcusdt_20240808.gz", "btcusdt_20240809.gz"]) {
  const text = new TextDecoder().decode(
    gunzipSync(Deno.readFileSync(new URL(`../../testdata/binance-spot/${name}`, import.meta.url))),
  );
  for (const line of text.split("\n")) {
    if (!line.includes("depthUpdate") && !line.includes("lastUpdateId")) continue;
    const e = parseBinanceFrame(line.slice(line.indexOf(" ") + 1), {
      venue: "binance",
      receiveTime: 0,
      lookup: () => inst,
      snapshotInstrument: inst,
    });
    if (e.kind === "delta" && snapshot && e.lastSequence > snapshot.sequence) deltas.push(e);
    if (e.kind === "snapshot") snapshot = e;
  }
}
const levels = deltas.reduce((n, d) => n + d.bids.length + d.asks.length, 0);
console.log(`${deltas.length} deltas, ${levels} level updates per iteration`);

Deno.bench(
  "OrderBook apply: snapshot + all recorded deltas",
  { group: "book", baseline: true },
  (b) => {
    const book = new OrderBook(inst);
    b.start();
    book.applySnapshot(snapshot!);
    for (const d of deltas) {
      book.applyLevels("bid", d.bids);
      book.applyLevels("ask", d.asks);
    }
    b.end();
  },
);

Deno.bench(
  "OrderBook top-of-book reads (best bid/ask + depth 25 bps) per delta",
  { group: "book" },
  (b) => {
    const book = new OrderBook(inst);
    book.applySnapshot(snapshot!);
    b.start();
    let x = 0;
    for (const d of deltas) {
      book.applyLevels("bid", d.bids);
      book.applyLevels("ask", d.asks);
      x += (book.bestBidPrice() ?? 0) + book.depthWithinBps("bid", 25);
    }
    b.end();
    if (x === -1) console.log(x);
  },
);
