import assert from "node:assert/strict";
import { StoreReader } from "../../infra/store/dashboard/store_reader.ts";
import {
  execSql,
  replayIntoStore,
  runSqlFixture,
  spawnReplay,
  tempStorePath,
} from "../testing/fixture_store.ts";
import { StorePoller } from "./store_poller.ts";
import type { BookDepth, LiveEvent, RiskView } from "./types.ts";

Deno.test("StorePoller follows a replay that is still writing and ends on its final book", async () => {
  const { dir, path } = await tempStorePath();
  const reader = new StoreReader(path);
  const poller = new StorePoller(reader);
  try {
    const replay = spawnReplay(path);
    let running = true;
    const done = replay.status.finally(() => (running = false));
    const events: LiveEvent[] = [];
    while (running) {
      events.push(...(await poller.poll(Date.now())));
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok((await done).success);
    events.push(...(await poller.poll(Date.now())));
    const books = events.filter((e): e is { type: "book"; data: BookDepth } => e.type === "book");
    assert.ok(books.length > 0, "book events were pushed");
    const last = books[books.length - 1]!.data;
    assert.equal(last.bid, 61602.01);
    assert.equal(last.ask, 61602.02);
    assert.equal(last.bids[0]![1], 1.67177, "cumulative depth starts at the best level's size");
    const types = new Set(events.map((e) => e.type));
    assert.ok(types.has("store") && types.has("trade"), [...types].join(","));
    // A poller started afterwards seeds from the latest picture plus later deltas: same book.
    const fresh = new StorePoller(new StoreReader(path));
    await fresh.poll(0);
    assert.deepEqual(fresh.books.depth("binance BTC/USDT", 25), last);
  } finally {
    reader.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("StorePoller pushes only rows beyond its cursors, each once", async () => {
  const { dir, path } = await tempStorePath();
  await replayIntoStore(path);
  await runSqlFixture(path);
  const reader = new StoreReader(path);
  const poller = new StorePoller(reader, { heartbeatMs: 1_000_000 });
  try {
    const first = (await poller.poll(0)).map((e) => e.type);
    assert.deepEqual(first, [
      "store",
      "book",
      "portfolio",
      "orders",
      "positions",
      "portfolio_streams",
      "risk",
      "decision",
    ]);
    const marked = await poller.poll(1);
    assert.deepEqual(marked, [], "nothing new");
    execSql(
      path,
      `INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs, position_size, risk_score, price_pred)
         VALUES (1723161900000, 'binance', 'BTC/USDT', 'v1', 'sell', '[0.1,0.2,0.7]', 0.1, 0.5, '[]');
       UPDATE paper_orders SET status = 'cancelled' WHERE id = 'o4';
       INSERT INTO control_commands (ts, command, source) VALUES (1723161900002, 'pause_entries', 'test');
       INSERT INTO feed_health (time, venue, symbol, msgs, msgs_per_s, gaps, resyncs, checksum_failures, crossed, stale, stale_resyncs, synced, age_ms)
         VALUES (1723161900003, 'binance', 'BTC/USDT', 1, 1, 0, 0, 0, 0, 0, 0, 1, 9000);
       INSERT INTO arbitrage_opportunities (symbol, buy_venue, sell_venue, start, end, duration_ms, edge_bps_open, edge_bps_max, size_max, buy_price, sell_price, reason)
         VALUES ('BTC/USDT', 'binance_us', 'binance', 1723161900004, 1723161900004, 0, 3, 3, 0.1, 61600, 61620, 'open');
       UPDATE paper_runs SET risk = '{"kill":"kill switch: operator","drawdown":null,"daily":null,"peak":10004.9,"day":19944,"dayStart":10000,"losses":0,"cooldownUntil":0}';
       INSERT INTO paper_risk_events VALUES ('paper', 4, 1723161900005, 'state', '{"time":1723161900005,"state":"HALTED","reason":"kill switch: operator"}');`,
    );
    const next = await poller.poll(2);
    // deno-lint-ignore no-explicit-any -- test lookup of heterogeneous event payloads
    const byType: Record<string, any> = Object.fromEntries(next.map((e) => [e.type, e.data]));
    assert.deepEqual(Object.keys(byType).sort(), [
      "alert",
      "arbitrage",
      "control",
      "decision",
      "feed",
      "orders",
      "risk",
    ]);
    assert.deepEqual(byType.decision.action_probs, { hold: 0.1, buy: 0.2, sell: 0.7 });
    assert.deepEqual(byType.orders, [], "the cancelled order left the open orders");
    assert.equal(byType.feed.status, "stale", "age 9 s > stale_after 5 s");
    assert.equal(byType.arbitrage.buy_price, 61600);
    assert.equal(byType.risk.state, "HALTED");
    assert.equal(byType.risk.entries_paused, true);
    assert.equal(byType.alert.severity, "critical");
    execSql(path, "UPDATE control_commands SET status = 'applied', handled_at = 1723161901000");
    const handled = await poller.poll(3);
    assert.deepEqual(handled.map((e) => e.type), ["control"]);
    assert.equal((handled[0]!.data as { status: string }).status, "applied");
    assert.deepEqual(await poller.poll(4), []);
    // The trader's own snapshot says whether entries are paused (it wins over the control log).
    const risk = (paused: string) =>
      `UPDATE paper_runs SET risk = '{"kill":null,"paused":${paused},"drawdown":null,"daily":null,"peak":10004.9,"day":19944,"dayStart":10000,"losses":0,"cooldownUntil":0}'`;
    execSql(path, risk(`"entries paused by test at 2024-08-09T00:05:00.000Z"`));
    const paused = (await poller.poll(5)).find((e) => e.type === "risk")
      ?.data as unknown as RiskView;
    assert.equal(paused.state, "REDUCING");
    assert.match(String(paused.reason), /entries paused by test/);
    assert.equal(paused.entries_paused, true);
    execSql(path, risk("null"));
    const resumed = (await poller.poll(6)).find((e) => e.type === "risk")
      ?.data as unknown as RiskView;
    assert.equal(resumed.state, "ACTIVE");
    assert.equal(resumed.entries_paused, false, "the snapshot wins over the last pause command");
  } finally {
    reader.close();
    await Deno.remove(dir, { recursive: true });
  }
});
