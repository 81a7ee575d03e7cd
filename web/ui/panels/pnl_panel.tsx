import type { JSX } from "preact";
import { num, pct, signed, tone } from "../format.ts";
import type { DashboardModel } from "../state.ts";
import { Empty, Kpi, Panel } from "./common.tsx";

/** Live P&L: equity, realized, unrealized, cash, fees, drawdown. */
export function PnlPanel(props: { model: DashboardModel }): JSX.Element {
  const p = props.model.portfolio.value;
  return (
    <Panel title="Live P&L" id="pnl">
      {p
        ? (
          <div class="kpis">
            <Kpi label="Equity" value={num(p.equity)} testid="equity" />
            <Kpi label="Realized" value={signed(p.realized_pnl)} tone={tone(p.realized_pnl)} />
            <Kpi
              label="Unrealized"
              value={signed(p.unrealized_pnl)}
              tone={tone(p.unrealized_pnl)}
            />
            <Kpi label="Cash" value={num(p.cash)} />
            <Kpi label="Fees" value={num(p.fees_paid)} />
            <Kpi label="Drawdown" value={pct(p.drawdown)} tone={p.drawdown > 0 ? "down" : ""} />
          </div>
        )
        : <Empty text="No portfolio yet (the paper trader writes portfolio_state)." />}
    </Panel>
  );
}
