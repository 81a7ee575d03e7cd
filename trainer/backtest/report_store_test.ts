import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";

const root = new URL("../../", import.meta.url);
const RECORDING = new URL("testdata/binance-spot/btcusdt_20240808.gz", root).pathname;
const MAIN = new URL("../main.ts", import.meta.url).pathname;

/** `backtest_reports` as the edge's store migration 4 creates it. */
const DDL = `CREATE TABLE backtest_reports (
  id INTEGER PRIMARY KEY, created_at INTEGER NOT NULL, name TEXT NOT NULL, strategy TEXT NOT NULL,
  period_start INTEGER NOT NULL, period_end INTEGER NOT NULL, metrics TEXT NOT NULL
);`;

async function backtest(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "backtest", "--data", RECORDING, "--html", "none", ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("backtest --store appends the report where the dashboard reads it", async () => {
  const dir = await Deno.makeTempDir();
  const db = new DatabaseSync(`${dir}/edge.db`);
  db.exec(DDL);
  db.close();
  const r = await backtest(["--strategy", "imbalance", "--store", `${dir}/edge.db`, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.stored_report_id, 1);
  const check = new DatabaseSync(`${dir}/edge.db`, { readOnly: true });
  const row = check.prepare("SELECT * FROM backtest_reports").get() as Record<string, unknown>;
  check.close();
  assert.equal(row.name, "imbalance btcusdt_20240808.gz");
  assert.equal(row.strategy, "imbalance");
  assert.equal(row.period_start, Date.parse(out.start));
  assert.equal(row.period_end, Date.parse(out.end));
  const m = JSON.parse(row.metrics as string);
  const tested = out.results[0];
  assert.equal(m.net_return, tested.net.total_return);
  assert.equal(m.trades, tested.net.trades);
  const best = out.results.slice(1).reduce((
    a: { net: { total_return: number } },
    b: { net: { total_return: number } },
  ) => (b.net.total_return > a.net.total_return ? b : a));
  assert.equal(m.best_baseline, best.strategy);
  assert.equal(m.best_baseline_net_return, best.net.total_return);
});

Deno.test("backtest --store refuses a store without backtest_reports before replaying", async () => {
  const dir = await Deno.makeTempDir();
  new DatabaseSync(`${dir}/plain.db`).close();
  const r = await backtest(["--strategy", "flat", "--store", `${dir}/plain.db`]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /plain\.db: it has no backtest_reports table/);
  const missing = await backtest(["--strategy", "flat", "--store", `${dir}/none.db`]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /none\.db/);
  assert.throws(() => Deno.statSync(`${dir}/none.db`), "no store is created");
});

Deno.test("backtest --store waits for a running edge's write lock, and keeps its results when the insert fails", async () => {
  const dir = await Deno.makeTempDir();
  const db = new DatabaseSync(`${dir}/edge.db`);
  db.exec("PRAGMA journal_mode = WAL;");
  db.exec(DDL);
  db.exec("BEGIN IMMEDIATE; INSERT INTO backtest_reports VALUES (7, 0, 'edge', 'x', 0, 0, '{}');");
  const running = backtest(["--strategy", "flat", "--store", `${dir}/edge.db`, "--json"]);
  await new Promise((r) => setTimeout(r, 1_500)); // the child finishes its replay meanwhile
  db.exec("COMMIT;");
  const r = await running;
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).stored_report_id, 8);
  db.exec(
    "CREATE TRIGGER refuse BEFORE INSERT ON backtest_reports BEGIN SELECT RAISE(ABORT, 'refused by test'); END;",
  );
  db.close();
  const refused = await backtest(["--strategy", "flat", "--store", `${dir}/edge.db`, "--json"]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /edge\.db: refused by test/);
  assert.equal(JSON.parse(refused.stdout).strategy, "flat", "the results are printed anyway");
});
