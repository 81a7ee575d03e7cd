/**
 * What the dashboard process takes from the loaded configuration (the one loader,
 * `infra/config/load_config.ts`, reads `config.yaml` and the secrets).
 *
 * @module
 */

import { ConfigError } from "../../core/errors.ts";
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
  /**
   * With `storage.backend: postgres`: where the edge writes market data (DATABASE_URL and
   * `storage.postgres.schema`); the rest stays in `storePath`.
   */
  postgres?: { url: string; schema: string };
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
  const postgres = config.storage.backend === "postgres";
  if (postgres && !secrets.databaseUrl) {
    throw new ConfigError("config.yaml", [
      "storage.backend: postgres needs DATABASE_URL (postgres://user:password@host:port/db) in the environment or .env",
    ]);
  }
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
    ...(postgres && secrets.databaseUrl
      ? { postgres: { url: secrets.databaseUrl, schema: config.storage.postgres.schema } }
      : {}),
    ...(secrets.dashboardToken ? { token: secrets.dashboardToken } : {}),
  };
}
