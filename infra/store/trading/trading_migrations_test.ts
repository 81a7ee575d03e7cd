import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { TradingStore } from "./trading_store.ts";

const root = new URL("../../../", import.meta.url);

Deno.test("a store at trading schema v3 migrates to v4 and then records each decision's cap", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/edge.db`;
  await (await TradingStore.open(path)).close();
  // make it what a v3 edge left behind
  const db = new DatabaseSync(path);
  db.exec("ALTER TABLE paper_decisions DROP COLUMN position_cap");
  db.exec("DELETE FROM trading_schema_migrations WHERE version = 4");
  db.close();
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("edge/main.ts", root).pathname,
      "trade",
      "--replay",
      new URL("testdata/binance-spot/btcusdt_20240808.gz", root).pathname,
      "--store",
      path,
      "--strategy",
      "imbalance",
      "--config",
      new URL("config.yaml", root).pathname,
      "--json",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const check = new DatabaseSync(path, { readOnly: true });
  const version = check.prepare("SELECT MAX(version) AS v FROM trading_schema_migrations").get();
  const caps = check.prepare(
    "SELECT COUNT(*) AS n, SUM(position_cap = 0.25) AS capped FROM paper_decisions",
  ).get() as { n: number; capped: number };
  check.close();
  assert.equal((version as { v: number }).v, 4);
  assert.ok(caps.n > 100 && caps.capped === caps.n, JSON.stringify(caps));
});
