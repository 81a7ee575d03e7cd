import type { JSX } from "preact";
import { clock } from "./format.ts";
import { BooksPanel } from "./panels/books_panel.tsx";
import { EquityChart, PriceChart } from "./panels/charts.tsx";
import { ControlsPanel } from "./panels/controls_panel.tsx";
import { DecisionPanel } from "./panels/decision_panel.tsx";
import { ArbitragePanel, FeedsPanel } from "./panels/feeds_panel.tsx";
import { NewsPanel } from "./panels/news_panel.tsx";
import { PnlPanel } from "./panels/pnl_panel.tsx";
import { PortfolioPanel } from "./panels/portfolio_panel.tsx";
import { FillsPanel, PositionsPanel } from "./panels/positions_panel.tsx";
import { AlertsPanel, BacktestsPanel, RiskPanel } from "./panels/risk_panel.tsx";
import type { DashboardModel } from "./state.ts";

/** Connection and freshness badge: live, reconnecting, or stale (nothing for a while). */
export function StatusBar(props: { model: DashboardModel }): JSX.Element {
  const m = props.model;
  const store = m.overview.value?.store;
  const state = m.link.value !== "live" ? m.link.value : m.stale.value ? "stale" : "live";
  return (
    <header>
      <h1>TickerML</h1>
      <span class={`badge ${state}`} data-testid="link-state">{state}</span>
      <span class="meta">last update {clock(m.lastMessageAt.value)} UTC</span>
      {store && !store.available && (
        <span class="badge down" data-testid="store-error">store: {store.error}</span>
      )}
      {store && store.available && store.missing_tables.length > 0 && (
        <span class="meta">tables not in the store yet: {store.missing_tables.join(", ")}</span>
      )}
    </header>
  );
}

/** The whole dashboard. */
export function App(props: { model: DashboardModel }): JSX.Element {
  const m = props.model;
  return (
    <>
      <StatusBar model={m} />
      <main>
        <PnlPanel model={m} />
        <RiskPanel model={m} />
        <ControlsPanel model={m} />
        <EquityChart model={m} />
        <PriceChart model={m} />
        <BooksPanel model={m} />
        <PortfolioPanel model={m} />
        <PositionsPanel model={m} />
        <DecisionPanel model={m} />
        <FillsPanel model={m} />
        <FeedsPanel model={m} />
        <ArbitragePanel model={m} />
        <NewsPanel model={m} />
        <AlertsPanel model={m} />
        <BacktestsPanel model={m} />
      </main>
    </>
  );
}
