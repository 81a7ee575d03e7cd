/**
 * What the dashboard process takes from the loaded configuration (the one loader,
 * `infra/config/load_config.ts`, reads `config.yaml` and the secrets).
 *
 * @module
 */

import type { LoadedConfig } from "../../infra/config/load_config.ts";
import { tradedStreams } from "../../core/traded_streams.ts";
import type { DashboardLimits } from "../data/overview.ts";

/** What the dashboard process needs from config.yaml and the environment. */
export interface DashboardSettings {
  /** Bind address. */
  host: string;
  /** Port. */
  port: number;
  /** The SQLite store the edge writes. */
  storePath: string;
  /** Bearer token for controls (DASHBOARD_TOKEN); undefined = read-only. */
  token?: string;
  /** Risk limits and feed staleness the panels compare against (config `risk`). */
  limits: DashboardLimits;
}

/**
 * Picks the dashboard's settings from a loaded configuration.
 *
 * @param loaded The configuration and secrets.
 * @returns Bind address, store, token and the limits the panels compare against.
 */
export function dashboardSettings({ config, secrets }: LoadedConfig): DashboardSettings {
  return {
    host: config.dashboard.host,
    port: config.dashboard.port,
    storePath: config.storage.sqlite_path,
    limits: {
      max_drawdown: config.risk.max_drawdown,
      daily_loss_limit: config.risk.daily_loss_limit,
      stale_after_ms: config.risk.stale_after_s * 1000,
      traded_streams: tradedStreams(config).map((s) => ({ venue: s.venue, symbol: s.symbol })),
      portfolio_caps: { ...config.trading.portfolio },
    },
    ...(secrets.dashboardToken ? { token: secrets.dashboardToken } : {}),
  };
}
