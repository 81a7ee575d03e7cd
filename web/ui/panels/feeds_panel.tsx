import type { JSX } from "preact";
import { clock, num } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Panel } from "./common.tsx";

/** Feed health per venue/symbol: latency percentiles, gaps, resyncs, checksum, age. */
export function FeedsPanel(props: { model: DashboardModel }): JSX.Element {
  const feeds = props.model.feeds.value;
  return (
    <Panel title="Feed health" id="feeds">
      {feeds.length === 0
        ? <Empty text="No feed health rows (written by the harvester)." />
        : (
          <div class="scroll short">
            <table>
              <thead>
                <tr>
                  <th>Feed</th>
                  <th>Status</th>
                  <th>Msg/s</th>
                  <th>p50 ms</th>
                  <th>p99 ms</th>
                  <th>Gaps</th>
                  <th>Resyncs</th>
                  <th>Checksum</th>
                  <th>Age ms</th>
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
                    <td class="n">{num(f.msgs_per_s, 1)}</td>
                    <td class="n">{num(f.latency_p50_ms, 1)}</td>
                    <td class="n">{num(f.latency_p99_ms, 1)}</td>
                    <td class="n">{f.gaps}</td>
                    <td class="n">{f.resyncs} ({f.stale_resyncs} silent)</td>
                    <td class="n">{f.checksum_failures}</td>
                    <td class="n">{num(f.age_ms, 0)}</td>
                    <td>{clock(f.time)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Panel>
  );
}

/** Cross-venue arbitrage opportunities (net of taker fees), newest first. */
export function ArbitragePanel(props: { model: DashboardModel }): JSX.Element {
  const rows = props.model.arbitrage.value;
  return (
    <Panel title="Arbitrage" id="arbitrage">
      {rows.length === 0
        ? <Empty text="No opportunities recorded (net of taker fees)." />
        : (
          <div class="scroll short">
            <table>
              <thead>
                <tr>
                  <th>Opened</th>
                  <th>Symbol</th>
                  <th>Buy</th>
                  <th>Sell</th>
                  <th>Net bps open / max</th>
                  <th>Max size</th>
                  <th>Lasted</th>
                  <th>Closed</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <tr key={a.id}>
                    <td>{clock(a.start)}</td>
                    <td>{a.symbol}</td>
                    <td>{a.buy_venue} @ {num(a.buy_price)}</td>
                    <td>{a.sell_venue} @ {num(a.sell_price)}</td>
                    <td class="n up">{num(a.edge_bps_open, 2)} / {num(a.edge_bps_max, 2)}</td>
                    <td class="n">{num(a.size_max, 4)}</td>
                    <td class="n">{num(a.duration_ms / 1000, 1)} s</td>
                    <td>{a.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Panel>
  );
}
