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
} from "../../infra/store/dashboard/intel_views.ts";
export type {
  ArbitrageView,
  BacktestReportView,
  FeedHealthView,
  HeadlineView,
  SentimentView,
} from "../../infra/store/dashboard/intel_views.ts";
import type {
  AlertView,
  BookDepth,
  DecisionView,
  FillView,
  InstrumentView,
  OrderView,
  PortfolioPoint,
  PositionView,
  RiskView,
  TopOfBook,
  TradePrint,
} from "../../infra/store/dashboard/dashboard_views.ts";
export type * from "../../infra/store/dashboard/dashboard_views.ts";

/** Names of the control commands (the trader's list: the dashboard sends only what it applies). */
export { CONTROL_COMMANDS } from "../../core/trading/engine/controls.ts";

/** A control command name. */
export type { ControlCommandName as ControlCommand } from "../../core/trading/engine/controls.ts";

import type { ControlView } from "../../infra/store/trading/control_writer.ts";
export type { ControlView };

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
  | { type: "feed"; data: FeedHealthView }
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
  "feed",
  "risk",
  "alert",
  "arbitrage",
  "headline",
  "control",
  "store",
  "heartbeat",
];
