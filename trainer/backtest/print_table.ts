/**
 * The backtest command's table: every strategy's metrics net and gross, then each stream's net
 * P&L and fills per strategy.
 *
 * @module
 */

import type { runBacktest } from "./run.ts";

/** Prints the table of a backtest's output. */
export function printTable(
  out: Awaited<ReturnType<typeof runBacktest>> & { report: string | null; read: { bad: number } },
): void {
  const fmt = (v: number | null, p = false) =>
    v === null ? "-" : p ? `${(v * 100).toFixed(3)}%` : v.toFixed(3);
  console.log(
    `backtest ${out.strategy}: ${out.events} events (${out.book_events} book) ${out.start} -> ${out.end}`,
  );
  console.log(
    `fingerprint ${out.fingerprint}; bad lines ${out.read.bad}; report ${out.report ?? "-"}`,
  );
  console.log(
    [
      "strategy",
      "return net",
      "return gross",
      "max dd",
      "sharpe(1m)",
      "trades",
      "win",
      "fees",
      "slip bps",
    ].join("\t"),
  );
  for (const r of out.results) {
    console.log([
      r.strategy,
      fmt(r.net.total_return, true),
      fmt(r.gross.total_return, true),
      fmt(r.net.max_drawdown, true),
      fmt(r.net.intraday_sharpe),
      r.net.trades,
      fmt(r.net.win_rate, true),
      fmt(r.net.fees),
      fmt(r.net.slippage_bps),
    ].join("\t"));
  }
  console.log(["per stream: net P&L (fills)", ...out.results.map((r) => r.strategy)].join("\t"));
  out.results[0]?.streams.forEach((st, i) => {
    console.log([
      `${st.venue} ${st.symbol}`,
      ...out.results.map((r) => {
        const x = r.streams[i];
        return x ? `${x.pnl_net.toFixed(2)} (${x.fills})` : "-";
      }),
    ].join("\t"));
  });
}
