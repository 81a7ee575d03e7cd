import assert from "node:assert/strict";
import type { Overview, PortfolioPoint } from "../live/types.ts";
import { reconnectDelay } from "./event_stream.ts";
import { DashboardModel, STALE_AFTER_MS } from "./state.ts";

const point = (id: number, equity: number): PortfolioPoint => ({
  id,
  time: id * 1000,
  run_id: "default",
  cash: equity,
  equity,
  realized_pnl: 0,
  unrealized_pnl: 0,
  fees_paid: 0,
  drawdown: 0,
});

function overview(): Overview {
  return {
    server_time: 0,
    controls_enabled: false,
    store: { available: true, error: null, missing_tables: [], run_id: "paper" },
    instruments: [],
    portfolio: point(1, 100),
    equity_curve: [point(1, 100)],
    positions: [],
    portfolio_streams: {
      streams: [],
      venues: [],
      total: {
        exposure: 0,
        exposure_fraction: 0,
        realized_pnl: 0,
        unrealized_pnl: 0,
        pnl: 0,
        equity: 100,
      },
      caps: null,
    },
    open_orders: [],
    fills: [],
    books: [{
      venue: "binance",
      symbol: "BTC/USDT",
      time: 1,
      bid: 1,
      ask: 2,
      bid_size: 1,
      ask_size: 1,
      mid: 1.5,
      spread_bps: 1,
    }],
    trades: [],
    decision: null,
    risk: null,
    alerts: [],
    feed_health: [],
    arbitrage: [],
    headlines: [],
    sentiment: [],
    backtests: [],
    controls: [],
  };
}

Deno.test("DashboardModel.apply() updates P&L, curve and drawdown, ignoring repeats", () => {
  const m = new DashboardModel();
  m.load(overview(), 0);
  assert.equal(m.selectedBook.value, "binance BTC/USDT");
  m.apply([
    { type: "portfolio", data: point(2, 120) },
    { type: "portfolio", data: point(3, 90) },
    { type: "portfolio", data: point(3, 90) },
  ], 10);
  assert.equal(m.portfolio.value?.equity, 90);
  assert.deepEqual(m.curve.value.map((p) => p.id), [1, 2, 3]);
  assert.deepEqual(m.drawdownCurve.value.map((p) => p.value), [0, 0, -0.25]);
});

Deno.test("DashboardModel keeps fills newest first without duplicates and upserts books", () => {
  const m = new DashboardModel();
  m.load(overview(), 0);
  const fill = (seq: number) => ({
    id: seq,
    run_id: "paper",
    seq,
    order_id: "o1",
    venue: "binance",
    symbol: "BTC/USDT",
    side: "buy" as const,
    price: 1,
    size: 1,
    notional: 1,
    fee: 0,
    liquidity: "taker",
    time: seq,
    tag: "strategy",
  });
  m.apply([{ type: "fill", data: fill(1) }, { type: "fill", data: fill(2) }], 1);
  m.apply([{ type: "fill", data: fill(2) }], 2);
  assert.deepEqual(m.fills.value.map((f) => f.seq), [2, 1]);
  const top = { ...overview().books[0]!, bid: 5, time: 9 };
  m.apply([{ type: "book", data: { ...top, bids: [[5, 1]], asks: [[6, 1]] } }], 3);
  assert.equal(m.books.value.length, 1);
  assert.equal(m.books.value[0]!.bid, 5);
  assert.equal("bids" in m.books.value[0]!, false, "tops do not carry depth");
  assert.deepEqual(m.depth.value["binance BTC/USDT"]?.bids, [[5, 1]]);
});

Deno.test("DashboardModel.stale turns on without messages and while reconnecting", () => {
  const m = new DashboardModel();
  m.load(overview(), 1000);
  m.link.value = "live";
  m.clock.value = 1000 + STALE_AFTER_MS - 1;
  assert.equal(m.stale.value, false);
  m.clock.value = 1000 + STALE_AFTER_MS + 1;
  assert.equal(m.stale.value, true);
  m.apply([{ type: "heartbeat", data: { time: 0 } }], m.clock.value);
  assert.equal(m.stale.value, false);
  m.link.value = "reconnecting";
  assert.equal(m.stale.value, true);
});

Deno.test("reconnectDelay() doubles from 0.5 s to a 30 s cap with bounded jitter", () => {
  const none = () => 0;
  assert.deepEqual([0, 1, 2, 3, 10, 50].map((a) => reconnectDelay(a, none)), [
    500,
    1000,
    2000,
    4000,
    30_000,
    30_000,
  ]);
  assert.equal(reconnectDelay(0, () => 0.999), 600);
});
