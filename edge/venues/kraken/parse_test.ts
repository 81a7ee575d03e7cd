import assert from "node:assert/strict";
import type { BookSnapshot } from "../../../core/market/events.ts";
import { venueInstruments } from "../../../core/market/instruments.ts";
import { krakenChecksum } from "../../../core/market/kraken_checksum.ts";
import { KrakenBookSync } from "../../../core/market/kraken_sync.ts";
import { OrderBook } from "../../../core/market/order_book.ts";
import { FrameError } from "../frame_error.ts";
import { lookupOf } from "../venue_item.ts";
import { parseKrakenFrame, quoteKrakenNumbers } from "./parse.ts";

const lookup = lookupOf(venueInstruments("kraken"));
const opts = { receiveTime: 1, lookup };

// Top of the Kraken v2 docs' BTC/USD example book (checksum 3310070434), as JSON numbers.
const ASKS = [
  [45285.2, "0.00100000"],
  [45286.4, "1.54571953"],
  [45286.6, "1.54571109"],
  [45289.6, "1.54560911"],
  [45290.2, "0.15890660"],
  [45291.8, "1.54553491"],
  [45294.7, "0.04454749"],
  [45296.1, "0.35380000"],
  [45297.5, "0.09945542"],
  [45299.5, "0.18772827"],
];
const BIDS = [
  [45283.5, "0.10000000"],
  [45283.4, "1.54582015"],
  [45282.1, "0.10000000"],
  ["45281.0", "0.10000000"],
  [45280.3, "1.54592586"],
  ["45279.0", "0.07990000"],
  [45277.6, "0.03310103"],
  [45277.5, "0.30000000"],
  [45277.3, "1.54602737"],
  [45276.6, "0.15445238"],
];
const levels = (rows: (string | number)[][]) =>
  rows.map(([p, q]) => `{"price":${p},"qty":${q}}`).join(",");
const SNAPSHOT = `{"channel":"book","type":"snapshot","data":[{"symbol":"BTC/USD","bids":[${
  levels(BIDS)
}],"asks":[${levels(ASKS)}],"checksum":3310070434,"timestamp":"2023-10-06T17:35:55.440295Z"}]}`;

Deno.test("quoteKrakenNumbers() keeps the exact text of price and qty", () => {
  assert.equal(
    quoteKrakenNumbers('{"price":105910.0,"qty":0.70000000,"trade_id":5}'),
    '{"price":"105910.0","qty":"0.70000000","trade_id":5}',
  );
});

Deno.test("parseKrakenFrame() keeps trailing zeros so the v2 docs snapshot checksum matches", () => {
  const { items } = parseKrakenFrame(SNAPSHOT, opts);
  const snap = items[0] as BookSnapshot & { checksum: number };
  assert.equal(snap.kind, "snapshot");
  assert.equal(snap.symbol, "BTC/USD");
  assert.equal(snap.checksum, 3310070434);
  const sync = new KrakenBookSync(new OrderBook(lookup("BTC/USD")!), { depth: 10 });
  assert.deepEqual(sync.onSnapshot(snap), []);
  assert.equal(sync.counters.checksumOk, 1);
  assert.equal(krakenChecksum(sync.book), 3310070434);
});

Deno.test("parseKrakenFrame() reads updates, trades, heartbeats and method replies", () => {
  const upd = parseKrakenFrame(
    '{"channel":"book","type":"update","data":[{"symbol":"ETH/USD","bids":[{"price":2000.5,"qty":0}],"asks":[],"checksum":12,"timestamp":"2023-10-06T17:35:55.5Z"}]}',
    opts,
  ).items[0];
  assert.equal(upd?.kind, "delta");
  const trade = parseKrakenFrame(
    '{"channel":"trade","type":"update","data":[{"symbol":"BTC/USD","side":"sell","price":45000.1,"qty":0.5,"ord_type":"market","trade_id":4665846,"timestamp":"2023-09-25T07:48:36.925533Z"}]}',
    opts,
  ).items[0];
  assert.deepEqual(trade && trade.kind === "trade" && [trade.tradeId, trade.takerSide], [
    "4665846",
    "sell",
  ]);
  assert.equal(parseKrakenFrame('{"channel":"heartbeat"}', opts).items[0]?.kind, "control");
  const ack = parseKrakenFrame(
    '{"method":"subscribe","result":{"channel":"book","depth":10,"snapshot":true,"symbol":"BTC/USD"},"success":true}',
    opts,
  ).items[0];
  assert.deepEqual(ack, {
    kind: "control",
    type: "subscribed",
    detail: "book",
    symbol: "BTC/USD",
  });
  const rejected = parseKrakenFrame(
    '{"method":"subscribe","error":"Currency pair not supported","success":false,"symbol":"X/Y"}',
    opts,
  ).items[0];
  assert.equal(rejected?.kind, "venue_error");
});

Deno.test("parseKrakenFrame() names the venue and field on bad frames", () => {
  assert.throws(() => parseKrakenFrame("{not json", opts), FrameError);
  assert.throws(
    () =>
      parseKrakenFrame('{"channel":"book","type":"update","data":[{"symbol":"DOGE/EUR"}]}', opts),
    /Bad kraken frame: unknown symbol "DOGE\/EUR"/,
  );
  assert.throws(
    () =>
      parseKrakenFrame(
        '{"channel":"book","type":"update","data":[{"symbol":"BTC/USD","bids":[{"price":-1,"qty":1}],"asks":[],"checksum":1}]}',
        opts,
      ),
    /price must be > 0/,
  );
});

Deno.test("KrakenAdapter widens a pair written with more decimals than its instrument (once)", async () => {
  const { KrakenAdapter } = await import("./adapter.ts");
  const problems: string[] = [];
  const changes: string[] = [];
  const adapter = new KrakenAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: "http://127.0.0.1:9",
    instruments: venueInstruments("kraken"),
    sink: {
      onBadFrame: (_v, line) => problems.push(line),
      onInstrument: (_v, _i, why) => changes.push(why),
    },
  });
  assert.ok(adapter.ingest(SNAPSHOT, 1)); // BTC/USD at 1 price decimal: fine
  assert.equal(problems.length, 0);
  const finer = SNAPSHOT.replace('"price":45285.2,', '"price":45285.25,');
  assert.ok(adapter.ingest(finer, 2));
  assert.ok(adapter.ingest(finer, 3));
  // Not a rejected frame: the scale widens to the data's 2 decimals, logged once.
  assert.equal(problems.length, 0, problems.join("\n"));
  assert.equal(changes.length, 1, changes.join("\n"));
  assert.match(changes[0]!, /"45285\.25" is finer than 1 decimals/);
  const inst = adapter.feeds.get("BTC/USD")!.inst;
  assert.equal(inst.priceDecimals, 2);
  assert.equal(inst.priceTextDecimals, 2);
  assert.equal(adapter.counters.instrumentChanges, 1);
  // Trailing zeros beyond the text decimals (the checksum's text) widen the text too.
  assert.ok(adapter.ingest(SNAPSHOT.replace('"qty":0.00100000', '"qty":0.0010000000'), 4));
  assert.equal(adapter.feeds.get("BTC/USD")!.inst.sizeTextDecimals, 10);
  assert.equal(adapter.counters.instrumentChanges, 2);
  assert.equal(problems.length, 0, problems.join("\n"));
  await adapter.stop();
});
