import type { JSX } from "preact";
import { clock, num } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Gauge, Kpi, Panel } from "./common.tsx";

/** Risk monitor: state, drawdown and daily loss against limits, correlations and locks. */
export function RiskPanel(props: { model: DashboardModel }): JSX.Element {
  const r = props.model.risk.value;
  if (!r) {
    return (
      <Panel title="Risk monitor" id="risk">
        <Empty text="No risk state yet." />
      </Panel>
    );
  }
  return (
    <Panel title="Risk monitor" id="risk">
      <div class="kpis">
        <div class="kpi">
          <span class="label">State</span>
          <span class={`badge ${r.state.toLowerCase()}`} data-testid="risk-state">{r.state}</span>
        </div>
        <Kpi label="Entries" value={r.entries_paused ? "paused" : "allowed"} />
        <Kpi label="Losses in a row" value={String(r.consecutive_losses)} />
        <Kpi label="Cooldown until" value={clock(r.cooldown_until)} />
      </div>
      {r.reason && <p class="meta">{r.reason}</p>}
      <Gauge label="Drawdown" value={r.drawdown} limit={r.max_drawdown} />
      <Gauge label="Daily loss" value={r.daily_loss} limit={r.daily_loss_limit} />
      <h3>Correlations</h3>
      {Object.keys(r.correlations).length === 0
        ? <Empty text="None measured." />
        : (
          <ul class="plain">
            {Object.entries(r.correlations).map(([pair, c]) => (
              <li key={pair}>{pair}: {num(c, 2)}</li>
            ))}
          </ul>
        )}
      <h3>Locks</h3>
      {r.locks.length === 0 ? <Empty text="No locks." /> : (
        <ul class="plain">
          {r.locks.map((l) => <li key={l.symbol}>{l.symbol} until {clock(l.until)}: {l.reason}
          </li>)}
        </ul>
      )}
    </Panel>
  );
}

/** Alerts, newest first. */
export function AlertsPanel(props: { model: DashboardModel }): JSX.Element {
  const alerts = props.model.alerts.value;
  return (
    <Panel title="Alerts" id="alerts">
      {alerts.length === 0 ? <Empty text="No alerts." /> : (
        <ul class="alerts">
          {alerts.map((a) => (
            <li key={a.id} class={a.severity}>
              <span class="meta">{clock(a.time)} · {a.kind}</span> {a.message}
            </li>
          ))}
        </ul>
      )}
    </Panel>
  );
}

/** Stored backtest reports. */
export function BacktestsPanel(props: { model: DashboardModel }): JSX.Element {
  const reports = props.model.overview.value?.backtests ?? [];
  const keys = [...new Set(reports.flatMap((r) => Object.keys(r.metrics)))].slice(0, 8);
  return (
    <Panel title="Backtest reports" id="backtests" wide>
      {reports.length === 0
        ? <Empty text="No backtest reports stored." />
        : (
          <div class="scroll short">
            <table>
              <thead>
                <tr>
                  <th>Report</th>
                  <th>Strategy</th>
                  {keys.map((k) => <th key={k}>{k}</th>)}
                </tr>
              </thead>
              <tbody>
                {reports.map((r) => (
                  <tr key={r.id}>
                    <td>{r.name}</td>
                    <td>{r.strategy}</td>
                    {keys.map((k) => {
                      const v = r.metrics[k];
                      return (
                        <td key={k} class="n">{typeof v === "number" ? num(v, 4) : v ?? ""}</td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </Panel>
  );
}
