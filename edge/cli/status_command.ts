import { parseFlags } from "../../infra/cli/flags.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { assessInt8, type Int8Assessment } from "../../core/model/int8_scheme.ts";
import { formatStorageUsage, storageUsage } from "../archive/storage_usage.ts";
import type { Output } from "../../infra/cli/output.ts";
import { type Row, StoreInspector } from "../../infra/store/store_inspector.ts";

/**
 * `status` (the seed's test_summary): data freshness per venue/symbol, row counts, model
 * version, risk state, last decisions and sentiment freshness, read from the SQLite store.
 *
 * @returns Exit code (0 ok, 1 the store is missing or unreadable, or its market data is not
 *   usable: no market tables, or a book with deltas but no stored snapshot).
 */
export async function statusCommand(args: string[], out: Output): Promise<number> {
  const { values } = parseFlags(args, {
    usage: "usage: deno task status [--config PATH] [--store PATH] [--json]",
    options: {
      config: { type: "string", default: "config.yaml" },
      store: { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const { config } = await loadConfig(values.config);
  const path = values.store ?? config.storage.sqlite_path;
  try {
    await Deno.stat(path);
  } catch {
    out.stderr(`status: no store at ${path} (run deno task demo, harvest or start first)`);
    return 1;
  }
  let db: StoreInspector;
  try {
    db = StoreInspector.open(path);
  } catch (e) {
    out.stderr(`status: cannot read the store at ${path}: ${(e as Error).message}`);
    return 1;
  }
  const now = Date.now();
  const counts = db.tableCounts();
  const freshness = db.lastMarketTimes().map((r) => ({
    venue: r.venue,
    symbol: r.symbol,
    age_s: Math.round((now - r.last) / 1000),
  }));
  const problems = storeProblems(db);
  const decisions = db.latestPredictions(5);
  const run = db.latestRunRisk();
  const risk = run ? { run_id: run.run_id, state: riskState(run.risk, now) } : null;
  const sentiment = db.lastSentimentHours().map((r) => ({
    symbol: r.symbol,
    age_h: Math.round((now - r.last) / 3.6e6 * 10) / 10,
  }));
  const storage = await storageUsage(db.db, path, config);
  db.close();
  const registry = new ModelRegistry(config.model.registry_dir);
  const current = (await registry.currentVersion()) ?? null;
  let policy: string | null = null;
  let int8: Int8Assessment | null = null;
  if (current !== null) {
    try {
      const m = await registry.manifest(current);
      const p = m.policy;
      policy = p.kind === "rl"
        ? `RL ${p.algo ?? ""} ${p.network ?? ""} policy`.replace(/ +/g, " ")
        : "pretrained";
      int8 = assessInt8({ hasInt8: m.files.int8 !== undefined, quantization: m.quantization });
    } catch (e) {
      policy = `unreadable manifest: ${(e as Error).message}`;
    }
  }
  const report = {
    usable: problems.length === 0,
    problems,
    store: path,
    data_freshness: freshness,
    rows: counts,
    model: {
      registry: config.model.registry_dir,
      current,
      policy,
      int8,
    },
    risk,
    last_decisions: decisions,
    sentiment_freshness: sentiment,
    storage,
  };
  for (const p of problems) out.stderr(`status: ${p}`);
  if (values.json) {
    out.stdout(JSON.stringify(report));
    return problems.length === 0 ? 0 : 1;
  }
  const lines = [`store ${path}`, "data freshness (seconds since the last trade or delta):"];
  for (const f of freshness) lines.push(`  ${f.venue} ${f.symbol}: ${f.age_s} s`);
  lines.push(
    `rows: ${
      Object.entries(counts).filter(([, n]) => n > 0).map(([t, n]) => `${t} ${n}`).join(", ")
    }`,
  );
  lines.push(
    `model: ${report.model.current ?? "none installed"}${
      report.model.policy ? `, ${report.model.policy}` : ""
    } (${report.model.registry})`,
  );
  if (int8 !== null && int8.status !== "none") {
    lines.push(`  ${int8.status === "legacy" ? "warning: " : ""}${int8.note}`);
  }
  lines.push(`risk: ${risk ? `${risk.state} (run ${risk.run_id})` : "no paper run"}`);
  lines.push("last decisions:");
  for (const d of decisions) {
    lines.push(
      `  ${
        new Date(Number(d.timestamp)).toISOString()
      } ${d.symbol} ${d.action} (${d.model_version})`,
    );
  }
  lines.push("sentiment freshness (hours since the last hourly aggregate):");
  for (const s of sentiment) lines.push(`  ${s.symbol}: ${s.age_h} h`);
  lines.push(...formatStorageUsage(storage));
  out.stdout(lines.join("\n"));
  return problems.length === 0 ? 0 : 1;
}

/** The trading state a stored risk snapshot implies (kill switch and breakers halt; a pause reduces). */
function riskState(r: Row, now: number): string {
  if (r.kill || r.drawdown || r.daily) return "HALTED";
  if (r.paused) return "REDUCING";
  return Number(r.cooldownUntil ?? 0) > now ? "ACTIVE (cooldown)" : "ACTIVE";
}

/**
 * Why a store's market data is not usable: no market tables at all, a venue/symbol whose
 * deltas were stored without any book snapshot (nothing to apply them to), or a book out of
 * sync at the end (its last feed-health row says unsynced and no snapshot came after it).
 */
function storeProblems(db: StoreInspector): string[] {
  if (!db.hasMarketTables()) {
    return ["the store has no market tables (book_deltas, order_books): not a TickerML store?"];
  }
  return db.booksWithoutSnapshot().map((r) =>
    `${r.venue} ${r.symbol}: ${r.n} book deltas but no book snapshot stored (the book never synced)`
  ).concat(unsyncedAtEnd(db));
}

/** Books whose latest feed-health row is unsynced (a gap or resync) with no later snapshot. */
function unsyncedAtEnd(db: StoreInspector): string[] {
  return db.unsyncedAtEnd().map((r) =>
    `${r.venue} ${r.symbol}: out of sync at the end of the store (last health row ${
      new Date(Number(r.time)).toISOString()
    }: unsynced after ${r.gaps} gaps, ${r.resyncs} resyncs, ${r.checksum_failures} checksum ` +
    `failures, ${r.crossed} crossed; no book snapshot after it): its last stored deltas ` +
    `cannot be applied`
  );
}
