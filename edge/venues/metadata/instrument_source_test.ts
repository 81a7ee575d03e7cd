import assert from "node:assert/strict";
import { readCryptofeedFile } from "../../recording/cryptofeed_records.ts";
import { ExchangeSimulator } from "../../simulator/exchange_simulator.ts";
import type { AdapterVenue } from "../adapter_factory.ts";
import { loadVenueInstruments, METADATA_PATHS, resolveInstruments } from "./instrument_source.ts";

const DATA = new URL("../../../testdata/cryptofeed/", import.meta.url);
const RECORDED: Record<AdapterVenue, string> = {
  binance_us: "BINANCE_US.0",
  coinbase: "COINBASE.0",
  kraken: "KRAKEN.0",
  kucoin: "KUCOIN.0",
};

/** A loopback server answering each venue's metadata path with its recorded response. */
async function recordedMetadataServer() {
  const bodies = new Map<string, string>();
  for (const [venue, file] of Object.entries(RECORDED) as [AdapterVenue, string][]) {
    const meta = (await readCryptofeedFile(new URL(file, DATA).pathname)).find((r) =>
      r.kind === "http"
    );
    assert.ok(meta?.kind === "http");
    bodies.set(`/${venue}${METADATA_PATHS[venue]}`, meta.body);
  }
  let requests = 0;
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
    requests++;
    const body = bodies.get(new URL(req.url).pathname);
    return new Response(body ?? "not found", { status: body ? 200 : 404 });
  });
  const base = (venue: AdapterVenue) => `http://127.0.0.1:${server.addr.port}/${venue}`;
  return { server, base, requests: () => requests };
}

Deno.test("venue metadata: recorded responses give instruments for symbols the built-in table lacks; cached a day", async () => {
  const srv = await recordedMetadataServer();
  const cacheDir = await Deno.makeTempDir({ prefix: "tickerml-meta-" });
  let now = 1_700_000_000_000;
  const opts = { cacheDir, now: () => now };
  try {
    const bus = await loadVenueInstruments("binance_us", srv.base("binance_us"), opts);
    assert.equal(bus.source, "fetched");
    const [comp] = resolveInstruments("binance_us", { "COMP/USDT": "COMPUSDT" }, bus.instruments);
    assert.equal(comp?.priceDecimals, 2);
    assert.equal(comp?.lotSize, 1_000); // stepSize 0.00001 at 8 size decimals
    assert.equal(comp?.minNotional, "10.00000000");
    assert.equal(srv.requests(), 1);

    now += 3_600_000;
    assert.equal(
      (await loadVenueInstruments("binance_us", srv.base("binance_us"), opts)).source,
      "cache",
    );
    assert.equal(srv.requests(), 1);
    now += 86_400_000;
    assert.equal(
      (await loadVenueInstruments("binance_us", srv.base("binance_us"), opts)).source,
      "fetched",
    );
    assert.equal(srv.requests(), 2);

    const kraken = await loadVenueInstruments("kraken", srv.base("kraken"), opts);
    const [ada] = resolveInstruments("kraken", { "ADA/USD": "ADA/USD" }, kraken.instruments);
    assert.equal(ada?.priceDecimals, 6);
    const kucoin = await loadVenueInstruments("kucoin", srv.base("kucoin"), opts);
    const [req] = resolveInstruments("kucoin", { "REQ/ETH": "REQ-ETH" }, kucoin.instruments);
    assert.equal(req?.priceDecimals, 7);
    const cb = await loadVenueInstruments("coinbase", srv.base("coinbase"), opts);
    const [skl] = resolveInstruments("coinbase", { "SKL/EUR": "SKL-EUR" }, cb.instruments);
    assert.equal(skl?.priceDecimals, 4);
    assert.equal(skl?.minNotional, "5.0");
  } finally {
    await srv.server.shutdown();
  }
  // Venue down: the stale cache serves; with no cache, the table serves what it knows and
  // a symbol it does not know is an error naming it.
  now += 5 * 86_400_000;
  const logs: string[] = [];
  const down = await loadVenueInstruments("binance_us", srv.base("binance_us"), {
    ...opts,
    log: (l) => logs.push(l),
  });
  assert.equal(down.source, "stale-cache");
  assert.match(logs.join("\n"), /using the cache of/);
  const none = await loadVenueInstruments("binance_us", srv.base("binance_us"), {});
  assert.equal(none.source, "none");
  const [btc] = resolveInstruments("binance_us", { "BTC/USDT": "BTCUSDT" }, none.instruments);
  assert.equal(btc?.priceDecimals, 2);
  assert.throws(
    () => resolveInstruments("binance_us", { "COMP/USDT": "COMPUSDT" }, none.instruments),
    /Cannot follow binance_us COMP\/USDT \(COMPUSDT\): the venue's metadata is unavailable/,
  );
});

Deno.test("venue metadata: the simulator serves each venue's metadata with the scale of its books", async () => {
  const sim = await ExchangeSimulator.start({ seed: 3 });
  try {
    for (const [venue, server] of sim.servers) {
      const v = venue as AdapterVenue;
      const meta = await loadVenueInstruments(v, sim.urls()[v]!.rest_url);
      assert.equal(meta.source, "fetched", venue);
      for (const m of server.markets.values()) {
        const [got] = resolveInstruments(
          v,
          { [m.inst.symbol]: m.inst.venueSymbol },
          meta.instruments,
        );
        for (const k of ["priceDecimals", "sizeDecimals", "tickSize", "lotSize"] as const) {
          assert.equal(got?.[k], m.inst[k], `${venue} ${m.inst.symbol} ${k}`);
        }
      }
    }
  } finally {
    await sim.stop();
  }
});
