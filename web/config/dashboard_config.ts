import { parse as parseYaml } from "yaml";
import { parseConfig, parseDotEnv, secretsFromEnv } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
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
 * Reads and validates `config.yaml` with core's schema and picks the dashboard's settings;
 * the token comes from the environment merged over `.env`.
 *
 * @throws {ConfigError} When the file is missing, not YAML, or invalid.
 */
export async function loadDashboardSettings(
  path: string,
  env: Record<string, string> = Deno.env.toObject(),
): Promise<DashboardSettings> {
  let doc: unknown;
  try {
    doc = parseYaml(await Deno.readTextFile(path), { uniqueKeys: true });
  } catch (e) {
    throw new ConfigError(
      path,
      [`cannot read it as YAML: ${(e as Error).message.split("\n")[0]}`],
      {
        cause: e,
      },
    );
  }
  const config = parseConfig(doc, path);
  let dotEnv: Record<string, string> = {};
  try {
    dotEnv = parseDotEnv(await Deno.readTextFile(".env"));
  } catch (e) {
    if (e instanceof SyntaxError) throw new ConfigError(".env", [e.message], { cause: e });
  }
  const secrets = secretsFromEnv({ ...dotEnv, ...env });
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
