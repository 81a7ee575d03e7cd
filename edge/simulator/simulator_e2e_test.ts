/**
 * End to end through the loopback simulator: each venue adapter, configured only
 * with the simulator's base URLs, syncs every symbol; each injected fault is
 * detected, only the faulted symbol resyncs, and the books end equal to the truth.
 */
import assert from "node:assert/strict";
import { venueInstruments } from "../../core/market/instruments.ts";
import { createAdapter } from "../venues/adapter_factory.ts";
import type { VenueAdapter } from "../venues/venue_adapter.ts";
import { ExchangeSimulator, type SimVenue } from "./exchange_simulator.ts";
import type { Fault } from "./faults.ts";

// Generous thresholds: the machine is shared, and a starved event loop must not look like a
// stale feed to the symbols the test expects untouched.
const TIMING = {
  silenceTimeoutMs: 1500,
  staleAfterMs: 1200,
  resyncIntervalMs: 20,
  maxResyncIntervalMs: 200,
  initialDelayMs: 20,
  maxDelayMs: 100,
} as const;

/** State of the running adapter and simulator, printed when a wait times out. */
let describeState: (() => string) | undefined;

async function setup(venue: SimVenue): Promise<{ sim: ExchangeSimulator; adapter: VenueAdapter }> {
  const sim = await ExchangeSimulator.start({ venues: [venue], seed: 7 });
  const symbols = Object.fromEntries(venueInstruments(venue).map((i) => [i.symbol, i.venueSymbol]));
  const adapter = createAdapter(venue, { ...sim.urls()[venue]!, symbols }, TIMING);
  adapter.start();
  describeState = () =>
    JSON.stringify(
      [...adapter.feeds.values()].map((
        f,
      ) => [f.inst.symbol, f.sync.synced, f.sync.counters, f.health.resyncs, f.pending]),
    ) + JSON.stringify(sim.servers.get(venue)!.counters);
  await pump(sim, () => allSynced(adapter), "initial sync");
  return { sim, adapter };
}

function allSynced(a: VenueAdapter): boolean {
  return [...a.feeds.values()].every((f) => f.sync.synced);
}

/** Steps the simulator every 5 ms until `done` holds (or fails after 15 s). */
async function pump(sim: ExchangeSimulator, done: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; state: ${describeState?.() ?? ""}`);
    }
    sim.step();
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Lets in-flight frames arrive without moving the market, then compares every book with the truth. */
async function assertBooksEqualTruth(sim: ExchangeSimulator, a: VenueAdapter): Promise<void> {
  // Settle: synced, then 100 ms without market moves (frames in flight may still reveal a gap).
  for (let i = 0; i < 20; i++) {
    await pump(sim, () => allSynced(a), "resync before comparing");
    await new Promise((r) => setTimeout(r, 100));
    if (allSynced(a)) break;
  }
  const depth = a.venue === "kraken" ? 10 : Infinity;
  for (const [symbol, f] of a.feeds) {
    const truth = sim.truth(a.venue as SimVenue, symbol);
    assert.ok(f.sync.synced, `${a.venue} ${symbol} synced`);
    assert.deepEqual(
      f.sync.book.top("bid", depth),
      truth.top("bid", depth),
      `${a.venue} ${symbol} bids`,
    );
    assert.deepEqual(
      f.sync.book.top("ask", depth),
      truth.top("ask", depth),
      `${a.venue} ${symbol} asks`,
    );
  }
}

function incidents(a: VenueAdapter, symbol: string): number {
  const h = a.feeds.get(symbol)!.health;
  return h.resyncs + h.gaps + h.checksumFailures;
}

/** Injects a frame fault on `symbol` and checks only that symbol resyncs. */
async function faultResyncsOneSymbol(
  sim: ExchangeSimulator,
  a: VenueAdapter,
  fault: Fault & { symbol: string },
): Promise<void> {
  const others = [...a.feeds.keys()].filter((s) => s !== fault.symbol);
  const before = new Map(others.map((s) => [s, incidents(a, s)]));
  const resyncs = a.feeds.get(fault.symbol)!.health.resyncs;
  sim.inject(a.venue as SimVenue, fault);
  await pump(
    sim,
    () => a.feeds.get(fault.symbol)!.health.resyncs > resyncs,
    `${fault.kind} detection`,
  );
  if (fault.kind === "symbol_stall") {
    const end = Date.now() + fault.ms;
    await pump(sim, () => Date.now() > end, "end of the stall");
  }
  await assertBooksEqualTruth(sim, a);
  for (const s of others) {
    assert.equal(incidents(a, s), before.get(s), `${s} untouched by ${fault.kind}`);
  }
}

/**
 * Kraken has no sequence numbers: a lost update is caught by the next checksum only
 * when the top 10 differ. A loss confined to the edge of the window heals itself
 * when the client truncates (the book stays right). Injects until one is caught
 * (at most 5 times), checking the books against the truth after each.
 */
/** Runs `fn` and checks no other symbol had an incident meanwhile. */
async function untouched(a: VenueAdapter, symbol: string, fn: () => Promise<void>): Promise<void> {
  const others = [...a.feeds.keys()].filter((s) => s !== symbol);
  const before = others.map((s) => incidents(a, s));
  await fn();
  assert.deepEqual(others.map((s) => incidents(a, s)), before, `others untouched by ${symbol}`);
}

async function krakenLossCaught(
  sim: ExchangeSimulator,
  a: VenueAdapter,
  fault: Fault & { symbol: string },
): Promise<void> {
  const f = a.feeds.get(fault.symbol)!;
  for (let i = 0; i < 5; i++) {
    const resyncs = f.health.resyncs;
    const faulted = sim.servers.get("kraken")!.counters.faulted;
    sim.inject("kraken", fault);
    await pump(sim, () => sim.servers.get("kraken")!.counters.faulted > faulted, "fault applied");
    for (let k = 0; k < 100 && f.health.resyncs === resyncs; k++) {
      sim.step();
      await new Promise((r) => setTimeout(r, 5));
    }
    await assertBooksEqualTruth(sim, a);
    if (f.health.resyncs > resyncs) {
      assert.ok(f.health.checksumFailures > 0);
      return;
    }
  }
  assert.fail(`5 ${fault.kind} faults on ${fault.symbol} all went unnoticed`);
}

async function duplicateKeepsKrakenSynced(sim: ExchangeSimulator, a: VenueAdapter, symbol: string) {
  const f = a.feeds.get(symbol)!;
  const ok = f.sync.counters as { checksumOk?: number };
  const faulted = sim.servers.get("kraken")!.counters.faulted;
  sim.inject("kraken", { kind: "duplicate", symbol });
  await pump(sim, () => sim.servers.get("kraken")!.counters.faulted > faulted, "duplicate sent");
  const checked = ok.checksumOk ?? 0;
  await pump(sim, () => (ok.checksumOk ?? 0) > checked + 5, "later checksums");
  await assertBooksEqualTruth(sim, a);
  assert.equal(f.health.checksumFailures, 0);
}

async function connectionFaultRecovers(sim: ExchangeSimulator, a: VenueAdapter, fault: Fault) {
  const opens = () => a["connections"].reduce((n, c) => n + c.counters.opens, 0);
  const before = opens();
  sim.inject(a.venue as SimVenue, fault);
  await pump(sim, () => opens() > before, `${fault.kind} reconnect`);
  await assertBooksEqualTruth(sim, a);
}

async function malformedIsCounted(sim: ExchangeSimulator, a: VenueAdapter) {
  const bad = a.counters.badFrames;
  sim.inject(a.venue as SimVenue, { kind: "malformed" });
  await pump(sim, () => a.counters.badFrames > bad, "malformed frame counted");
  assert.match(
    a.badFrameLog.at(-1)!,
    new RegExp(`^${a.venue}: Bad ${a.venue} frame: invalid JSON`),
  );
  await assertBooksEqualTruth(sim, a);
}

async function duplicateIsHarmless(sim: ExchangeSimulator, a: VenueAdapter, symbol: string) {
  const stale = a.feeds.get(symbol)!.health.stale;
  const resyncs = a.feeds.get(symbol)!.health.resyncs;
  sim.inject(a.venue as SimVenue, { kind: "duplicate", symbol });
  await pump(sim, () => a.feeds.get(symbol)!.health.stale > stale, "duplicate counted as stale");
  await assertBooksEqualTruth(sim, a);
  assert.equal(a.feeds.get(symbol)!.health.resyncs, resyncs);
}

/** Coinbase repeats a frame (same `sequence_num`): handled once, nothing resyncs. */
async function coinbaseRepeatDiscarded(sim: ExchangeSimulator, a: VenueAdapter, symbol: string) {
  const repeated = a.counters.repeatedFrames ?? 0;
  sim.inject("coinbase", { kind: "duplicate", symbol });
  await pump(sim, () => (a.counters.repeatedFrames ?? 0) > repeated, "repeated frame discarded");
  await assertBooksEqualTruth(sim, a);
}

async function run(
  venue: SimVenue,
  t: Deno.TestContext,
  steps: [string, (s: ExchangeSimulator, a: VenueAdapter) => Promise<void>][],
) {
  const { sim, adapter } = await setup(venue);
  try {
    await t.step("initial books equal the truth", () => assertBooksEqualTruth(sim, adapter));
    for (const [name, fn] of steps) await t.step(name, () => fn(sim, adapter));
    assert.equal(adapter.counters.venueErrors, 0);
  } finally {
    await adapter.stop();
    await sim.stop();
  }
}

const common = (
  symbol: string,
  lost = faultResyncsOneSymbol,
): [string, (s: ExchangeSimulator, a: VenueAdapter) => Promise<void>][] => [
  [
    "drop: gap detected, only that symbol resyncs",
    (s, a) => lost(s, a, { kind: "drop", symbol }),
  ],
  [
    "reorder: detected, only that symbol resyncs",
    (s, a) => lost(s, a, { kind: "reorder", symbol }),
  ],
  [
    "symbol stall: staleness resyncs only that symbol",
    (s, a) =>
      faultResyncsOneSymbol(
        s,
        a,
        { kind: "symbol_stall", symbol, ms: 2000 } as Fault & { symbol: string },
      ),
  ],
  ["malformed JSON: counted with its venue, no crash", malformedIsCounted],
  [
    "stall: silence watchdog reconnects",
    (s, a) => connectionFaultRecovers(s, a, { kind: "stall", ms: 2500 }),
  ],
  [
    "disconnect: reconnects with backoff",
    (s, a) => connectionFaultRecovers(s, a, { kind: "disconnect" }),
  ],
  ["24h close: reconnects", (s, a) => connectionFaultRecovers(s, a, { kind: "close_24h" })],
];

Deno.test("simulator e2e: Binance.US", (t) =>
  run("binance_us", t, [
    ...common("BTC/USDT"),
    ["duplicate: dropped as stale, no resync", (s, a) => duplicateIsHarmless(s, a, "ETH/USDT")],
  ]));

Deno.test("simulator e2e: KuCoin", (t) =>
  run("kucoin", t, [
    ...common("ETH/USDT"),
    ["duplicate: dropped as stale, no resync", (s, a) => duplicateIsHarmless(s, a, "BTC/USDT")],
  ]));

Deno.test("simulator e2e: Kraken", (t) =>
  run("kraken", t, [
    ...common("BTC/USD", (s, a, f) => untouched(a, f.symbol, () => krakenLossCaught(s, a, f))),
    [
      "duplicate: idempotent absolute sizes, checksums keep matching",
      (s, a) => untouched(a, "", () => duplicateKeepsKrakenSynced(s, a, "BTC/USDT")),
    ],
    ["corrupt checksum: only that symbol resubscribes", (s, a) =>
      faultResyncsOneSymbol(s, a, { kind: "corrupt_checksum", symbol: "ETH/USD" })],
  ]));

Deno.test("simulator e2e: Coinbase", (t) =>
  run("coinbase", t, [
    ...common("BTC/USD"),
    [
      "duplicate: a repeated sequence_num is discarded, no product resyncs",
      (s, a) => untouched(a, "", () => coinbaseRepeatDiscarded(s, a, "ETH/USDT")),
    ],
  ]));
