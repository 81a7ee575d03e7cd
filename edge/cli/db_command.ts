import { redactSecrets } from "../../core/redact.ts";
import { parseFlags } from "../../infra/cli/flags.ts";
import { ConfigError } from "../../core/errors.ts";
import type { MarketStore } from "../../core/storage.ts";
import { openStore } from "../../infra/store/open_store.ts";
import { PG_MIGRATIONS } from "../../infra/store/pg_migrations.ts";
import { type PgMigrationReport, PgStore } from "../../infra/store/pg_store.ts";
import { SQLITE_MIGRATIONS } from "../../infra/store/sqlite_migrations.ts";
import { SqliteStore } from "../../infra/store/sqlite_store.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { type Output, UsageError } from "../../infra/cli/output.ts";

const USAGE = "usage: deno task db:migrate|db:check [--config PATH] [--json]\n" +
  "  (deno run -A edge/main.ts db migrate|check ...)\n" +
  "  migrate  apply pending schema migrations (and TimescaleDB set-up) to the configured store\n" +
  "  check    connect, compare the schema version, report storage mode and row counts;\n" +
  "           exit 1 when unreachable or migrations are pending";

/**
 * `db migrate` / `db check` against the store `storage.backend` selects.
 *
 * @param args `migrate` or `check`, then options.
 * @param out Where to print.
 * @returns 0 ok, 1 database unreachable or not up to date.
 * @throws {UsageError} On bad arguments.
 */
export async function dbCommand(args: string[], out: Output): Promise<number> {
  const parsed = parseFlags(args, {
    usage: USAGE,
    allowPositionals: true,
    options: {
      config: { type: "string", default: "config.yaml" },
      json: { type: "boolean", default: false },
    },
  });
  const [action, ...extra] = parsed.positionals;
  if ((action !== "migrate" && action !== "check") || extra.length > 0) {
    throw new UsageError(USAGE);
  }
  const { config, secrets } = await loadConfig(parsed.values.config);
  const target = config.storage.backend === "sqlite"
    ? config.storage.sqlite_path
    : redactUrl(secrets.databaseUrl ?? "");
  const logs: string[] = [];
  const started = performance.now();
  let store: MarketStore;
  try {
    store = await openStore(config, secrets, {
      migrate: false,
      source: parsed.values.config,
      onLog: (l) => logs.push(l),
    });
  } catch (e) {
    if (action === "migrate" || e instanceof ConfigError) throw e;
    const result = { backend: config.storage.backend, target, ok: false, error: message(e) };
    out.stdout(
      parsed.values.json ? JSON.stringify(result) : `${target}: unreachable: ${result.error}`,
    );
    return 1;
  }
  try {
    const open_ms = Math.round(performance.now() - started);
    if (action === "migrate") {
      const report = await store.migrate();
      const mode = (report as Partial<PgMigrationReport>).mode;
      const result = { backend: store.backend, target, ...report, ...(mode ? { mode } : {}) };
      if (parsed.values.json) out.stdout(JSON.stringify(result));
      else {
        out.stdout(
          `${store.backend} ${target}: schema ${report.from} -> ${report.to}, ${
            report.applied.length ? `applied ${report.applied.join(", ")}` : "nothing to apply"
          }`,
        );
        for (const l of logs) out.stdout(`  ${l}`);
      }
      return 0;
    }
    const result = await check(store, target, open_ms);
    if (parsed.values.json) out.stdout(JSON.stringify(result));
    else out.stdout(formatCheck(result));
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

interface CheckResult {
  backend: string;
  target: string;
  ok: boolean;
  schema_version: number;
  latest_version: number;
  pending: string[];
  open_ms: number;
  query_ms: number;
  mode?: unknown;
  counts?: Record<string, number>;
}

async function check(store: MarketStore, target: string, open_ms: number): Promise<CheckResult> {
  const migrations = store instanceof PgStore ? PG_MIGRATIONS : SQLITE_MIGRATIONS;
  const t0 = performance.now();
  const version = store instanceof PgStore
    ? await store.schemaVersion()
    : (store as SqliteStore).schemaVersion();
  const query_ms = Math.round((performance.now() - t0) * 10) / 10;
  const pending = migrations.filter((m) => m.version > version).map((m) =>
    `${m.version} ${m.name}`
  );
  const base = {
    backend: store.backend,
    target,
    ok: pending.length === 0,
    schema_version: version,
    latest_version: migrations.at(-1)?.version ?? 0,
    pending,
    open_ms,
    query_ms,
  };
  if (pending.length > 0) return base;
  const mode = store instanceof PgStore ? await store.describeMode() : undefined;
  return { ...base, ...(mode ? { mode } : {}), counts: await store.tableCounts() };
}

function formatCheck(r: CheckResult): string {
  const lines = [
    `${r.backend} ${r.target}: ${
      r.ok ? "ok" : "NOT READY"
    } (open ${r.open_ms} ms, query ${r.query_ms} ms)`,
    `  schema version ${r.schema_version} of ${r.latest_version}${
      r.pending.length ? `; pending: ${r.pending.join(", ")} (run deno task db:migrate)` : ""
    }`,
  ];
  if (r.mode) lines.push(`  storage: ${JSON.stringify(r.mode)}`);
  if (r.counts) {
    lines.push(
      `  rows: ${
        Object.entries(r.counts).map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`).join(", ")
      }`,
    );
  }
  return lines.join("\n");
}

/** A connection URL without its password. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]+):.*@/i, "$1:***@");
}

function message(e: unknown): string {
  return redactSecrets(e instanceof Error ? e.message : String(e));
}
