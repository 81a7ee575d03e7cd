import assert from "node:assert/strict";
import { checkTree, summary } from "./layer_check.ts";
import type { RuleName } from "./layer_rules.ts";

const tree = (name: string): string =>
  new URL(`../testdata/layer_check/${name}`, import.meta.url).pathname;

const found = async (name: string, off: RuleName[] = []) => {
  const r = await checkTree(tree(name), new Set(off));
  return { r, lines: r.violations.map((v) => `${v.rule} ${v.where}`).sort() };
};

Deno.test("a tree that keeps every rule passes, and the summary names its folders and edges", async () => {
  const { r, lines } = await found("clean");
  assert.deepEqual(lines, []);
  assert.equal(r.files, 11);
  assert.deepEqual(r.tables, ["paper_decisions", "trades"]);
  const text = summary(r, new Set());
  assert.match(text, /^layer_check: ok — 11 files, 10 relative imports, 2 table names/);
  assert.match(text, /edge → core 1, edge → infra 1, infra → core 1, tools → edge 1/);
  assert.match(
    text,
    /core\/trading\/: 2 folders, 1 folder edges, no cycle; levels orders < engine/,
  );
  assert.match(
    text,
    /root: 4 folders, 4 folder edges, no cycle; levels core < infra < edge < tools/,
  );
});

Deno.test("core importing a runtime is a direction violation", async () => {
  const { r, lines } = await found("core_imports_edge");
  assert.deepEqual(lines, ["direction core/features/window.ts:1"]);
  assert.match(
    r.violations[0]!.message,
    /imports edge\/trader\/trader\.ts: core\/ may import only core\//,
  );
});

Deno.test("runtimes importing each other, infra importing a runtime and anything importing tools fail", async () => {
  const { lines } = await found("runtimes_cross");
  assert.deepEqual(lines, [
    "direction edge/trader/trader.ts:1",
    "direction infra/config/load.ts:1",
    "direction trainer/jobs/job.ts:1",
  ]);
});

Deno.test("a cycle between top-level folders fails and names both imports", async () => {
  const { r, lines } = await found("cycle_top");
  assert.deepEqual(lines, ["cycles alpha ↔ beta"]);
  assert.match(r.violations[0]!.message, /alpha → beta \(alpha\/a\.ts:1 imports beta\/b\.ts\)/);
  assert.match(r.violations[0]!.message, /beta → alpha \(beta\/b\.ts:1 imports alpha\/a\.ts\)/);
});

Deno.test("cycles between sub-folders of core/ fail at each level", async () => {
  const { lines } = await found("cycle_core");
  assert.deepEqual(lines, [
    "cycles core/market ↔ core/trading",
    "cycles core/trading/engine ↔ core/trading/orders",
  ]);
});

Deno.test("a runtime folder importing its cli/ fails; the entry point may", async () => {
  const { r, lines } = await found("cli_upward");
  assert.deepEqual(lines, ["cli edge/store/store_contract.ts:1"]);
  assert.match(r.violations[0]!.message, /imports edge\/cli\/demo_command\.ts/);
});

Deno.test("table names from the migrations (.ts and .sql) fail in strings outside infra/store/", async () => {
  const { r, lines } = await found("table_name");
  assert.deepEqual(r.tables, ["control_commands", "news_articles", "ohlcv", "trades"]);
  assert.deepEqual(lines, [
    "tables edge/archive/retention.ts:2",
    "tables edge/archive/retention.ts:6",
    "tables web/live/news.ts:2",
    "tables web/live/poller.ts:2",
  ]);
  assert.match(
    r.violations.find((v) => v.where === "web/live/poller.ts:2")!.message,
    /table name "control_commands" in a string outside infra\/store\//,
  );
});

Deno.test("a rule turned off shows its violations as pending and does not fail", async () => {
  const { r, lines } = await found("table_name", ["tables"]);
  assert.deepEqual(lines, []);
  assert.equal(r.pending.length, 4);
  assert.match(
    summary(r, new Set(["tables"])),
    /tables: OFF \(--no-tables\), 4 pending violation\(s\)/,
  );
});
