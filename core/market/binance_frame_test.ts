import assert from "node:assert/strict";
import { decodeBinanceFrame } from "./binance_frame.ts";
import { FrameError } from "./frame_error.ts";
import { defaultInstrument } from "./instruments.ts";

const inst = defaultInstrument("binance", "BTC/USDT")!;
const options = { venue: "binance", receiveTime: 7, lookup: () => inst } as const;

Deno.test("decodeBinanceFrame() decodes snapshots, diffs and trades", () => {
  const snap = decodeBinanceFrame(
    { lastUpdateId: 10, bids: [["100.00", "1.5"]], asks: [] },
    { ...options, snapshotInstrument: inst },
  );
  assert.equal(snap.kind, "snapshot");
  assert.equal(snap.kind === "snapshot" && snap.sequence, 10);
  const diff = decodeBinanceFrame({
    stream: "btcusdt@depth@100ms",
    data: { e: "depthUpdate", E: 5, s: "BTCUSDT", U: 11, u: 12, b: [], a: [["101.00", "0"]] },
  }, options);
  assert.deepEqual(diff, {
    kind: "delta",
    venue: "binance",
    symbol: "BTC/USDT",
    exchangeTime: 5,
    receiveTime: 7,
    firstSequence: 11,
    lastSequence: 12,
    bids: [],
    asks: [[10100, 0]],
  });
  const trade = decodeBinanceFrame(
    { e: "trade", T: 6, s: "BTCUSDT", t: 3, p: "100.00", q: "0.001", m: true },
    options,
  );
  assert.equal(trade.kind === "trade" && trade.takerSide, "sell");
  assert.equal(trade.kind === "trade" && trade.tradeId, "3");
});

Deno.test("decodeBinanceFrame() decodes aggTrade unless aggTrades is false", () => {
  const agg = { e: "aggTrade", T: 6, s: "BTCUSDT", a: 9, p: "100.00", q: "1", m: false };
  const on = decodeBinanceFrame(agg, options);
  assert.equal(on.kind === "trade" && on.tradeId, "9");
  assert.deepEqual(decodeBinanceFrame(agg, { ...options, aggTrades: false }), {
    kind: "ignored",
    stream: "aggTrade",
  });
});

Deno.test("decodeBinanceFrame() ignores unused streams and rejects bad frames", () => {
  assert.deepEqual(
    decodeBinanceFrame({ stream: "btcusdt@bookTicker", data: { u: 1, s: "BTCUSDT" } }, options),
    { kind: "ignored", stream: "btcusdt@bookTicker" },
  );
  assert.throws(() => decodeBinanceFrame([], options), FrameError);
  assert.throws(() => decodeBinanceFrame({ lastUpdateId: 1, bids: [], asks: [] }, options), {
    name: "FrameError",
    message: "Bad binance frame: depth snapshot without a known instrument",
  });
  assert.throws(
    () =>
      decodeBinanceFrame(
        { e: "depthUpdate", E: 1, s: "BTCUSDT", U: 3, u: 2, b: [], a: [] },
        options,
      ),
    FrameError,
  );
});
