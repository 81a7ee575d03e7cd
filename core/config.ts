import { z } from "zod";
import { ConfigError } from "./errors.ts";
import {
  BalancesSchema,
  checkTradedStreams,
  defaultStreams,
  PortfolioCapsSchema,
  TradedStreamSchema,
} from "./traded_streams.ts";
import { BASELINE_NAMES } from "./trading/strategy/baselines.ts";

const bps = z.number().min(0).max(10_000);
const fraction = z.number().min(0).max(1);
const url = z.string().regex(/^(https?|wss?):\/\/\S+$/, "expected an http(s):// or ws(s):// URL");
/** An RSS/Atom feed: http(s):// or file:// URL, or a file path (relative to the working directory). */
const feedLocation = z.string().min(1).refine(
  (s) => /^(https?|file):\/\/\S+$/.test(s) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(s),
  "expected an http(s):// or file:// URL or a file path",
);
const symbol = z.string().regex(/^[A-Z0-9]+\/[A-Z0-9]+$/, "expected a symbol like BTC/USDT");

const SECRET_KEYS = ["api_key", "newsapi_key", "news_api_key", "token", "password", "secret"];

const venue = z.strictObject({
  enabled: z.boolean().default(true),
  ws_url: url,
  rest_url: url,
  /** Normalized symbol -> the venue's own symbol. */
  symbols: z.record(symbol, z.string().min(1)),
  maker_fee_bps: bps,
  taker_fee_bps: bps,
  /** Smallest order notional in the quote asset (paper trading); the engine default is 5. */
  min_notional: z.number().positive().optional(),
});

/** The zod schema of `config.yaml`. Unknown keys are errors everywhere. */
export const ConfigSchema = z.strictObject({
  exchanges: z.strictObject({
    binance_us: venue.optional(),
    coinbase: venue.optional(),
    kraken: venue.optional(),
    kucoin: venue.optional(),
  }),
  symbols: z.array(symbol).min(1),
  storage: z.strictObject({
    backend: z.enum(["sqlite", "postgres"]).default("sqlite"),
    sqlite_path: z.string().min(1).default("data/db/tickerml.db"),
    snapshot_interval_s: z.number().min(1).max(3600).default(10),
    snapshot_depth: z.number().int().min(1).max(5000).default(100),
    batch_size: z.number().int().min(1).max(100_000).default(2000),
    /** Events held in memory while the store refuses writes (disk full); oldest dropped beyond. */
    max_buffered_events: z.number().int().min(1_000).max(5_000_000).default(50_000),
    /**
     * Retention and archive of the SQLite store (absent caps = keep everything): closed hours of
     * deltas, trades and snapshots become gzip recording files per venue/symbol/hour, verified,
     * then deleted from the store. Archive files are deleted only by `max_archive_mb`.
     */
    retention: z.strictObject({
      /** Archive hours once they are this old (hours); absent = never by age. */
      archive_after_hours: z.number().min(1).max(100_000).optional(),
      /** Archive the oldest closed hours while the store uses more than this (MB); absent = no cap. */
      max_store_mb: z.number().min(1).optional(),
      /** Delete the oldest archive files while they take more than this (MB); absent = keep all. */
      max_archive_mb: z.number().min(1).optional(),
      /** Directory of the archive files. */
      archive_dir: z.string().min(1).default("data/archive"),
      /** How often the writing process applies the policy (minutes). */
      check_interval_minutes: z.number().min(1).max(1440).default(10),
    }).prefault({}),
    /** PostgreSQL/TimescaleDB backend settings (the URL is the DATABASE_URL secret). */
    postgres: z.strictObject({
      schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "expected a lower-case SQL identifier")
        .default("public"),
      timescale: z.enum(["auto", "off"]).default("auto"),
      compress_after_days: z.number().int().min(0).default(7),
      retention_days: z.number().int().min(0).default(0),
      max_buffered_rows: z.number().int().min(1_000).max(10_000_000).default(200_000),
      spill_dir: z.string().min(1).default("data/spill"),
    }).prefault({}),
  }),
  trading: z.strictObject({
    initial_balance: z.number().positive(),
    quote_asset: z.string().min(1).default("USDT"),
    /** The baseline traded when no model runs (a model is chosen with --model / the bundle). */
    strategy: z.enum([...BASELINE_NAMES, "model"]).default("imbalance"),
    max_position_fraction: fraction.default(0.25),
    decision_interval_s: z.number().positive().default(1),
    order_latency_ms: z.number().min(0).default(50),
    slippage_band_bps: bps.default(50),
    /** What the paper account trades (default: each of `symbols` on the first venue listing it). */
    streams: z.array(TradedStreamSchema).optional(),
    /** Account-wide caps (fractions of equity). */
    portfolio: PortfolioCapsSchema.prefault({}),
    /** Starting balances per venue and asset (default: initial_balance split evenly). */
    balances: BalancesSchema.optional(),
  }),
  risk: z.strictObject({
    max_drawdown: fraction,
    daily_loss_limit: fraction,
    stop_loss: fraction,
    take_profit: fraction,
    trailing_stop: fraction,
    max_consecutive_losses: z.number().int().min(1),
    cooldown_minutes: z.number().min(0),
    max_correlation: fraction,
    stale_after_s: z.number().positive(),
    spread_blowout_bps: bps,
    jump_sigma: z.number().positive(),
  }),
  model: z.strictObject({
    registry_dir: z.string().min(1).default("models/registry"),
    window: z.number().int().min(2).max(1024).default(64),
    d_model: z.number().int().min(8).default(128),
    n_heads: z.number().int().min(1).default(4),
    n_layers: z.number().int().min(1).default(6),
    ff_dim: z.number().int().min(8).default(256),
    ort_threads: z.number().int().min(1).max(8).default(1),
    /**
     * ONNX Runtime of the live edge: "node" (native addon, about 30 MB; falls back to "web" when
     * it cannot load) or "web" (WASM, about 180 MB; the one a compiled executable embeds).
     */
    ort_runtime: z.enum(["node", "web"]).default("web"),
    /** Address of the live edge's model-upload endpoint (POST /models). */
    publish_host: z.string().min(1).default("127.0.0.1"),
    /** Its port; 0 turns the endpoint off. Uploads need EDGE_PUBLISH_TOKEN. */
    publish_port: z.number().int().min(0).max(65_535).default(5001),
    /** Largest accepted model upload, bytes (counted as the body streams in). */
    publish_max_bytes: z.number().int().min(1_024).max(1_073_741_824).default(67_108_864),
    /** How often the live edge installs packages dropped into `<registry_dir>/incoming/`, s. */
    incoming_poll_s: z.number().positive().default(30),
  }),
  dashboard: z.strictObject({
    host: z.string().min(1).default("127.0.0.1"),
    port: z.number().int().min(1).max(65_535).default(5000),
  }),
  news: z.strictObject({
    interval_minutes: z.number().positive().default(15),
    /** RSS/Atom feeds: http(s):// or file:// URLs or file paths. */
    rss_feeds: z.array(feedLocation).default([]),
    /** NewsAPI base URL (the key comes from NEWSAPI_KEY; without it NewsAPI is skipped). */
    newsapi_url: url.default("https://newsapi.org"),
    newsapi_query: z.string().min(1).default("bitcoin OR ethereum OR crypto"),
    /** Least time between two NewsAPI requests (the free plan allows 100 a day). */
    newsapi_min_interval_minutes: z.number().min(0).default(15),
    keywords: z.record(z.string().min(1), z.array(z.string().min(1))),
    fetch_timeout_s: z.number().positive().max(600).default(20),
    /** Feed or API responses larger than this are refused. */
    max_body_bytes: z.number().int().min(10_000).max(200_000_000).default(5_000_000),
    /** Same normalized headline within this many days = duplicate. */
    title_dedupe_days: z.number().min(0).max(3650).default(7),
    ollama_host: url.default("http://127.0.0.1:11434"),
    /** qwen3, gemma3:4b, gemma3:1b, or any model the Ollama host has. */
    ollama_model: z.string().min(1).default("qwen3"),
    ollama_timeout_s: z.number().positive().default(30),
    ollama_concurrency: z.number().int().min(1).max(16).default(2),
    ollama_retries: z.number().int().min(0).max(10).default(2),
  }),
  logging: z.strictObject({
    dir: z.string().min(1).default("logs"),
    level: z.enum(["debug", "info", "warn", "error"]).default("info"),
  }).default({ dir: "logs", level: "info" }),
}).superRefine((cfg, ctx) => {
  if (cfg.model.d_model % cfg.model.n_heads !== 0) {
    ctx.addIssue({
      code: "custom",
      path: ["model", "n_heads"],
      message: `must divide d_model (${cfg.model.d_model})`,
    });
  }
  // Cross-checks need a valid `symbols` (a bad one would echo in every stream).
  if (ctx.issues.some((i) => i.path?.[0] === "symbols")) return;
  for (const issue of checkTradedStreams(cfg)) ctx.addIssue({ code: "custom", ...issue });
}).transform((cfg) => ({
  ...cfg,
  trading: { ...cfg.trading, streams: cfg.trading.streams ?? defaultStreams(cfg) },
}));

/** The validated configuration. */
export type Config = z.infer<typeof ConfigSchema>;

/** Secrets, from environment variables or `.env`, never from the YAML. */
export interface Secrets {
  /** NewsAPI key (NEWSAPI_KEY); optional. */
  readonly newsApiKey?: string;
  /** Bearer token for dashboard controls (DASHBOARD_TOKEN); without it the dashboard is read-only. */
  readonly dashboardToken?: string;
  /** PostgreSQL URL (DATABASE_URL) for the postgres backend. */
  readonly databaseUrl?: string;
  /** Token the edge's model-upload endpoint requires (EDGE_PUBLISH_TOKEN). */
  readonly publishToken?: string;
}

/**
 * Validates a parsed YAML document as a {@linkcode Config}.
 *
 * @param doc The parsed document (from `yaml.parse`).
 * @param source Where it came from, for messages.
 * @returns The frozen configuration with defaults resolved.
 * @throws {ConfigError} Listing every problem as "key.path: what was expected".
 *
 * @example Reject an unknown key
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseConfig } from "./config.ts";
 * assert.throws(() => parseConfig({ bogus: 1 }, "x.yaml"), /bogus/);
 * ```
 */
export function parseConfig(doc: unknown, source: string): Config {
  const result = ConfigSchema.safeParse(doc);
  if (result.success) return deepFreeze(result.data);
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join(".") || "(top level)";
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => {
        const full = path === "(top level)" ? k : `${path}.${k}`;
        return SECRET_KEYS.some((s) => k.toLowerCase().includes(s))
          ? `${full}: secrets must not be in the YAML; set them in the environment or .env (see README)`
          : `${full}: unknown key`;
      }).join("\n  ");
    }
    return `${path}: ${issue.message}`;
  });
  throw new ConfigError(source, issues);
}

/**
 * Picks the secrets out of an environment map (process env merged with `.env`).
 *
 * @param env Variables by name.
 * @returns The secrets that are set (empty strings count as unset).
 */
export function secretsFromEnv(env: Readonly<Record<string, string | undefined>>): Secrets {
  const pick = (k: string) => (env[k] ? { [k]: env[k] } : {});
  const v = {
    ...pick("NEWSAPI_KEY"),
    ...pick("DASHBOARD_TOKEN"),
    ...pick("DATABASE_URL"),
    ...pick("EDGE_PUBLISH_TOKEN"),
  };
  return Object.freeze({
    ...(v.NEWSAPI_KEY ? { newsApiKey: v.NEWSAPI_KEY } : {}),
    ...(v.DASHBOARD_TOKEN ? { dashboardToken: v.DASHBOARD_TOKEN } : {}),
    ...(v.DATABASE_URL ? { databaseUrl: v.DATABASE_URL } : {}),
    ...(v.EDGE_PUBLISH_TOKEN ? { publishToken: v.EDGE_PUBLISH_TOKEN } : {}),
  });
}

/**
 * Parses `.env` text: `KEY=value` lines, `#` comments, optional quotes.
 *
 * @throws {SyntaxError} Naming the line number of a malformed line.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new SyntaxError(`Cannot parse .env line ${i + 1}: expected KEY=value`);
    let value = m[2] as string;
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    out[m[1] as string] = value;
  });
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object") {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
