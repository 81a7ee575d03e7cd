/**
 * Exchange etiquette on loopback servers: `Retry-After` as an HTTP date is honoured (not NaN,
 * not "retry at once"), REST requests time out, and the reconnect backoff is not reset by the
 * first frame of a connection that closes at once.
 *
 * @module
 */
import assert from "node:assert/strict";
import { venueInstruments } from "../../core/market/instruments.ts";
import { BinanceUsAdapter } from "./binance/adapter.ts";
import { WsConnection } from "./connection.ts";
import { KucoinAdapter } from "./kucoin/adapter.ts";
import type { SymbolFeed } from "./symbol_feed.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function snapshotOf(adapter: BinanceUsAdapter | KucoinAdapter, symbol: string): () => void {
  const a = adapter as unknown as {
    ensureFeeds(): void;
    feeds: Map<string, SymbolFeed>;
    requestSnapshot(f: SymbolFeed): void;
  };
  a.ensureFeeds();
  const feed = a.feeds.get(symbol) as SymbolFeed;
  return () => a.requestSnapshot(feed);
}

Deno.test("Binance.US snapshot: a 429 whose Retry-After is an HTTP date waits (clamped), never hammers", async () => {
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    requests++;
    // A date already in the past: the delay clamps to the 1 s minimum instead of 0 or NaN.
    return new Response("{}", {
      status: 429,
      headers: { "retry-after": new Date(Date.now() - 5_000).toUTCString() },
    });
  });
  const problems: string[] = [];
  const adapter = new BinanceUsAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    instruments: venueInstruments("binance_us").slice(0, 1),
    snapshotStaggerMs: 0,
    sink: { onEvent: () => {}, onBadFrame: (_v, line) => problems.push(line) },
  });
  try {
    snapshotOf(adapter, "BTC/USDT")();
    for (let i = 0; i < 100 && requests === 0; i++) await sleep(10);
    await sleep(500);
    // Before the fix: NaN → setTimeout(…, NaN) → retried at once, thousands of requests.
    assert.equal(requests, 1);
    assert.match(problems.join("\n"), /HTTP 429, backing off/);
  } finally {
    await adapter.stop();
    await server.shutdown();
  }
});

Deno.test("KuCoin snapshot: a 429 waits for Retry-After (HTTP date in the future) instead of the 1 s resync", async () => {
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => {
    requests++;
    return new Response("{}", {
      status: 429,
      headers: { "retry-after": new Date(Date.now() + 30_000).toUTCString() },
    });
  });
  const problems: string[] = [];
  const adapter = new KucoinAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: `http://127.0.0.1:${server.addr.port}`,
    instruments: venueInstruments("kucoin").slice(0, 1),
    resyncIntervalMs: 10,
    sink: { onEvent: () => {}, onBadFrame: (_v, line) => problems.push(line) },
  });
  try {
    snapshotOf(adapter, "BTC/USDT")();
    for (let i = 0; i < 100 && requests === 0; i++) await sleep(10);
    await sleep(300);
    // Not retried every 10 ms (the resync interval): the venue asked for ~30 s.
    assert.equal(requests, 1);
    assert.match(problems.join("\n"), /kucoin: snapshot BTC-USDT: HTTP 429, backing off/);
  } finally {
    await adapter.stop();
    await server.shutdown();
  }
});

Deno.test("REST requests time out: a snapshot and a KuCoin token request against a silent server", async () => {
  const hung: PromiseWithResolvers<void>[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async () => {
    const p = Promise.withResolvers<void>();
    hung.push(p);
    await p.promise; // never answers until the test ends
    return new Response("late");
  });
  const problems: string[] = [];
  const sink = { onEvent: () => {}, onBadFrame: (_v: string, line: string) => problems.push(line) };
  const rest = `http://127.0.0.1:${server.addr.port}`;
  const binance = new BinanceUsAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: rest,
    instruments: venueInstruments("binance_us").slice(0, 1),
    snapshotStaggerMs: 0,
    requestTimeoutMs: 100,
    resyncIntervalMs: 60_000,
    sink,
  });
  const kucoin = new KucoinAdapter({
    wsUrl: "ws://127.0.0.1:9",
    restUrl: rest,
    instruments: venueInstruments("kucoin").slice(0, 1),
    requestTimeoutMs: 100,
    initialDelayMs: 60_000,
    sink,
  });
  try {
    snapshotOf(binance, "BTC/USDT")();
    kucoin.start(); // asks for a bullet-public token first
    for (let i = 0; i < 500 && problems.length < 2; i++) await sleep(10);
    const text = problems.join("\n");
    assert.match(text, /binance_us: snapshot BTCUSDT: .*(timed out|abort)/i);
    assert.match(text, /kucoin: connection: .*(timed out|abort)/i);
  } finally {
    for (const h of hung) h.resolve();
    await binance.stop();
    await kucoin.stop();
    await server.shutdown();
  }
});

Deno.test("WsConnection: a server that sends one frame and closes does not reset the backoff", async () => {
  let accepted = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const { socket, response } = Deno.upgradeWebSocket(req);
    accepted++;
    socket.onopen = () => {
      socket.send("one frame");
      socket.close(1000, "bye");
    };
    return response;
  });
  const conn = new WsConnection({
    name: "flapping",
    url: () => `ws://127.0.0.1:${server.addr.port}`,
    onOpen: () => {},
    onMessage: () => {},
    initialDelayMs: 10,
    maxDelayMs: 60_000,
    stableAfterMs: 60_000,
    random: () => 0,
  });
  conn.start();
  await sleep(1_000);
  await conn.stop();
  await server.shutdown();
  // Delays 10, 20, 40, ..., 640 ms: at most 8 connections in a second. Resetting on the first
  // frame reconnected every 10 ms (dozens).
  assert.ok(accepted >= 1 && accepted <= 8, `connections in 1 s: ${accepted}`);
  assert.ok(conn.counters.frames >= 1);
});
