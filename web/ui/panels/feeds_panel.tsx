import type { JSX } from "preact";
import { clock, num } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

/** Feed health per venue/symbol: latency percentiles, gaps, resyncs, staleness. */
export function FeedsPanel(props: { model: DashboardModel }): JSX.Element {
  const feeds = props.model.feeds.value;
  return (
    <Panel title="Feed health" id="feeds">
      {feeds.length === 0
        ? <Empty text="No feed health rows (written by the harvester)." />
        : (
          <table>
            <thead>
              <tr>
                <th>Feed</th>
                <th>Status</th>
                <th>p50 ms</th>
                <th>p99 ms</th>
                <th>Gaps</th>
                <th>Resyncs</th>
                <th>Stale ms</th>
                <th>At</th>
              </tr>
            </thead>
            <tbody>
              {feeds.map((f) => (
                <tr key={`${f.venue} ${f.symbol}`}>
                  <td>{f.venue} {f.symbol}</td>
                  <td>
                    <span class={`badge ${f.status}`}>{f.status}</span>
                  </td>
                  <td class="n">{num(f.latency_p50_ms, 1)}</td>
                  <td class="n">{num(f.latency_p99_ms, 1)}</td>
                  <td class="n">{f.gaps}</td>
                  <td class="n">{f.resyncs}</td>
                  <td class="n">{num(f.staleness_ms, 0)}</td>
                  <td>{clock(f.time)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
    </Panel>
  );
}

/** Cross-venue arbitrage opportunities, newest first. */
export function ArbitragePanel(props: { model: DashboardModel }): JSX.Element {
  const rows = props.model.arbitrage.value;
  return (
    <Panel title="Arbitrage" id="arbitrage">
      {rows.length === 0 ? <Empty text="No opportunities recorded." /> : (
        <div class="scroll short">
          <table>
            <thead>
              <tr>
                <th>At</th>
                <th>Symbol</th>
                <th>Buy</th>
                <th>Sell</th>
                <th>Gross bps</th>
                <th>Net bps</th>
                <th>Est. profit</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((a) => (
                <tr key={a.id}>
                  <td>{clock(a.time)}</td>
                  <td>{a.symbol}</td>
                  <td>{a.buy_venue} @ {num(a.buy_price)}</td>
                  <td>{a.sell_venue} @ {num(a.sell_price)}</td>
                  <td class="n">{num(a.gross_bps, 2)}</td>
                  <td class={`n ${a.net_bps > 0 ? "up" : "down"}`}>{num(a.net_bps, 2)}</td>
                  <td class="n">{num(a.est_profit, 2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
