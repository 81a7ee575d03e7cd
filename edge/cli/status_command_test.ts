import assert from "node:assert/strict";
import { main } from "../main.ts";
import { memoryOutput } from "../../infra/cli/output.ts";
import { BUNDLED_RECORDING } from "../../infra/bundled_data.ts";
import { ModelRegistry } from "../inference/model_registry.ts";
import { DatabaseSync } from "node:sqlite";
import { ensureHarvestTables, writeFeedHealth } from "../../infra/store/harvest/harvest_tables.ts";

Deno.test("status reports freshness, row counts, model and sentiment of a store", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-status-" });
  const out = memoryOutput();
  assert.equal(
    await main(["replay", "--store", `${dir}/s.db`, "--json", ...BUNDLED_RECORDING], out),
    0,
  );
  assert.equal(await main(["status", "--store", `${dir}/s.db`, "--json"], out), 0);
  const s = JSON.parse(out.out.at(-1)!);
  assert.equal(s.rows.trades, 19_904);
  assert.equal(s.rows.book_deltas, 6_495);
  assert.deepEqual(
    s.data_freshness.map((f: { venue: string; symbol: string }) => `${f.venue} ${f.symbol}`),
    [
      "binance BTC/USDT",
    ],
  );
  assert.ok(s.data_freshness[0].age_s > 0);
  assert.equal(s.risk, null);
  assert.ok(s.storage.store_used_bytes > 0 && s.storage.store_file_bytes > 0);
  assert.match(s.storage.store_oldest_hour, /^2024-08-0[89]T\d\d:00Z$/);
  assert.deepEqual(s.storage.caps, {
    archive_after_hours: null,
    max_store_mb: null,
    max_archive_mb: null,
  });
  assert.deepEqual(s.last_decisions, []);
  assert.equal(await main(["status", "--store", `${dir}/missing.db`], out), 1);
  assert.match(out.err.at(-1)!, /no store at/);
});

Deno.test("status names the kind of the current model (pretrained or RL policy)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-status-" });
  const out = memoryOutput();
  assert.equal(
    await main(["replay", "--store", `${dir}/s.db`, "--json", ...BUNDLED_RECORDING], out),
    0,
  );
  const base = await Deno.readTextFile(new URL("../../config.yaml", import.meta.url));
  assert.match(base, /registry_dir: models\/registry/);
  await Deno.writeTextFile(
    `${dir}/config.yaml`,
    base.replace("registry_dir: models/registry", `registry_dir: ${dir}/registry`),
  );
  const registry = new ModelRegistry(`${dir}/registry`);
  for (const [name, kind] of [["tiny", "pretrained"], ["tiny_rl", "RL"]] as const) {
    const m = await registry.installFromDir(
      new URL(`../../testdata/models/${name}`, import.meta.url).pathname,
    );
    await registry.activate(m.version);
    const args = ["status", "--store", `${dir}/s.db`, "--config", `${dir}/config.yaml`];
    assert.equal(await main([...args, "--json"], out), 0);
    const s = JSON.parse(out.out.at(-1)!);
    assert.equal(s.model.current, m.version);
    assert.ok(s.model.policy.startsWith(kind), s.model.policy);
    assert.equal(await main(args, out), 0);
    assert.ok(out.out.some((l) => l.includes(`model: ${m.version}, ${kind}`)), out.out.join("\n"));
    assert.equal(s.model.int8.status, "exact");
    assert.match(out.out.at(-1)!, /\n {2}INT8 dynamic-u8s8-w7, weights within ±63/);
  }
  // a package from before the INT8 scheme was recorded is named as such
  const legacy = `${dir}/legacy`;
  await Deno.mkdir(legacy);
  const tiny = new URL("../../testdata/models/tiny/", import.meta.url).pathname;
  for (const f of ["model.fp32.onnx", "model.int8.onnx"]) {
    await Deno.copyFile(`${tiny}${f}`, `${legacy}/${f}`);
  }
  const manifest = JSON.parse(await Deno.readTextFile(`${tiny}manifest.json`));
  delete manifest.quantization;
  manifest.version = "tiny-legacy";
  await Deno.writeTextFile(`${legacy}/manifest.json`, JSON.stringify(manifest));
  await registry.activate((await registry.installFromDir(legacy)).version);
  const args = ["status", "--store", `${dir}/s.db`, "--config", `${dir}/config.yaml`];
  assert.equal(await main(args, out), 0);
  assert.match(
    out.out.at(-1)!,
    /\n {2}warning: INT8 weight range not recorded \(full -127\.\.127\)/,
  );
});

Deno.test("status flags a book out of sync at the end (last health row unsynced, no later snapshot)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tickerml-status-" });
  const out = memoryOutput();
  const store = `${dir}/s.db`;
  assert.equal(await main(["replay", "--store", store, "--json", ...BUNDLED_RECORDING], out), 0);
  const db = new DatabaseSync(store);
  ensureHarvestTables(db);
  const last = Number(
    (db.prepare("SELECT MAX(receive_time) AS t FROM order_books").get() as { t: number }).t,
  );
  const row = (time: number, synced: boolean) => ({
    time,
    venue: "binance",
    symbol: "BTC/USDT",
    msgs: 10,
    msgs_per_s: 1,
    latency_p50_ms: null,
    latency_p99_ms: null,
    gaps: 2,
    resyncs: 3,
    checksum_failures: 0,
    crossed: 0,
    stale: 0,
    stale_resyncs: 0,
    synced,
    age_ms: null,
  });
  // Unsynced before the last stored snapshot, synced at the end: usable.
  writeFeedHealth(db, [row(last - 1000, false), row(last + 1000, true)]);
  assert.equal(await main(["status", "--store", store, "--json"], out), 0);
  assert.deepEqual(JSON.parse(out.out.at(-1)!).problems, []);
  // The last row says unsynced (after a gap and resyncs) and no snapshot came after it.
  writeFeedHealth(db, [row(last + 2000, false)]);
  db.close();
  assert.equal(await main(["status", "--store", store, "--json"], out), 1);
  const s = JSON.parse(out.out.at(-1)!);
  assert.equal(s.usable, false);
  assert.equal(s.problems.length, 1);
  assert.match(s.problems[0], /^binance BTC\/USDT: out of sync at the end .*2 gaps, 3 resyncs/);
  assert.match(out.err.at(-1)!, /out of sync at the end/);
  assert.equal(await main(["status", "--store", store], out), 1);
});
