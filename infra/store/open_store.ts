import type { Config, Secrets } from "../../core/config.ts";
import { ConfigError } from "../../core/errors.ts";
import type { MarketStore } from "../../core/storage.ts";
import { PgStore } from "./pg_store.ts";
import { SqliteStore } from "./sqlite_store.ts";
import { redactSecrets } from "../../core/redact.ts";

/** Options of {@linkcode openStore}. */
export interface OpenStoreOptions {
  /** Apply pending migrations on open. Default true. */
  readonly migrate?: boolean;
  /** Log lines (PostgreSQL: storage mode, outages, spills). */
  readonly onLog?: (line: string) => void;
  /** PostgreSQL: keep retrying an unreachable server this long on open, ms. Default 0. */
  readonly waitForServerMs?: number;
  /** Where the configuration came from, for messages. Default "config.yaml". */
  readonly source?: string;
}

/**
 * Opens the store `storage.backend` selects: SQLite at `storage.sqlite_path`, or PostgreSQL at
 * the `DATABASE_URL` secret with the `storage.postgres` settings.
 *
 * @throws {ConfigError} When the backend is postgres and DATABASE_URL is not set.
 * @throws {Error} When the database cannot be opened or migrated.
 */
export async function openStore(
  config: Config,
  secrets: Secrets,
  options: OpenStoreOptions = {},
): Promise<MarketStore> {
  const migrate = options.migrate ?? true;
  if (config.storage.backend === "sqlite") {
    return await SqliteStore.open(config.storage.sqlite_path, { migrate });
  }
  if (!secrets.databaseUrl) {
    throw new ConfigError(options.source ?? "config.yaml", [
      "storage.backend: postgres needs DATABASE_URL (postgres://user:password@host:port/db) in the environment or .env",
    ]);
  }
  const pg = config.storage.postgres;
  const url = secrets.databaseUrl;
  // Driver and URL-parser messages quote the connection string: never let the password out.
  const onLog = options.onLog;
  return await PgStore.open(url, {
    migrate,
    schema: pg.schema,
    timescale: pg.timescale,
    compressAfterDays: pg.compress_after_days,
    retentionDays: pg.retention_days,
    maxBufferedRows: pg.max_buffered_rows,
    spillDir: pg.spill_dir,
    ...(onLog ? { onLog: (line: string) => onLog(redactSecrets(line, [url])) } : {}),
    ...(options.waitForServerMs ? { waitForServerMs: options.waitForServerMs } : {}),
  }).catch((e: unknown) => {
    if (!(e instanceof Error)) throw e;
    const safe = redactSecrets(e.message, [url]);
    if (safe === e.message) throw e;
    throw new Error(safe);
  });
}
