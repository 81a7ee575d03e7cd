import type { PortfolioStreamsView } from "../data/portfolio_streams.ts";
/**
 * The dashboard's view types: what the JSON API returns and the server-sent events carry.
 * Prices and sizes are decoded from the store's fixed-point integers with the instrument's
 * decimals (display only); amounts in the quote asset are plain numbers.
 *
 * @module
 */

import type {
  ArbitrageView,
  BacktestReportView,
  FeedHealthView,
  HeadlineView,
  SentimentView,
} from "./intel_types.ts";
export type {
  ArbitrageView,
  BacktestReportView,
  FeedHealthView,
  HeadlineView,
  SentimentView,
} from "./intel_types.ts";

/** One instrument's decoding facts. */
export interface InstrumentView {
  venue: string;
  symbol: string;
  price_decimals: number;
  size_decimals: number;
}

/** Best bid/ask and spread of one book. */
export interface TopOfBook {
  venue: string;
  symbol: string;
  /** Receive time of the last applied change, ms. */
  time: number;
  bid: number | null;
  ask: number | null;
  bid_size: number | null;
  ask_size: number | null;
  mid: number | null;
  spread_bps: number | null;
}

/** Top of book plus cumulative depth per side (best first) for the depth chart. */
export interface BookDepth extends TopOfBook {
  /** `[price, cumulative size]`, best bid first. */
  bids: [number, number][];
  /** `[price, cumulative size]`, best ask first. */
  asks: [number, number][];
}

/** A public trade print. */
export interface TradePrint {
  seq: number;
  venue: string;
  symbol: string;
  time: number;
  price: number;
  size: number;
  side: "buy" | "sell";
}

/** One OHLCV bar; `time` in epoch seconds (chart convention). */
export interface BarView {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One `portfolio_state` row. */
export interface PortfolioPoint {
  id: number;
  time: number;
  run_id: string;
  cash: number;
  equity: number;
  realized_pnl: number;
  unrealized_pnl: number;
  fees_paid: number;
  drawdown: number;
}

/** A held position (`paper_positions` of the active run, marked to the live mid). */
export interface PositionView {
  venue: string;
  symbol: string;
  qty: number;
  /** Cost basis / quantity (quote per base unit). */
  avg_price: number | null;
  /** Cost basis, quote. */
  cost: number;
  /** Realized P&L on this instrument net of its fees, quote. */
  realized_pnl: number;
  /** (mid − avg price) × qty with the live book's mid; null without a book. */
  unrealized_pnl: number | null;
  opened_at: number | null;
}

/** A paper order. */
export interface OrderView {
  run_id: string;
  id: string;
  venue: string;
  symbol: string;
  side: "buy" | "sell";
  type: string;
  tif: string | null;
  reduce_only: boolean;
  price: number | null;
  size: number;
  filled: number;
  status: string;
  /** Estimated size resting ahead of the order in the queue (decoded lots). */
  queue_ahead: number | null;
  tag: string | null;
  reason: string | null;
  submit_time: number;
  arrival_time: number;
}

/** A paper fill. */
export interface FillView {
  /** Row id in the store (unique across runs; the live cursor). */
  id: number;
  run_id: string;
  seq: number;
  order_id: string;
  venue: string;
  symbol: string;
  side: "buy" | "sell";
  price: number;
  size: number;
  notional: number;
  fee: number;
  liquidity: string;
  time: number;
  tag: string;
}

/** The latest decision: the model's (`predictions`) or the paper strategy's (`paper_decisions`). */
export interface DecisionView {
  source: "model" | "strategy";
  id: number;
  time: number;
  venue: string;
  symbol: string;
  model_version: string;
  action: string;
  action_probs: Record<string, number>;
  position_size: number;
  risk_score: number | null;
  latency_ms: number | null;
  /** Attention weights (rows = query steps, columns = key steps), when the model stored them. */
  attention: number[][] | null;
}

/** A lock: a halted book (stale, gap, crossed, ...) or the entry cooldown. */
export interface LockView {
  symbol: string;
  until: number | null;
  reason: string;
}

/** The risk manager's state (paper_runs.risk of the active run) against the configured limits. */
export interface RiskView {
  run_id: string;
  time: number;
  state: string;
  reason: string | null;
  entries_paused: boolean;
  drawdown: number;
  max_drawdown: number;
  daily_loss: number;
  daily_loss_limit: number;
  consecutive_losses: number;
  cooldown_until: number | null;
  locks: LockView[];
  /** Not persisted by the paper trader yet: empty until it is. */
  correlations: Record<string, number>;
}

/** An alert. */
export interface AlertView {
  id: number;
  time: number;
  kind: string;
  severity: string;
  message: string;
  value: number | null;
  threshold: number | null;
}

/** Names of the control commands. */
export const CONTROL_COMMANDS = [
  "pause_entries",
  "resume",
  "flatten_all",
  "kill_switch",
  "reload_model",
] as const;

/** A control command name. */
export type ControlCommand = typeof CONTROL_COMMANDS[number];

/** A logged control command. */
export interface ControlView {
  id: number;
  ts: number;
  command: string;
  source: string;
  status: string;
  handled_at: number | null;
  detail: string | null;
}

/** Everything the page needs on load. */
export interface Overview {
  server_time: number;
  /** Whether controls are enabled (a token is configured); never the token itself. */
  controls_enabled: boolean;
  /** Store facts: whether it is readable, and which optional tables exist. */
  store: StoreStatus;
  instruments: InstrumentView[];
  portfolio: PortfolioPoint | null;
  equity_curve: PortfolioPoint[];
  positions: PositionView[];
  /** Positions, exposure and P&L per traded stream, per venue and for the account. */
  portfolio_streams: PortfolioStreamsView;
  open_orders: OrderView[];
  fills: FillView[];
  books: TopOfBook[];
  trades: TradePrint[];
  decision: DecisionView | null;
  risk: RiskView | null;
  alerts: AlertView[];
  feed_health: FeedHealthView[];
  arbitrage: ArbitrageView[];
  headlines: HeadlineView[];
  sentiment: SentimentView[];
  backtests: BacktestReportView[];
  controls: ControlView[];
}

/** Whether the store can be read, which tables it has, and the run the page shows. */
export interface StoreStatus {
  available: boolean;
  error: string | null;
  missing_tables: string[];
  /** The paper run of the newest `portfolio_state` row (the one P&L, orders and fills show). */
  run_id: string | null;
}

/** A typed live update pushed over server-sent events. */
export type LiveEvent =
  | { type: "portfolio"; data: PortfolioPoint }
  | { type: "positions"; data: PositionView[] }
  | { type: "portfolio_streams"; data: PortfolioStreamsView }
  | { type: "fill"; data: FillView }
  | { type: "orders"; data: OrderView[] }
  | { type: "decision"; data: DecisionView }
  | { type: "book"; data: BookDepth }
  | { type: "trade"; data: TradePrint }
  | { type: "feed_health"; data: FeedHealthView }
  | { type: "risk"; data: RiskView }
  | { type: "alert"; data: AlertView }
  | { type: "arbitrage"; data: ArbitrageView }
  | { type: "headline"; data: HeadlineView }
  | { type: "control"; data: ControlView }
  | { type: "store"; data: StoreStatus }
  | { type: "heartbeat"; data: { time: number } };

/** The `type` of a live event. */
export type LiveEventType = LiveEvent["type"];

/** Every live event type (the names the stream's `event:` lines use). */
export const LIVE_EVENT_TYPES: readonly LiveEventType[] = [
  "portfolio",
  "positions",
  "portfolio_streams",
  "fill",
  "orders",
  "decision",
  "book",
  "trade",
  "feed_health",
  "risk",
  "alert",
  "arbitrage",
  "headline",
  "control",
  "store",
  "heartbeat",
];
