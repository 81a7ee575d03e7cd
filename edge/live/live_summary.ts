/**
 * What the live edge (and the demo) print when they stop.
 *
 * @module
 */

import type { AccountReport, StreamReport } from "../../core/trading/report/stream_report.ts";
import type { TraderSummary } from "../trader/paper_trader.ts";
import type { LiveRun } from "../../infra/store/live/live_runs.ts";

/** The summary of one live process (JSON-ready). */
export interface LiveSummary {
  run_id: string;
  /** True when this process continued an existing paper run. */
  resumed: boolean;
  /** Events the run had consumed before this process. */
  resumed_from: number;
  /** Whether the previous process of the run stopped cleanly (null: no previous process). */
  previous_clean_stop: boolean | null;
  strategy: string;
  model_version: string | null;
  seconds: number;
  events: number;
  fills: number;
  decisions: number;
  predictions: number;
  decision_latency_p50_ms: number | null;
  decision_latency_p99_ms: number | null;
  start_equity: number;
  end_equity: number;
  total_return: number;
  fees: number;
  max_drawdown: number;
  risk_state: string;
  /** Per traded stream: decisions, fills, P&L and exposure (the trader's report.streams). */
  streams: StreamReport[];
  /** The one account: equity, exposure (total, per venue), balances (report.account). */
  account: AccountReport;
  harvest: Record<string, number>;
  news: { articles: number };
  store: Record<string, number>;
  cpu_percent: number;
  rss_mb: number;
  fingerprint: string;
  ledger_digest: string;
}

/** Inputs of {@linkcode summarize}. */
export interface SummaryInputs {
  run: LiveRun;
  strategy: string;
  modelVersion: string | null;
  seconds: number;
  cpuSeconds: number;
  trader: TraderSummary;
  latencies: readonly number[];
  predictions: number;
  harvest: Record<string, number>;
  articles: number;
  store: Record<string, number>;
}

/** Builds the {@linkcode LiveSummary}. */
export function summarize(i: SummaryInputs): LiveSummary {
  const sorted = [...i.latencies].sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! : null;
  const net = i.trader.report.net;
  return {
    run_id: i.run.runId,
    resumed: i.run.resumed,
    resumed_from: i.trader.resumed_from,
    previous_clean_stop: i.run.previous ? i.run.previous.endedAt !== null : null,
    strategy: i.strategy,
    model_version: i.modelVersion,
    seconds: Math.round(i.seconds),
    events: i.trader.events,
    fills: i.trader.fills,
    decisions: i.trader.report.decisions,
    predictions: i.predictions,
    decision_latency_p50_ms: pct(0.5),
    decision_latency_p99_ms: pct(0.99),
    start_equity: net.start_equity,
    end_equity: net.end_equity,
    total_return: net.total_return,
    fees: net.fees,
    max_drawdown: net.max_drawdown,
    risk_state: i.trader.report.risk_state,
    streams: i.trader.report.streams,
    account: i.trader.report.account,
    harvest: i.harvest,
    news: { articles: i.articles },
    store: i.store,
    cpu_percent: Math.round(i.cpuSeconds / i.seconds * 1000) / 10,
    rss_mb: Math.round(Deno.memoryUsage().rss / 1e5) / 10,
    fingerprint: i.trader.fingerprint,
    ledger_digest: i.trader.ledger_digest,
  };
}

/** The human summary. */
export function formatSummary(s: LiveSummary, title: string, store: string): string {
  const n = (v: number) => v.toLocaleString("en-US");
  const pct = (v: number) => `${(v * 100).toFixed(3)}%`;
  const ms = (v: number | null) => (v === null ? "-" : `${v.toFixed(2)} ms`);
  return [
    `${title} after ${s.seconds} s (${s.strategy}${s.model_version ? ` ${s.model_version}` : ""})`,
    `  paper run ${s.run_id}${
      s.resumed ? ` continued from event ${n(s.resumed_from)}` : " (new account)"
    }`,
    `  events ${n(s.events)}; decisions ${n(s.decisions)}, model predictions ${n(s.predictions)}`,
    `  decision latency p50 ${ms(s.decision_latency_p50_ms)}, p99 ${ms(s.decision_latency_p99_ms)}`,
    `  trades (fills) ${s.fills}; equity ${s.start_equity.toFixed(2)} -> ${
      s.end_equity.toFixed(2)
    } (${pct(s.total_return)}), fees ${s.fees.toFixed(4)}, max drawdown ${
      pct(s.max_drawdown)
    }, risk ${s.risk_state}`,
    ...s.streams.map((st) =>
      `  ${st.venue} ${st.symbol}: decisions ${n(st.decisions)}, fills ${st.fills}, P&L net ${
        st.pnl_net.toFixed(2)
      } (gross ${st.pnl_gross.toFixed(2)}, fees ${st.fees.toFixed(4)}), exposure ${
        pct(st.exposure_fraction)
      }`
    ),
    `  account: equity ${s.account.equity.toFixed(2)}, exposure ${s.account.exposure.toFixed(2)} (${
      pct(s.account.exposure_fraction)
    }; ${
      Object.entries(s.account.exposure_by_venue).map(([v, e]) => `${v} ${e.toFixed(2)}`).join(
        ", ",
      ) || "flat"
    })`,
    `  harvest: ${n(s.harvest.events ?? 0)} events, ${n(s.harvest.resyncs ?? 0)} resyncs, ${
      n(s.harvest.opportunities ?? 0)
    } arbitrage opportunities`,
    `  news: ${s.news.articles} articles scored`,
    `  edge process: ${s.cpu_percent}% of one core, RSS ${s.rss_mb} MB`,
    `  store ${store}: ${
      Object.entries(s.store).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${n(v)}`).join(", ")
    }`,
  ].join("\n");
}
