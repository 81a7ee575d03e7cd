/**
 * The portfolio sections of the HTML backtest report: per traded stream, every strategy's
 * net and gross P&L, fills, fees and end exposure; and the account at the end (equity,
 * exposure in total and per venue, balances per venue and asset).
 *
 * @module
 */

import type { BacktestResult } from "./run.ts";

/** Renders the "Per stream" and "Account" sections (escaped with `esc`). */
export function renderStreamSections(result: BacktestResult, esc: (s: string) => string): string {
  const names = result.results.map((r) => `<th colspan="5">${esc(r.strategy)}</th>`).join("");
  const sub = result.results.map(() =>
    "<th>P&amp;L net</th><th>P&amp;L gross</th><th>fills</th><th>fees</th><th>exposure</th>"
  ).join("");
  const streams = result.results[0]?.streams ?? [];
  const rows = streams.map((st, i) =>
    `<tr><th>${esc(`${st.venue} ${st.symbol}`)}</th>${
      result.results.map((r) => {
        const x = r.streams[i];
        if (!x) return '<td colspan="5">–</td>';
        return `<td>${x.pnl_net.toFixed(2)}</td><td>${
          x.pnl_gross.toFixed(2)
        }</td><td>${x.fills}</td><td>${x.fees.toFixed(2)}</td><td>${
          (x.exposure_fraction * 100).toFixed(1)
        } %</td>`;
      }).join("")
    }</tr>`
  ).join("\n");
  const account = (label: string, f: (a: BacktestResult["results"][number]) => string) =>
    `<tr><th>${label}</th>${result.results.map((r) => `<td>${f(r)}</td>`).join("")}</tr>`;
  const heads = result.results.map((r) => `<th>${esc(r.strategy)}</th>`).join("");
  const kv = (o: Record<string, number>, digits: number) =>
    Object.entries(o).map(([k, v]) => `${esc(k)} ${v.toFixed(digits)}`).join("<br>");
  return `<h2>Per stream</h2>
<table><tr><th>stream</th>${names}</tr><tr><th></th>${sub}</tr>
${rows}
</table>
<h2>Account at the end</h2>
<table><tr><th></th>${heads}</tr>
${account("Equity", (r) => r.account.equity.toFixed(2))}
${account("Exposure (× equity)", (r) => (r.account.exposure_fraction * 100).toFixed(1) + " %")}
${account("Exposure by venue", (r) => kv(r.account.exposure_by_venue, 2))}
${account("Balances", (r) => kv(r.account.balances, 6))}
</table>`;
}
