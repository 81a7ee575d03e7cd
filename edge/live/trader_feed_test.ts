import assert from "node:assert/strict";
import type { BookDelta, LevelUpdate, MarketEvent } from "../../core/market/events.ts";
import type { Lots, Ticks } from "../../core/market/fixed_point.ts";
import { defaultInstrument } from "../../core/market/instruments.ts";
import type { Instrument } from "../../core/market/instrument.ts";
import { OrderBook } from "../../core/market/order_book.ts";
import { venueBookSync } from "../../core/market/venue_book_sync.ts";
import { replayBinanceRecording } from "../replay/binance_replay.ts";
import { TraderFeed } from "./trader_feed.ts";

const FILE = new URL("../../testdata/binance-spot/btcusdt_20240808.gz", import.meta.url).pathname;
const recorded: MarketEvent[] = [];
await replayBinanceRecording([FILE], { sink: { onEvent: (e) => void recorded.push(e) } });

/** A seeded Coinbase and KuCoin stream (snapshot then deltas over a few prices). */
function synthetic(venue: "coinbase" | "kucoin", n: number, t0: number): MarketEvent[] {
  let x = 7;
  const rnd = () => (x = (x * 48271) % 2147483647) / 2147483647;
  const head = { venue, symbol: "BTC/USDT", exchangeTime: t0 } as const;
  const lv = (p: number, s: number) => [p as Ticks, s as Lots] as LevelUpdate;
  const out: MarketEvent[] = [{
    ...head,
    kind: "snapshot",
    receiveTime: t0,
    sequence: 100,
    bids: [lv(990, 5), lv(980, 5)],
    asks: [lv(1010, 5), lv(1020, 5)],
  }];
  for (let i = 1; i <= n; i++) {
    const side = rnd() < 0.5 ? "bids" : "asks";
    const p = side === "bids" ? 950 + Math.floor(rnd() * 45) : 1005 + Math.floor(rnd() * 45);
    const s = rnd() < 0.3 ? 0 : 1 + Math.floor(rnd() * 9);
    const seq = 100 + i;
    const d: BookDelta & { bidSequences?: number[]; askSequences?: number[] } = {
      ...head,
      kind: "delta",
      receiveTime: t0 + i,
      firstSequence: seq,
      lastSequence: seq,
      bids: side === "bids" ? [lv(p, s)] : [],
      asks: side === "asks" ? [lv(p, s)] : [],
      ...(venue === "kucoin"
        ? { bidSequences: side === "bids" ? [seq] : [], askSequences: side === "asks" ? [seq] : [] }
        : {}),
    };
    out.push(d);
    if (i % 97 === 0) {
      out.push({
        ...head,
        kind: "trade",
        receiveTime: t0 + i,
        tradeId: String(i),
        price: 1005 as Ticks,
        size: 1 as Lots,
        takerSide: "buy",
      });
    }
  }
  return out;
}

/** Every book after applying `events` through its venue's sync. */
function books(events: readonly MarketEvent[]): Map<string, string> {
  const syncs = new Map<string, ReturnType<typeof venueBookSync>>();
  for (const e of events) {
    if (e.kind === "trade") continue;
    const key = `${e.venue} ${e.symbol}`;
    let s = syncs.get(key);
    if (!s) {
      const inst = (defaultInstrument(e.venue, e.symbol) ??
        defaultInstrument("binance", "BTC/USDT")) as Instrument;
      s = venueBookSync(new OrderBook({ ...inst, venue: e.venue }));
      syncs.set(key, s);
    }
    if (e.kind === "snapshot") s.onSnapshot(e);
    else s.onDelta(e);
  }
  return new Map(
    [...syncs].map((
      [k, s],
    ) => [k, JSON.stringify([s.synced, s.book.top("bid"), s.book.top("ask")])]),
  );
}

Deno.test("trader feed: a trader that stops reading keeps the backlog bounded; the books it reads after are exact", async () => {
  const t0 = recorded[0]!.receiveTime;
  const all = [
    ...recorded,
    ...synthetic("coinbase", 30_000, t0),
    ...synthetic("kucoin", 30_000, t0),
  ]
    .sort((a, b) => a.receiveTime - b.receiveTime);
  const lines: string[] = [];
  const feed = new TraderFeed({
    maxQueued: 2_000,
    onConflate: (p) => lines.push(`${p.merged} ${p.skipped} ${p.left}`),
  });
  let most = 0;
  // The trader is blocked (e.g. on a full disk): every event arrives while none is read.
  for (const e of all) {
    feed.push(e);
    most = Math.max(most, feed.size);
  }
  assert.ok(all.length > 60_000, `${all.length} events`);
  assert.ok(most <= 2_001, `at most the bound waited, got ${most}`);
  assert.ok(feed.conflations > 0 && lines.length === feed.conflations);
  assert.ok(feed.mergedDeltas > 50_000, `merged ${feed.mergedDeltas}`);
  assert.ok(feed.skippedTrades > 0);
  feed.close();
  const read: MarketEvent[] = [];
  for await (const e of feed) read.push(e);
  assert.equal(feed.size, 0);
  // Every book the trader builds from the conflated feed equals the one from every event.
  const want = books(all);
  const got = books(read);
  assert.equal(want.size, 3);
  for (const [k, v] of want) assert.equal(got.get(k), v, k);
  assert.ok([...want.values()].every((v) => v.startsWith("[true")));
  // Receive times stay in order; the newest trade of each book is kept.
  for (let i = 1; i < read.length; i++) {
    assert.ok(read[i]!.receiveTime >= read[i - 1]!.receiveTime, `order at ${i}`);
  }
  const lastTrade = (es: MarketEvent[], v: string) =>
    es.findLast((e) => e.kind === "trade" && e.venue === v);
  for (const v of ["binance", "coinbase", "kucoin"]) {
    assert.deepEqual(lastTrade(read, v), lastTrade(all, v), v);
  }
});

Deno.test("trader feed: a reader that keeps up sees every event unchanged", async () => {
  const feed = new TraderFeed({ maxQueued: 100 });
  const got: MarketEvent[] = [];
  const reader = (async () => {
    for await (const e of feed) got.push(e);
  })();
  for (let i = 0; i < 5_000; i += 50) {
    for (const e of recorded.slice(i, i + 50)) feed.push(e);
    await new Promise((r) => setTimeout(r, 0));
  }
  feed.close();
  await reader;
  assert.equal(feed.conflations, 0);
  assert.deepEqual(got, recorded.slice(0, 5_000));
});

Deno.test("trader feed: deltas of a sequenced book across a gap are not merged (the trader still sees the gap)", async () => {
  const d = (f: number, l: number): BookDelta => ({
    kind: "delta",
    venue: "binance_us",
    symbol: "BTC/USD",
    exchangeTime: f,
    receiveTime: f,
    firstSequence: f,
    lastSequence: l,
    bids: [[f as Ticks, 1 as Lots]],
    asks: [],
  });
  const feed = new TraderFeed({ maxQueued: 3 });
  for (const e of [d(1, 2), d(3, 4), d(6, 7), d(8, 9)]) feed.push(e);
  feed.close();
  const got = await Array.fromAsync(feed);
  assert.deepEqual(got.map((e) => e.kind === "delta" && [e.firstSequence, e.lastSequence]), [
    [1, 4],
    [6, 9],
  ]);
});
