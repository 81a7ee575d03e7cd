import assert from "node:assert/strict";
import { computeMetrics, dailyReturns, drawdown } from "./metrics.ts";

const DAY = 86_400_000;
const close = (a: number | null, b: number, eps = 1e-9) => {
  assert.ok(a !== null && Math.abs(a - b) < eps, `${a} != ${b}`);
};

Deno.test("dailyReturns compounds into UTC days and carries empty days", () => {
  const eq = [
    { time: 0, value: 100 },
    { time: DAY - 1, value: 110 },
    { time: 2 * DAY + 5, value: 99 },
  ];
  const r = dailyReturns(eq);
  assert.equal(r.length, 3);
  close(r[0] as number, 0.1);
  close(r[1] as number, 0); // day 1 carries 110
  close(r[2] as number, 99 / 110 - 1);
});

Deno.test("computeMetrics: Sharpe and Sortino on daily returns with sqrt(365)", () => {
  const values = [100, 101, 100.5, 102, 101];
  const eq = values.map((value, i) => ({ time: i * DAY + (i === 0 ? 0 : DAY - 1), value }));
  const m = computeMetrics({ equity: eq, trips: [], fills: [] });
  const r = dailyReturns(eq);
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const sd = Math.sqrt(r.reduce((a, x) => a + (x - mean) ** 2, 0) / (r.length - 1));
  close(m.sharpe, (mean / sd) * Math.sqrt(365));
  const down = Math.sqrt(r.reduce((a, x) => a + Math.min(0, x) ** 2, 0) / r.length);
  close(m.sortino, (mean / down) * Math.sqrt(365));
  close(m.total_return, 0.01);
});

Deno.test("drawdown: depth, absolute size and duration to recovery", () => {
  const eq = [
    { time: 0, value: 100 },
    { time: 1, value: 120 },
    { time: 2, value: 90 },
    { time: 5, value: 121 },
    { time: 6, value: 130 },
    { time: 7, value: 125 },
  ];
  const d = drawdown(eq);
  close(d.max, 0.25);
  assert.equal(d.abs, 30);
  assert.equal(d.duration, 4); // peak at 1, regained at 5
});

Deno.test("computeMetrics: trade statistics, turnover, fees and slippage vs arrival mid", () => {
  const m = computeMetrics({
    equity: [{ time: 0, value: 1000 }, { time: 60_000, value: 1000 }],
    trips: [{ gross: 12, fees: 2 }, { gross: -3, fees: 2 }, { gross: 6, fees: 1 }],
    fills: [
      { side: "buy", price: 100.1, notional: 500, fee: 0.5, arrivalMid: 100 },
      { side: "sell", price: 99.8, notional: 1500, fee: 1.5, arrivalMid: 100 },
    ],
  });
  assert.equal(m.trades, 3);
  close(m.win_rate, 2 / 3);
  close(m.profit_factor, 15 / 5);
  close(m.expectancy, 10 / 3);
  close(m.avg_win, 7.5);
  close(m.avg_loss, -5);
  close(m.turnover, 2);
  close(m.fees, 2);
  close(m.slippage_bps, (500 * 10 + 1500 * 20) / 2000);
  assert.equal(m.sharpe, null, "one daily return has no standard deviation");
  assert.equal(m.intraday_interval_ms, 60_000);
});
