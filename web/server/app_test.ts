import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { ControlWriter } from "../../infra/store/trading/control_writer.ts";
import { StoreReader } from "../../infra/store/dashboard/store_reader.ts";
import { LiveHub } from "../live/live_hub.ts";
import { PollLoop } from "../live/poll_loop.ts";
import { StorePoller } from "../live/store_poller.ts";
import type { ControlView, Overview } from "../live/types.ts";
import {
  execSql,
  replayIntoStore,
  runSqlFixture,
  tempStorePath,
} from "../testing/fixture_store.ts";
import { createApp } from "./app.ts";

const TOKEN = "test-token-5f1c0d2e";
const STATIC = new URL("../static", import.meta.url).pathname;

async function fixture(options: { token?: string } = {}) {
  const { dir, path } = await tempStorePath();
  await replayIntoStore(path);
  await runSqlFixture(path);
  const reader = new StoreReader(path);
  const poller = new StorePoller(reader);
  await poller.poll(Date.now());
  const hub = new LiveHub();
  const logs: string[] = [];
  const controls = options.token ? new ControlWriter(path) : undefined;
  const app = createApp({
    reader,
    poller,
    hub,
    ...(options.token ? { token: options.token } : {}),
    ...(controls ? { controls } : {}),
    staticDir: STATIC,
    now: () => 1_800_000_000_000,
    log: (l) => logs.push(l),
    remoteAddr: () => "127.0.0.1",
  });
  const loop = new PollLoop(poller, hub);
  return {
    app,
    path,
    logs,
    hub,
    loop,
    close: async () => {
      hub.close();
      controls?.close();
      reader.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

Deno.test("GET /api/overview decodes the replayed store and the trading fixture", async () => {
  const f = await fixture();
  try {
    const res = await f.app.request("/api/overview");
    assert.equal(res.status, 200);
    const o = await res.json() as Overview;
    assert.equal(o.store.available, true);
    assert.deepEqual(o.store.missing_tables, []);
    assert.equal(o.controls_enabled, false);
    // The replay records the instruments of its recording, with the data's precision.
    assert.deepEqual(
      o.instruments.map((i) => `${i.venue} ${i.symbol} ${i.price_decimals}/${i.size_decimals}`),
      ["binance BTC/USDT 2/8"],
    );
    // The live book (latest picture + deltas after it) ends where the replay ends.
    const btc = o.books.find((b) => b.venue === "binance" && b.symbol === "BTC/USDT");
    assert.ok(btc);
    assert.equal(btc.bid, 61602.01);
    assert.equal(btc.ask, 61602.02);
    assert.equal(btc.bid_size, 1.67177);
    assert.equal(btc.ask_size, 2.66795);
    assert.ok(btc.spread_bps! > 0 && btc.spread_bps! < 0.01);
    assert.equal(o.trades.length, 30);
    assert.equal(o.trades[0]!.price, 61602.02);
    assert.equal(o.portfolio?.equity, 10004.9);
    assert.equal(o.equity_curve.length, 5);
    assert.equal(o.store.run_id, "paper");
    assert.equal(o.positions.length, 1);
    const pos = o.positions[0]!;
    assert.equal(pos.qty, 0.02);
    assert.equal(pos.avg_price, 61611, "cost 1232.22 / 0.02");
    assert.ok(Math.abs(pos.realized_pnl - (0.4432 - 3.7002672)) < 1e-9);
    // Marked to the live mid (61602.015): (61602.015 - 61611) x 0.02.
    assert.ok(Math.abs(pos.unrealized_pnl! - (61602.015 - 61611) * 0.02) < 1e-9);
    assert.equal(o.open_orders.length, 1);
    assert.equal(o.open_orders[0]!.price, 61700);
    assert.equal(o.open_orders[0]!.queue_ahead, 1.25);
    assert.equal(o.open_orders[0]!.reduce_only, true);
    assert.deepEqual(o.fills.map((x) => x.seq), [3, 2, 1]);
    assert.equal(o.fills[1]!.price, 61712.26);
    assert.equal(o.fills[1]!.notional, 1234.2452);
    assert.equal(o.fills[1]!.fee, 1.2342452);
    assert.equal(o.decision?.source, "model", "the prediction is newer than the strategy decision");
    assert.deepEqual(o.decision?.action_probs, { hold: 0.21, buy: 0.64, sell: 0.15 });
    assert.equal(o.decision?.attention?.length, 3);
    assert.equal(o.risk?.state, "ACTIVE");
    assert.equal(o.risk?.consecutive_losses, 1);
    assert.equal(o.risk?.max_drawdown, 0.15);
    assert.deepEqual(o.risk?.locks.map((l) => l.symbol), ["all entries"], "the stale halt resumed");
    assert.deepEqual(o.alerts.map((a) => a.kind), ["book stale", "book stale", "confidence"]);
    assert.equal(o.alerts[2]!.threshold, 0.2);
    assert.deepEqual(o.feed_health.map((h) => h.status), ["live", "syncing"]);
    assert.equal(o.arbitrage[0]!.sell_price, 61620);
    assert.equal(o.arbitrage[0]!.edge_bps_max, 2.9);
    assert.equal(o.headlines.length, 2);
    const hostile = o.headlines.find((h) => h.title.includes("<script>"));
    assert.equal(hostile?.url, "", "a javascript: URL is never passed to the page");
    assert.deepEqual(o.sentiment.map((s) => s.regime), ["neutral", "bearish"]);
    assert.equal(o.backtests[0]!.metrics.sharpe, 1.2);
  } finally {
    await f.close();
  }
});

Deno.test("GET /api/bars and /api/depth return decoded series; bad queries get 400", async () => {
  const f = await fixture();
  try {
    const bars = await (await f.app.request("/api/bars?venue=binance&symbol=BTC/USDT")).json();
    assert.equal(bars.length, 12);
    assert.equal(bars[bars.length - 1].close, 61602.02);
    assert.ok(bars.every((b: { time: number }, i: number) => i === 0 || b.time > bars[i - 1].time));
    const depth = await (await f.app.request("/api/depth?venue=binance&symbol=BTC/USDT&levels=5"))
      .json();
    assert.equal(depth.bids.length, 5);
    assert.equal(depth.bids[0][0], 61602.01);
    assert.ok(depth.bids[4][1] > depth.bids[0][1], "depth is cumulative");
    const bad = await f.app.request("/api/bars?venue=Binance!&symbol=BTC/USDT");
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error, /venue: expected a venue id/);
    const extra = await f.app.request("/api/fills?limit=5&drop=1");
    assert.equal(extra.status, 400);
    const big = await f.app.request("/api/fills?limit=999999");
    assert.equal(big.status, 400);
    const none = await f.app.request("/api/depth?venue=kraken&symbol=BTC/USD");
    assert.equal(none.status, 404);
    assert.match((await none.json()).error, /no book for kraken BTC\/USD/);
  } finally {
    await f.close();
  }
});

Deno.test("POST /api/control is refused without a configured token", async () => {
  const f = await fixture();
  try {
    const res = await f.app.request("/api/control/kill_switch", {
      method: "POST",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(res.status, 403);
    assert.match((await res.json()).error, /read-only/);
    assert.match(f.logs.join("\n"), /control kill_switch from dashboard@127\.0\.0\.1 refused/);
  } finally {
    await f.close();
  }
});

Deno.test("POST /api/control needs the bearer token, is POST only and logs time and source", async () => {
  const f = await fixture({ token: TOKEN });
  try {
    const post = (cmd: string, headers: Record<string, string>) =>
      f.app.request(`/api/control/${cmd}`, { method: "POST", headers });
    assert.equal((await post("pause_entries", {})).status, 401);
    assert.equal((await post("pause_entries", { authorization: "Bearer wrong" })).status, 401);
    assert.equal((await post("pause_entries", { authorization: TOKEN })).status, 401);
    const cross = await post("pause_entries", {
      authorization: `Bearer ${TOKEN}`,
      origin: "https://evil.example",
      host: "localhost",
    });
    assert.equal(cross.status, 403);
    assert.equal((await post("self_destruct", { authorization: `Bearer ${TOKEN}` })).status, 400);
    const get = await f.app.request("/api/control/pause_entries", {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(get.status, 405);
    const ok = await post("pause_entries", { authorization: `Bearer ${TOKEN}` });
    assert.equal(ok.status, 202);
    assert.equal(ok.headers.get("access-control-allow-origin"), null);
    const row = await ok.json() as ControlView;
    assert.equal(row.command, "pause_entries");
    assert.equal(row.status, "pending");
    assert.equal(row.ts, 1_800_000_000_000);
    assert.equal(row.source, "dashboard@127.0.0.1");
    const db = new DatabaseSync(f.path, { readOnly: true });
    const rows = db.prepare("SELECT command, source, ts FROM control_commands").all();
    db.close();
    assert.equal(rows.length, 1, "refused requests write nothing");
    assert.match(
      f.logs.join("\n"),
      /control pause_entries from dashboard@127\.0\.0\.1 logged as #1/,
    );
    const listed = await (await f.app.request("/api/controls")).json() as ControlView[];
    assert.equal(listed[0]?.command, "pause_entries");
  } finally {
    await f.close();
  }
});

Deno.test("No response carries the token", async () => {
  const f = await fixture({ token: TOKEN });
  try {
    for (const path of ["/api/overview", "/api/health", "/api/controls", "/", "/api/nope"]) {
      const res = await f.app.request(path);
      const text = await res.text();
      assert.ok(!text.includes(TOKEN), `${path} leaks the token`);
      assert.ok(![...res.headers.values()].some((v) => v.includes(TOKEN)));
    }
    const o = await (await f.app.request("/api/overview")).json() as Overview;
    assert.equal(o.controls_enabled, true);
  } finally {
    await f.close();
  }
});

Deno.test("GET /api/stream pushes new store rows as typed events", async () => {
  const f = await fixture();
  try {
    const ac = new AbortController();
    const res = await f.app.request("/api/stream", { signal: ac.signal });
    assert.equal(res.headers.get("content-type"), "text/event-stream; charset=utf-8");
    assert.equal(f.hub.clients, 1);
    execSql(
      f.path,
      `INSERT INTO portfolio_state (timestamp, run_id, cash, equity, realized_pnl, unrealized_pnl, fees_paid, drawdown, positions)
       VALUES (1723161900000, 'paper', 10010, 10010, 10, 0, 4, 0, '{}');
       INSERT INTO paper_fills VALUES ('paper', 4, 'o4', 'binance', 'BTC/USDT', 'sell', 6170000, 2000000,
         '1234000000000000000000', '0', 'maker', 1723161900000, NULL, 'take_profit');
       INSERT INTO paper_risk_events VALUES ('paper', 4, 1723161900000, 'alert:hit_rate',
         '{"time":1723161900000,"kind":"hit_rate","value":0.3,"threshold":0.4,"message":"hit rate 0.3 < 0.4"}');`,
    );
    assert.ok((await f.loop.tick()) >= 4);
    const reader = res.body!.getReader();
    let text = "";
    while (!text.includes("event: alert")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    ac.abort();
    await reader.cancel();
    const events = text.split("\n\n").filter((b) => b.includes("event: ")).map((b) => ({
      type: /event: (\w+)/.exec(b)![1],
      data: JSON.parse(/data: (.*)/.exec(b)![1]!),
    }));
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 2), ["portfolio", "fill"]);
    assert.equal(events[0]!.data.equity, 10010);
    assert.equal(events[1]!.data.price, 61700);
    assert.equal(events.find((e) => e.type === "alert")?.data.kind, "hit_rate");
    assert.ok(types.includes("risk"), "the newest equity changed the risk view");
    assert.ok(!types.includes("orders"), "no order changed");
  } finally {
    await f.close();
  }
});

Deno.test("The API answers with store.available false before the store exists", async () => {
  const missing = "/nonexistent/dir/store.db";
  const reader = new StoreReader(missing);
  const poller = new StorePoller(reader);
  const app = createApp({
    reader,
    poller,
    hub: new LiveHub(),
    staticDir: STATIC,
    token: TOKEN,
    controls: new ControlWriter(missing),
  });
  const o = await (await app.request("/api/overview")).json() as Overview;
  assert.equal(o.store.available, false);
  assert.match(o.store.error ?? "", /does not exist yet/);
  assert.deepEqual(o.books, []);
  const events = await poller.poll(0);
  assert.deepEqual(events.map((e) => e.type), ["store"]);
  assert.deepEqual(await poller.poll(1), [], "the store status is sent once per change");
  const res = await app.request("/api/control/resume", {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  assert.equal(res.status, 503);
  assert.match((await res.json()).error, /does not exist yet/);
  assert.throws(() => Deno.statSync(missing), "a control never creates the store");
});
