import type { JSX } from "preact";
import { num, pct, signed, tone } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Gauge, Panel } from "./common.tsx";

/**
 * The portfolio: one row per traded stream (position, exposure and its share of equity,
 * realized / unrealized / total P&L), the account total, and exposure per venue and in total
 * against the configured caps.
 */
export function PortfolioPanel(props: { model: DashboardModel }): JSX.Element {
  const p = props.model.portfolioStreams.value;
  return (
    <Panel title="Portfolio by stream" id="portfolio" wide>
      {!p || p.streams.length === 0 ? <Empty text="No traded stream yet." /> : (
        <>
          <table data-testid="portfolio-streams">
            <thead>
              <tr>
                <th>Stream</th>
                <th>Qty</th>
                <th>Exposure</th>
                <th>% equity</th>
                <th>Realized (net)</th>
                <th>Unrealized</th>
                <th>P&amp;L</th>
              </tr>
            </thead>
            <tbody>
              {p.streams.map((s) => (
                <tr key={`${s.venue} ${s.symbol}`} data-testid="portfolio-stream">
                  <td>{s.venue} {s.symbol}</td>
                  <td class="n">{num(s.qty, 6)}</td>
                  <td class="n">{num(s.exposure)}</td>
                  <td class="n">{pct(s.exposure_fraction)}</td>
                  <td class={`n ${tone(s.realized_pnl)}`}>{signed(s.realized_pnl)}</td>
                  <td class={`n ${tone(s.unrealized_pnl)}`}>{signed(s.unrealized_pnl)}</td>
                  <td class={`n ${tone(s.pnl)}`}>{signed(s.pnl)}</td>
                </tr>
              ))}
              <tr class="total" data-testid="portfolio-total">
                <td>Account</td>
                <td></td>
                <td class="n">{num(p.total.exposure)}</td>
                <td class="n">{pct(p.total.exposure_fraction)}</td>
                <td class={`n ${tone(p.total.realized_pnl)}`}>{signed(p.total.realized_pnl)}</td>
                <td class={`n ${tone(p.total.unrealized_pnl)}`}>
                  {signed(p.total.unrealized_pnl)}
                </td>
                <td class={`n ${tone(p.total.pnl)}`}>{signed(p.total.pnl)}</td>
              </tr>
            </tbody>
          </table>
          {p.caps && (
            <div data-testid="portfolio-caps">
              <Gauge
                label="Total exposure"
                value={p.total.exposure_fraction ?? 0}
                limit={p.caps.max_total_exposure}
              />
              {p.venues.map((v) => (
                <Gauge
                  key={v.venue}
                  label={`${v.venue} exposure`}
                  value={v.exposure_fraction ?? 0}
                  limit={p.caps!.max_venue_fraction}
                />
              ))}
            </div>
          )}
        </>
      )}
    </Panel>
  );
}
