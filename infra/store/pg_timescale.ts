import type postgres from "postgres";
import { HYPERTABLES, NOW_MS_FUNCTION, timescaleSetup } from "./pg_migrations.ts";

/** How the PostgreSQL store keeps its time-series tables. */
export interface StorageMode {
  /** True when the time-series tables are TimescaleDB hypertables. */
  readonly timescale: boolean;
  /** Why (extension version, "not available on this server", the error that prevented it). */
  readonly detail: string;
  /** Tables that are hypertables. */
  readonly hypertables: readonly string[];
}

/** TimescaleDB choices of the PostgreSQL store. */
export interface TimescaleOptions {
  /** "auto" (default): use TimescaleDB when the server has it; "off": plain tables. */
  readonly timescale?: "auto" | "off";
  /** Chunk length, ms. Default one day. */
  readonly chunkMs?: number;
  /** Compress chunks older than this many days; 0 disables. Default 7. */
  readonly compressAfterDays?: number;
  /** Drop chunks older than this many days; 0 (default) keeps everything. */
  readonly retentionDays?: number;
}

/**
 * Detects TimescaleDB (creating the extension when the server offers it) and, when active,
 * turns the time-series tables into hypertables with compression and retention policies.
 * Idempotent; runs on every start after the migrations. Failures leave plain tables (which
 * work the same) and are reported in `detail`.
 *
 * @param sql Client on the store's schema.
 * @param options Whether to try and which policies.
 */
export async function timescaleSetUp(
  sql: postgres.Sql,
  options: TimescaleOptions,
): Promise<StorageMode> {
  const plain = (detail: string): StorageMode => ({ timescale: false, detail, hypertables: [] });
  if (options.timescale === "off") {
    return plain("timescaledb disabled by storage.postgres.timescale");
  }
  let [ext] = await sql.unsafe("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
  if (!ext) {
    const [available] = await sql.unsafe(
      "SELECT default_version FROM pg_available_extensions WHERE name = 'timescaledb'",
    );
    if (!available) return plain("timescaledb extension not available on this server");
    try {
      await sql.unsafe("CREATE EXTENSION IF NOT EXISTS timescaledb");
    } catch (e) {
      return plain(`timescaledb available but CREATE EXTENSION failed: ${(e as Error).message}`);
    }
    [ext] = await sql.unsafe("SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'");
  }
  const policy = {
    chunkMs: options.chunkMs ?? 86_400_000,
    compressAfterDays: options.compressAfterDays ?? 7,
    retentionDays: options.retentionDays ?? 0,
  };
  try {
    await sql.begin(async (tx) => {
      await tx.unsafe("SELECT pg_advisory_xact_lock(hashtext('tickerml:' || current_schema()))");
      await tx.unsafe(NOW_MS_FUNCTION);
      for (const h of HYPERTABLES) {
        const [row] = await tx.unsafe(
          `SELECT compression_enabled FROM timescaledb_information.hypertables
           WHERE hypertable_schema = current_schema() AND hypertable_name = $1`,
          [h.table],
        );
        for (const st of timescaleSetup(h, policy, row?.compression_enabled === true)) {
          await tx.unsafe(st);
        }
      }
    });
  } catch (e) {
    return plain(`timescaledb ${ext?.extversion} set-up failed: ${(e as Error).message}`);
  }
  const rows = await sql.unsafe(
    `SELECT hypertable_name FROM timescaledb_information.hypertables
     WHERE hypertable_schema = current_schema() ORDER BY hypertable_name`,
  );
  const policies = `compress after ${policy.compressAfterDays || "never"} d, retention ${
    policy.retentionDays ? `${policy.retentionDays} d` : "unlimited"
  }`;
  return {
    timescale: true,
    detail: `timescaledb ${ext?.extversion}; ${policies}`,
    hypertables: rows.map((r) => String(r.hypertable_name)),
  };
}

/**
 * The storage mode as it is now, without changing anything (for `db check`).
 *
 * @param sql Client on the store's schema.
 */
export async function describeMode(sql: postgres.Sql): Promise<StorageMode> {
  const [ext] = await sql.unsafe(
    "SELECT extversion FROM pg_extension WHERE extname = 'timescaledb'",
  );
  if (!ext) {
    const [available] = await sql.unsafe(
      "SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'",
    );
    const detail = available
      ? "timescaledb available on the server but not created (run db:migrate)"
      : "timescaledb extension not available on this server";
    return { timescale: false, detail, hypertables: [] };
  }
  const rows = await sql.unsafe(
    `SELECT hypertable_name FROM timescaledb_information.hypertables
     WHERE hypertable_schema = current_schema() ORDER BY hypertable_name`,
  );
  const hypertables = rows.map((r) => String(r.hypertable_name));
  return {
    timescale: hypertables.length > 0,
    detail: `timescaledb ${ext.extversion}${hypertables.length ? "" : ", no hypertables yet"}`,
    hypertables,
  };
}
