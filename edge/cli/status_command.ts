import { DatabaseSync } from "node:sqlite";
import { parseFlags } from "../../infra/cli/flags.ts";
import { loadConfig } from "../../infra/config/load_config.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { assessInt8, type Int8Assessment } from "../../core/model/int8_scheme.ts";
import { formatStorageUsage, storageUsage } from "../archive/storage_usage.ts";
import type { Output } from "../../infra/cli/output.ts";

type Row = Record<string, unknown>;

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
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    db.prepare("SELECT COUNT(*) FROM sqlite_master").get();
  } catch (e) {
    out.stderr(`status: cannot read the store at ${path}: ${(e as Error).message}`);
    return 1;
  }
  const has = (t: string) =>
    db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(t) !==
      undefined;
  const all = (sql: string) => db.prepare(sql).all() as Row[];
  const now = Date.now();
  const counts: Record<string, number> = {};
  for (const r of all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")) {
    const t = String(r.name);
    if (t.startsWith("sqlite_")) continue;
    counts[t] = Number((db.prepare(`SELECT COUNT(*) AS n FROM "${t}"`).get() as Row).n);
  }
  const freshness = has("trades")
    ? all(
      "SELECT venue, symbol, MAX(t) AS last FROM (SELECT venue, symbol, receive_time AS t FROM trades UNION ALL SELECT venue, symbol, receive_time FROM book_deltas) GROUP BY venue, symbol ORDER BY venue, symbol",
    ).map((r) => ({
      venue: r.venue,
      symbol: r.symbol,
      age_s: Math.round((now - Number(r.last)) / 1000),
    }))
    : [];
  const problems = storeProblems(has, all);
  const decisions = has("predictions")
    ? all(
      "SELECT timestamp, symbol, model_version, action, latency_ms FROM predictions ORDER BY id DESC LIMIT 5",
    )
    : [];
  const risk = has("paper_runs")
    ? all("SELECT run_id, risk FROM paper_runs ORDER BY rowid DESC LIMIT 1").map((r) => ({
      run_id: r.run_id,
      state: riskState(JSON.parse(String(r.risk ?? "{}")) as Row, now),
    }))[0] ?? null
    : null;
  const sentiment = has("news_sentiment_hourly")
    ? all(
      "SELECT symbol, MAX(hour_start) AS last FROM news_sentiment_hourly GROUP BY symbol ORDER BY symbol",
    )
      .map((r) => ({
        symbol: r.symbol,
        age_h: Math.round((now - Number(r.last)) / 3.6e6 * 10) / 10,
      }))
    : [];
  const storage = await storageUsage(db, path, config);
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
function storeProblems(has: (t: string) => boolean, all: (sql: string) => Row[]): string[] {
  if (!has("book_deltas") || !has("order_books")) {
    return ["the store has no market tables (book_deltas, order_books): not a TickerML store?"];
  }
  return all(
    "SELECT d.venue, d.symbol, COUNT(*) AS n FROM book_deltas d WHERE NOT EXISTS " +
      "(SELECT 1 FROM order_books o WHERE o.venue = d.venue AND o.symbol = d.symbol) " +
      "GROUP BY d.venue, d.symbol ORDER BY d.venue, d.symbol",
  ).map((r) =>
    `${r.venue} ${r.symbol}: ${r.n} book deltas but no book snapshot stored (the book never synced)`
  ).concat(has("feed_health") ? unsyncedAtEnd(all) : []);
}

/** Books whose latest feed-health row is unsynced (a gap or resync) with no later snapshot. */
function unsyncedAtEnd(all: (sql: string) => Row[]): string[] {
  return all(
    "SELECT h.venue, h.symbol, h.time, h.gaps, h.resyncs, h.checksum_failures, h.crossed " +
      "FROM feed_health h WHERE h.synced = 0 AND h.id = (SELECT MAX(id) FROM feed_health l " +
      "WHERE l.venue = h.venue AND l.symbol = h.symbol) AND NOT EXISTS (SELECT 1 FROM " +
      "order_books o WHERE o.venue = h.venue AND o.symbol = h.symbol AND o.receive_time > h.time) " +
      "AND EXISTS (SELECT 1 FROM order_books o WHERE o.venue = h.venue AND o.symbol = h.symbol) " +
      "ORDER BY h.venue, h.symbol",
  ).map((r) =>
    `${r.venue} ${r.symbol}: out of sync at the end of the store (last health row ${
      new Date(Number(r.time)).toISOString()
    }: unsynced after ${r.gaps} gaps, ${r.resyncs} resyncs, ${r.checksum_failures} checksum ` +
    `failures, ${r.crossed} crossed; no book snapshot after it): its last stored deltas ` +
    `cannot be applied`
  );
}
