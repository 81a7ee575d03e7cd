/**
 * A self-contained HTML backtest report: metrics of every strategy side by side
 * (net and gross of fees), an equity and drawdown chart as inline SVG, and the portfolio:
 * every traded stream and the account at the end.
 *
 * @module
 */

import type { Metrics } from "../../core/metrics.ts";
import { renderStreamSections } from "./html_streams.ts";
import type { BacktestResult } from "./run.ts";

const COLORS = ["#1f77b4", "#7f7f7f", "#2ca02c", "#d62728", "#9467bd", "#ff7f0e"];

const ROWS: [keyof Metrics, string, (v: number) => string][] = [
  ["total_return", "Total return", pct],
  ["annualized_return", "Annualized return (CAGR)", pct],
  ["sharpe", "Sharpe (daily, √365)", num],
  ["sortino", "Sortino (daily, √365)", num],
  ["intraday_sharpe", "Sharpe (1-minute, annualized)", num],
  ["max_drawdown", "Max drawdown", pct],
  ["max_drawdown_duration_ms", "Max drawdown duration", dur],
  ["calmar", "Calmar", num],
  ["trades", "Round trips", int],
  ["win_rate", "Win rate", pct],
  ["profit_factor", "Profit factor", num],
  ["expectancy", "Expectancy (quote / trip)", num],
  ["turnover", "Turnover (× equity)", num],
  ["fees", "Fees (quote)", num],
  ["slippage_bps", "Slippage vs arrival mid (bps)", num],
];

/** Renders the report. */
export function renderHtmlReport(result: BacktestResult, title: string): string {
  const head = result.results.map((r, i) =>
    `<th colspan="2" style="color:${COLORS[i % COLORS.length]}">${esc(r.strategy)}</th>`
  ).join("");
  const sub = result.results.map(() => "<th>net</th><th>gross</th>").join("");
  const rows = ROWS.map(([key, label, fmt]) => {
    const cells = result.results.map((r) =>
      `<td>${cell(r.net[key], fmt)}</td><td>${cell(r.gross[key], fmt)}</td>`
    ).join("");
    return `<tr><th>${label}</th>${cells}</tr>`;
  }).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}table{border-collapse:collapse;margin:16px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}tr th:first-child{text-align:left}
svg{background:#fafafa;border:1px solid #ddd}.meta{color:#555}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="meta">${esc(result.start ?? "")} → ${esc(result.end ?? "")} · ${
    result.events.toLocaleString("en")
  } events
(${
    result.book_events.toLocaleString("en")
  } book) · latency ${result.latency_ms} ms (sigma ${result.latency_sigma}, seed ${result.seed})
· fingerprint <code>${result.fingerprint}</code></p>
<h2>Equity (net of fees)</h2>
${chart(result, (eq) => eq.map(([t, v]) => [t, v] as [number, number]), (v) => v.toFixed(2))}
<h2>Drawdown (net)</h2>
${chart(result, drawdownSeries, (v) => pct(v))}
<h2>Metrics</h2>
<table><tr><th></th>${head}</tr><tr><th></th>${sub}</tr>
${rows}
<tr><th>Orders / filled</th>${
    result.results.map((r) => `<td colspan="2">${r.orders} / ${r.orders_filled}</td>`).join("")
  }</tr>
<tr><th>Decisions / refused</th>${
    result.results.map((r) => `<td colspan="2">${r.decisions} / ${r.decisions_rejected}</td>`).join(
      "",
    )
  }</tr>
<tr><th>Risk state / events</th>${
    result.results.map((r) => `<td colspan="2">${r.risk_state} / ${r.risk_events}</td>`).join("")
  }</tr>
</table>
${renderStreamSections(result, esc)}
<p class="meta">Formulas: see docs/trading.md (Sharpe and Sortino on UTC-daily returns × √365; the intraday
figures use 1-minute equity returns annualized with √525,600; drawdown on the minute equity curve).</p>
</body></html>
`;
}

function drawdownSeries(eq: [number, number, number][]): [number, number][] {
  let peak = -Infinity;
  return eq.map(([t, v]) => {
    peak = Math.max(peak, v);
    return [t, peak > 0 ? -(peak - v) / peak : 0];
  });
}

function chart(
  result: BacktestResult,
  series: (eq: [number, number, number][]) => [number, number][],
  label: (v: number) => string,
): string {
  const W = 900;
  const H = 260;
  const P = 50;
  const all = result.results.map((r) => series(r.equity));
  const pts = all.flat();
  if (pts.length < 2) return "<p>Not enough equity samples for a chart.</p>";
  const t0 = Math.min(...pts.map((p) => p[0]));
  const t1 = Math.max(...pts.map((p) => p[0]));
  let lo = Math.min(...pts.map((p) => p[1]));
  let hi = Math.max(...pts.map((p) => p[1]));
  if (hi === lo) {
    hi += 1e-9 + Math.abs(hi) * 1e-6;
    lo -= 1e-9 + Math.abs(lo) * 1e-6;
  }
  const x = (t: number) => P + ((t - t0) / Math.max(1, t1 - t0)) * (W - 2 * P);
  const y = (v: number) => H - P / 2 - ((v - lo) / (hi - lo)) * (H - P);
  const lines = all.map((s, i) =>
    `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.5" points="${
      s.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ")
    }"><title>${esc(result.results[i]?.strategy ?? "")}</title></polyline>`
  ).join("\n");
  const legend = result.results.map((r, i) =>
    `<text x="${P + i * 140}" y="14" fill="${COLORS[i % COLORS.length]}">${esc(r.strategy)}</text>`
  ).join("");
  return `<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img">
${legend}
<text x="4" y="${y(hi) + 4}" font-size="11">${label(hi)}</text><text x="4" y="${
    y(lo)
  }" font-size="11">${label(lo)}</text>
<text x="${P}" y="${H - 4}" font-size="11">${new Date(t0).toISOString()}</text>
<text x="${W - P - 150}" y="${H - 4}" font-size="11">${new Date(t1).toISOString()}</text>
${lines}
</svg>`;
}

function cell(v: number | null, fmt: (v: number) => string): string {
  return v === null ? "–" : fmt(v);
}

function pct(v: number): string {
  return `${(v * 100).toFixed(3)} %`;
}

function num(v: number): string {
  return Math.abs(v) >= 1e6 ? v.toExponential(3) : v.toFixed(3);
}

function int(v: number): string {
  return String(v);
}

function dur(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${(ms / 60_000).toFixed(1)} min`;
}

function esc(s: string): string {
  return s.replace(
    /[&<>"]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] as string,
  );
}
