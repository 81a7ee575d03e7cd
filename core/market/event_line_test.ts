import assert from "node:assert/strict";
import { decodeEventLine, encodeEventLine, eventsHeader, isEventsHeader } from "./event_line.ts";
import type { MarketEvent } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import type { Instrument } from "./instrument.ts";
import { defaultInstrument } from "./instruments.ts";

const head = { exchangeTime: 1_700_000_000_000, receiveTime: 1_700_000_000_012 } as const;
const kraken = defaultInstrument("kraken", "BTC/USD") as Instrument;
const coinbase = defaultInstrument("coinbase", "ETH/USD") as Instrument;

Deno.test("events of any venue round-trip through a line exactly", () => {
  const events: [MarketEvent, Instrument][] = [
    [{
      ...head,
      venue: "kraken",
      symbol: "BTC/USD",
      kind: "snapshot",
      sequence: 7,
      bids: [[618745 as Ticks, 14_298_000 as Lots]],
      asks: [[618746 as Ticks, 1 as Lots]],
    }, kraken],
    [{
      ...head,
      venue: "kraken",
      symbol: "BTC/USD",
      kind: "delta",
      firstSequence: 8,
      lastSequence: 8,
      bids: [[618745 as Ticks, 0 as Lots]],
      asks: [],
      checksum: 123456789,
    }, kraken],
    [{
      ...head,
      venue: "coinbase",
      symbol: "ETH/USD",
      kind: "trade",
      tradeId: "42",
      price: 300012 as Ticks,
      size: 250_000_000 as Lots,
      takerSide: "sell",
    }, coinbase],
  ];
  assert.ok(isEventsHeader(eventsHeader()));
  for (const [e, inst] of events) {
    const line = encodeEventLine(e, inst);
    assert.deepEqual(decodeEventLine(line), e);
  }
  assert.match(encodeEventLine(events[0]![0], kraken), /"bids":\[\["61874\.5","0\.14298000"\]\]/);
});

Deno.test("a bad event line names what is wrong", () => {
  assert.throws(() => decodeEventLine("{"), /Bad events frame: not JSON/);
  const ok = { ...head, kind: "trade", venue: "coinbase", symbol: "ETH/USD", tradeId: "1" };
  assert.throws(
    () => decodeEventLine(JSON.stringify({ ...ok, venue: "bitstamp" })),
    /no instrument for bitstamp ETH\/USD/,
  );
  assert.throws(
    () => decodeEventLine(JSON.stringify({ ...ok, price: "1.00", size: "1", takerSide: "up" })),
    /takerSide: expected buy or sell/,
  );
  assert.throws(
    () => decodeEventLine(JSON.stringify({ ...ok, receiveTime: "now" })),
    /receiveTime: expected a finite number/,
  );
  assert.throws(
    () =>
      decodeEventLine(
        JSON.stringify({
          ...ok,
          kind: "delta",
          firstSequence: 1,
          lastSequence: 1,
          bids: [[1, 2]],
          asks: [],
        }),
      ),
    /bids: expected \[price, size\] decimal strings/,
  );
  assert.throws(() => decodeEventLine(JSON.stringify({ ...ok, kind: "quote" })), /kind: expected/);
});
