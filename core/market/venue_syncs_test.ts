import assert from "node:assert/strict";
import { CoinbaseBookSync } from "./coinbase_sync.ts";
import type { LevelUpdate } from "./events.ts";
import type { Lots, Ticks } from "./fixed_point.ts";
import { makeInstrument } from "./instrument.ts";
import { krakenChecksum } from "./kraken_checksum.ts";
import { KrakenBookSync } from "./kraken_sync.ts";
import { KucoinBookSync, type KucoinDelta } from "./kucoin_sync.ts";
import { OrderBook } from "./order_book.ts";

const lv = (p: number, s: number): LevelUpdate => [p as Ticks, s as Lots];
const book = (venue: "kraken" | "kucoin" | "coinbase") =>
  new OrderBook(makeInstrument({ venue, symbol: "BTC/USDT", priceDecimals: 1, sizeDecimals: 8 }));
const head = (venue: "kraken" | "kucoin" | "coinbase") =>
  ({ venue, symbol: "BTC/USDT", exchangeTime: 0, receiveTime: 0 }) as const;

function kdelta(first: number, last: number, bids: [number, number, number][]): KucoinDelta {
  return {
    ...head("kucoin"),
    kind: "delta",
    firstSequence: first,
    lastSequence: last,
    bids: bids.map(([p, s]) => lv(p, s)),
    bidSequences: bids.map(([, , q]) => q),
    asks: [],
    askSequences: [],
  };
}

Deno.test("KucoinBookSync buffers, splices per record, drops stale and detects gaps", () => {
  const sync = new KucoinBookSync(book("kucoin"));
  assert.equal(sync.onDelta(kdelta(10, 12, [[100, 1, 11], [99, 2, 12]])), "buffered");
  assert.equal(sync.onDelta(kdelta(13, 13, [[98, 3, 13]])), "buffered");
  const out = sync.onSnapshot({
    ...head("kucoin"),
    kind: "snapshot",
    sequence: 11,
    bids: [lv(100, 7)],
    asks: [],
  });
  assert.deepEqual(out, ["applied", "applied"]);
  assert.equal(sync.book.sizeAt("bid", 100 as Ticks), 7); // record 11 <= 11: skipped
  assert.equal(sync.book.sizeAt("bid", 99 as Ticks), 2);
  assert.equal(sync.counters.skippedRecords, 1);
  assert.equal(sync.onDelta(kdelta(12, 13, [[97, 1, 13]])), "stale");
  assert.equal(sync.onDelta(kdelta(15, 15, [[97, 1, 15]])), "gap");
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("bid"), 0);
  assert.equal(sync.buffered, 1); // the gapping increment waits for the next snapshot
  assert.equal(sync.counters.gaps, 1);
});

Deno.test("KrakenBookSync truncates to depth, verifies checksums and resets on mismatch", () => {
  const sync = new KrakenBookSync(book("kraken"), { depth: 3 });
  assert.equal(
    sync.onDelta({
      ...head("kraken"),
      kind: "delta",
      firstSequence: 0,
      lastSequence: 0,
      bids: [],
      asks: [],
    }),
    "unsynced",
  );
  sync.onSnapshot({
    ...head("kraken"),
    kind: "snapshot",
    sequence: 0,
    bids: [lv(100, 1), lv(99, 1), lv(98, 1)],
    asks: [lv(101, 1), lv(102, 1), lv(103, 1)],
  });
  const probe = book("kraken");
  probe.applySnapshot({
    bids: [lv(100, 5), lv(99, 1), lv(98, 1)],
    asks: [lv(101, 1), lv(102, 1), lv(103, 1)],
  });
  const expected = krakenChecksum(probe);
  const ok = sync.onDelta({
    ...head("kraken"),
    kind: "delta",
    firstSequence: 0,
    lastSequence: 0,
    bids: [lv(100, 5)],
    asks: [],
    checksum: expected,
  });
  assert.equal(ok, "applied");
  const insert = sync.onDelta({
    ...head("kraken"),
    kind: "delta",
    firstSequence: 0,
    lastSequence: 0,
    bids: [lv(201, 1)],
    asks: [],
  });
  assert.equal(insert, "crossed"); // 201 >= best ask 101; the 4th bid (98) falls out
  assert.equal(sync.book.levelCount("bid"), 3);
  assert.equal(sync.counters.truncated, 1);
  const bad = sync.onDelta({
    ...head("kraken"),
    kind: "delta",
    firstSequence: 0,
    lastSequence: 0,
    bids: [],
    asks: [],
    checksum: expected ^ 1,
  });
  assert.equal(bad, "checksum_failed");
  assert.equal(sync.synced, false);
  assert.equal(sync.book.levelCount("ask"), 0);
  assert.deepEqual([sync.counters.checksumOk, sync.counters.checksumFailed], [1, 1]);
});

Deno.test("CoinbaseBookSync drops updates before the snapshot and resets on a gap", () => {
  const sync = new CoinbaseBookSync(book("coinbase"));
  const upd = {
    ...head("coinbase"),
    kind: "delta",
    firstSequence: 1,
    lastSequence: 1,
    bids: [lv(100, 2)],
    asks: [],
  } as const;
  assert.equal(sync.onDelta(upd), "unsynced");
  assert.deepEqual(
    sync.onSnapshot({
      ...head("coinbase"),
      kind: "snapshot",
      sequence: 0,
      bids: [lv(100, 1)],
      asks: [lv(101, 1)],
    }),
    [],
  );
  assert.equal(sync.onDelta(upd), "applied");
  assert.equal(sync.book.sizeAt("bid", 100 as Ticks), 2);
  sync.onGap();
  assert.equal(sync.synced, false);
  assert.equal(sync.counters.gaps, 1);
  assert.deepEqual(
    sync.onSnapshot({
      ...head("coinbase"),
      kind: "snapshot",
      sequence: 0,
      bids: [lv(102, 1)],
      asks: [lv(101, 1)],
    }),
    ["crossed"],
  );
});
