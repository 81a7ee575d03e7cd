import assert from "node:assert/strict";
import { venueInstruments } from "../../../core/market/instruments.ts";
import type { KucoinDelta } from "../../../core/market/kucoin_sync.ts";
import { lookupOf } from "../venue_item.ts";
import { parseKucoinBullet, parseKucoinFrame, parseKucoinSnapshot } from "./parse.ts";

const lookup = lookupOf(venueInstruments("kucoin"));
const opts = { receiveTime: 1, lookup };

Deno.test("parseKucoinFrame() reads the docs' level2 increment with record sequences", () => {
  const text = JSON.stringify({
    type: "message",
    topic: "/market/level2:BTC-USDT",
    subject: "trade.l2update",
    data: {
      changes: {
        asks: [["18906", "0.00331", "14103845"], ["18907.3", "0.58751503", "14103844"]],
        bids: [["18891.9", "0.15688", "14103847"], ["0", "0", "14103846"]],
      },
      sequenceEnd: 14103847,
      sequenceStart: 14103844,
      symbol: "BTC-USDT",
      time: 1663747970273,
    },
  });
  const d = parseKucoinFrame(text, opts).items[0] as KucoinDelta;
  assert.equal(d.kind, "delta");
  assert.deepEqual([d.firstSequence, d.lastSequence], [14103844, 14103847]);
  assert.deepEqual(d.asks, [[189060, 331000], [189073, 58751503]]);
  assert.deepEqual(d.askSequences, [14103845, 14103844]);
  assert.deepEqual(d.bids, [[188919, 15688000]]); // the price "0" record is skipped
  assert.deepEqual(d.bidSequences, [14103847]);
});

Deno.test("parseKucoinFrame() reads matches (ns time kept exact) and control frames", () => {
  const t = parseKucoinFrame(
    '{"data":{"symbol":"ETH-USDT","sequence":"1612701563869","side":"buy","size":"0.5","price":"2000.01","takerOrderId":"a","time":"1619378327739050725","type":"match","makerOrderId":"b","tradeId":"6085c09769bc506996295e36"},"subject":"trade.l3match","topic":"/market/match:ETH-USDT","type":"message"}',
    opts,
  ).items[0];
  assert.ok(t?.kind === "trade");
  assert.equal(t.tradeId, "6085c09769bc506996295e36");
  assert.equal(Math.floor(t.exchangeTime), 1619378327739);
  assert.equal(t.takerSide, "buy");
  assert.deepEqual(parseKucoinFrame('{"id":"hQvf8jkno","type":"welcome"}', opts).items[0], {
    kind: "control",
    type: "welcome",
    detail: "hQvf8jkno",
  });
  assert.equal(parseKucoinFrame('{"id":"1","type":"pong"}', opts).items[0]?.kind, "control");
  assert.throws(
    () => parseKucoinFrame('{"type":"message","topic":"/market/level2:BTC-USDT"}', opts),
    /'data'/,
  );
});

Deno.test("parseKucoinSnapshot() reads the string sequence; errors name the venue", () => {
  const inst = lookup("BTC-USDT")!;
  const s = parseKucoinSnapshot(
    '{"code":"200000","data":{"time":1619378326628,"sequence":"1613277183892","bids":[["242.6","5"]],"asks":[["242.7","0.68148185"]]}}',
    inst,
    5,
  );
  assert.equal(s.sequence, 1613277183892);
  assert.deepEqual(s.asks, [[2427, 68148185]]);
  assert.throws(() => parseKucoinSnapshot('{"code":"429000","msg":"Too many"}', inst, 5), /429000/);
});

Deno.test("parseKucoinBullet() reads the token, endpoint and ping timing", () => {
  const b = parseKucoinBullet(
    '{"code":"200000","data":{"token":"tok","instanceServers":[{"endpoint":"wss://ws-api-spot.kucoin.com/","encrypt":true,"protocol":"websocket","pingInterval":18000,"pingTimeout":10000}]}}',
  );
  assert.deepEqual(b, {
    token: "tok",
    endpoint: "wss://ws-api-spot.kucoin.com/",
    pingInterval: 18000,
    pingTimeout: 10000,
  });
});
