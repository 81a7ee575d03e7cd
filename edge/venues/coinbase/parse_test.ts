import assert from "node:assert/strict";
import { venueInstruments } from "../../../core/market/instruments.ts";
import { lookupOf } from "../venue_item.ts";
import { parseCoinbaseLegacyFrame } from "./legacy_parse.ts";
import { parseCoinbaseFrame } from "./parse.ts";

const lookup = lookupOf(venueInstruments("coinbase"));
const opts = { receiveTime: 1, lookup };

Deno.test("parseCoinbaseFrame() reads an l2_data snapshot and update ('offer' = ask)", () => {
  const snap = parseCoinbaseFrame(
    '{"channel":"l2_data","client_id":"","timestamp":"2023-02-09T20:32:50.714964855Z","sequence_num":0,"events":[{"type":"snapshot","product_id":"BTC-USD","updates":[{"side":"bid","event_time":"1970-01-01T00:00:00Z","price_level":"21921.73","new_quantity":"0.06317902"},{"side":"offer","event_time":"1970-01-01T00:00:00Z","price_level":"21921.8","new_quantity":"0.02"}]}]}',
    opts,
  );
  assert.equal(snap.connectionSequence, 0);
  const s = snap.items[0];
  assert.ok(s?.kind === "snapshot");
  assert.deepEqual(s.bids, [[2192173, 6317902]]);
  assert.deepEqual(s.asks, [[2192180, 2000000]]);
  const upd = parseCoinbaseFrame(
    "{'channel': 'l2_data', 'client_id': '', 'timestamp': '2024-10-08T09:10:36.04370306Z', 'sequence_num': 9, 'events': [{'type': 'update', 'product_id': 'BTC-USD', 'updates': [{'side': 'bid', 'event_time': '2024-10-08T09:10:34.970831Z', 'price_level': '62319.46', 'new_quantity': '0.00169'}, {'side': 'bid', 'event_time': '2024-10-08T09:10:34.970831Z', 'price_level': '62318.81', 'new_quantity': '0'}]}]}"
      .replaceAll("'", '"'),
    opts,
  );
  const d = upd.items[0];
  assert.ok(d?.kind === "delta");
  assert.equal(d.lastSequence, 9);
  assert.deepEqual(d.bids, [[6231946, 169000], [6231881, 0]]);
  assert.equal(Math.floor(d.exchangeTime), Date.parse("2024-10-08T09:10:36.043Z"));
});

Deno.test("parseCoinbaseFrame() reads market_trades, heartbeats and errors", () => {
  const t = parseCoinbaseFrame(
    '{"channel":"market_trades","client_id":"","timestamp":"2024-10-08T09:10:52.425044603Z","sequence_num":328,"events":[{"type":"update","trades":[{"product_id":"BTC-USD","trade_id":"699871154","price":"62322.43","size":"0.00005535","time":"2024-10-08T09:10:52.378779Z","side":"BUY"},{"product_id":"ETH-USD","trade_id":"7","price":"2400","size":"1","time":"2024-10-08T09:10:52.378779Z","side":"SELL"}]}]}',
    opts,
  );
  assert.deepEqual(t.items.map((i) => i.kind === "trade" && [i.symbol, i.takerSide]), [
    ["BTC/USD", "buy"],
    ["ETH/USD", "sell"],
  ]);
  const hb = parseCoinbaseFrame(
    '{"channel":"heartbeats","client_id":"","timestamp":"2024-10-08T09:10:52Z","sequence_num":329,"events":[{"current_time":"2024-10-08 09:10:52","heartbeat_counter":3}]}',
    opts,
  );
  assert.deepEqual(hb.items[0], { kind: "control", type: "heartbeat", detail: "3" });
  assert.equal(
    parseCoinbaseFrame('{"type":"error","message":"bad"}', opts).items[0]?.kind,
    "venue_error",
  );
  assert.throws(
    () =>
      parseCoinbaseFrame(
        '{"channel":"l2_data","timestamp":"x","sequence_num":1,"events":[]}',
        opts,
      ),
    /timestamp/,
  );
});

Deno.test("parseCoinbaseLegacyFrame() inverts the maker side of matches", () => {
  const m = parseCoinbaseLegacyFrame(
    '{"type":"match","trade_id":280232,"side":"sell","size":"0.5","price":"50000.01","product_id":"BTC-USD","sequence":177100030,"time":"2021-04-17T16:43:37.089723Z"}',
    opts,
  ).items[0];
  assert.ok(m?.kind === "trade");
  assert.equal(m.takerSide, "buy");
  const u = parseCoinbaseLegacyFrame(
    '{"type":"l2update","product_id":"ETH-USD","changes":[["sell","2000.01","0.00000000"],["buy","1999.99","3"]],"time":"2021-04-17T16:43:37.075687Z"}',
    opts,
  ).items[0];
  assert.ok(u?.kind === "delta");
  assert.deepEqual([u.asks, u.bids], [[[200001, 0]], [[199999, 300000000]]]);
});

Deno.test("CoinbaseAdapter drops market_trades it has already seen (the subscribe snapshot)", async () => {
  const { CoinbaseAdapter } = await import("./adapter.ts");
  const seen: string[] = [];
  const adapter = new CoinbaseAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: "http://127.0.0.1:9",
    instruments: venueInstruments("coinbase"),
    sink: { onEvent: (e) => e.kind === "trade" && seen.push(e.tradeId) },
  });
  const frame = (seq: number, type: string, ids: number[]) =>
    JSON.stringify({
      channel: "market_trades",
      client_id: "",
      timestamp: "2024-10-08T09:10:52Z",
      sequence_num: seq,
      events: [{
        type,
        trades: ids.map((id) => ({
          product_id: "BTC-USD",
          trade_id: String(id),
          price: "62322.43",
          size: "0.1",
          time: "2024-10-08T09:10:52Z",
          side: "BUY",
        })),
      }],
    });
  assert.ok(adapter.ingest(frame(1, "snapshot", [5, 6, 7]), 1));
  assert.ok(adapter.ingest(frame(2, "update", [7, 8]), 2));
  assert.ok(adapter.ingest(frame(3, "snapshot", [6, 7, 8]), 3)); // after a reconnect
  assert.deepEqual(seen, ["5", "6", "7", "8"]);
  await adapter.stop();
});

Deno.test("CoinbaseAdapter discards a frame the connection repeated (same sequence_num): stored once, book still synced", async () => {
  const { CoinbaseAdapter } = await import("./adapter.ts");
  const deltas: number[] = [];
  const resyncs: string[] = [];
  const adapter = new CoinbaseAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: "http://127.0.0.1:9",
    instruments: venueInstruments("coinbase"),
    sink: {
      onEvent: (e) => e.kind === "delta" && deltas.push(e.firstSequence),
      onResync: (_v, s, why) => resyncs.push(`${s} ${why}`),
    },
  });
  const frame = (seq: number, type: string, price: string) =>
    JSON.stringify({
      channel: "l2_data",
      client_id: "",
      timestamp: "2024-10-08T09:10:36.04370306Z",
      sequence_num: seq,
      events: [{
        type,
        product_id: "BTC-USD",
        updates: [{
          side: "bid",
          event_time: "2024-10-08T09:10:34.970831Z",
          price_level: price,
          new_quantity: "0.5",
        }, { side: "offer", event_time: "", price_level: "62400", new_quantity: "1" }],
      }],
    });
  assert.ok(adapter.ingest(frame(0, "snapshot", "62300"), 1));
  assert.ok(adapter.ingest(frame(1, "update", "62301"), 2));
  assert.ok(adapter.ingest(frame(1, "update", "62301"), 3)); // the venue sent it twice
  assert.ok(adapter.ingest(frame(2, "update", "62302"), 4));
  assert.deepEqual(deltas, [1, 2]);
  assert.deepEqual(resyncs, []);
  assert.equal(adapter.counters.repeatedFrames, 1);
  assert.ok(adapter.feeds.get("BTC/USD")!.sync.synced);
  await adapter.stop();
});
