import assert from "node:assert/strict";
import { ArbitrageMonitor, type BookTop } from "./arbitrage.ts";

const top = (venue: string, bid: number, ask: number, time: number, size = 1): BookTop => ({
  venue,
  symbol: "BTC/USD",
  bid,
  bidSize: size,
  ask,
  askSize: size,
  synced: true,
  time,
});

Deno.test("ArbitrageMonitor opens net of both taker fees and closes with duration", () => {
  const m = new ArbitrageMonitor({ takerFeeBps: { a: 10, b: 10 }, staleAfterMs: 1000 });
  m.update(top("a", 99.9, 100, 0), 0);
  // b's bid 100.15 over a's ask 100: 15 bps gross, 20 bps of fees -> no opportunity.
  m.update(top("b", 100.15, 100.3, 0), 0);
  assert.equal(m.open().length, 0);
  m.update(top("b", 100.3, 100.4, 100), 100); // (100.3 * 0.999 - 100 * 1.001) / 100 = 9.97 bps net
  const [o] = m.open();
  assert.equal(o?.buy_venue, "a");
  assert.equal(o?.sell_venue, "b");
  assert.ok(Math.abs(o!.edge_bps_open - 9.97) < 1e-9, String(o?.edge_bps_open));
  m.update(top("b", 100.5, 100.6, 300, 3), 300);
  m.update(top("b", 100.0, 100.1, 500), 500);
  const [closed] = m.drainClosed();
  assert.deepEqual([closed?.reason, closed?.duration_ms, closed?.size_max], ["gone", 400, 1]);
  assert.ok(closed!.edge_bps_max > 29);
});

Deno.test("ArbitrageMonitor ignores stale or unsynced books and small sizes", () => {
  const m = new ArbitrageMonitor({ takerFeeBps: { a: 0, b: 0 }, staleAfterMs: 1000, minSize: 0.5 });
  m.update(top("a", 99, 100, 0), 0);
  m.update(top("b", 101, 102, 0), 0);
  assert.equal(m.open().length, 1);
  m.tick(2000); // both books older than 1 s
  assert.equal(m.drainClosed()[0]?.reason, "stale");
  m.update({ ...top("a", 99, 100, 2000), synced: false }, 2000);
  m.update(top("b", 101, 102, 2000), 2000);
  assert.equal(m.open().length, 0);
  m.update(top("a", 99, 100, 2100, 0.1), 2100);
  assert.equal(m.open().length, 0); // 0.1 < minSize 0.5
  m.update(top("a", 99, 100, 2200, 1), 2200);
  assert.equal(m.open().length, 1);
  assert.equal(m.closeAll(2300)[0]?.reason, "open");
});
