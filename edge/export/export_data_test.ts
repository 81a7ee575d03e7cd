import assert from "node:assert/strict";
import { buildFeatureDataset } from "../../core/features/dataset.ts";
import { datasetCsv } from "../../core/features/dataset_csv.ts";
import { memoryOutput, UsageError } from "../cli/output.ts";
import { runReplay } from "../cli/replay_command.ts";
import { specForEvents } from "../features_cli.ts";
import { BTCUSDT_RECORDING, loadRecordedEvents } from "../features/recorded_events.ts";
import { SqliteStore } from "../store/sqlite_store.ts";
import { runExportData } from "./export_data.ts";

/** A store filled from the bundled recording, plus one prediction row. */
async function filledStore(dir: string): Promise<string> {
  const path = `${dir}/store.db`;
  await runReplay([...BTCUSDT_RECORDING], {
    venue: "binance",
    symbol: "BTC/USDT",
    store: path,
    snapshotIntervalMs: 10_000,
    out: memoryOutput(),
    progress: false,
  });
  const store = await SqliteStore.open(path);
  store.db.prepare(
    `INSERT INTO predictions (timestamp, venue, symbol, model_version, action, action_probs,
      position_size, risk_score, price_pred, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    1_723_161_300_000,
    "binance",
    "BTC/USDT",
    "v1",
    "buy",
    "[0.7,0.2,0.1]",
    0.25,
    0.1,
    "[0.1,0.3,0.6]",
    4.2,
  );
  await store.close();
  return path;
}

Deno.test("export-data writes ohlcv, features and predictions CSVs from the store", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await filledStore(dir);
    const out = memoryOutput();
    const code = await runExportData(["--store", store, "--out", `${dir}/dumps`, "--json"], out);
    assert.equal(code, 0, out.err.join("\n"));
    const summary = JSON.parse(out.out.join("\n"));
    assert.equal(summary.ohlcv_rows, 12);
    assert.equal(summary.feature_rows, 651);
    assert.equal(summary.prediction_rows, 1);
    const ohlcv = (await Deno.readTextFile(`${dir}/dumps/ohlcv.csv`)).trim().split("\n");
    assert.equal(ohlcv.length, 13);
    assert.equal(
      ohlcv[1],
      "binance,BTC/USDT,1723161240000,2024-08-08T23:54:00.000Z,61837.63000000,61855.37000000,61824.00000000,61828.00000000,12.43238000,875",
    );
    // Features from the store are the same bytes as features from the recording itself.
    const { events } = await loadRecordedEvents(BTCUSDT_RECORDING);
    const spec = specForEvents(events);
    assert.ok(spec);
    assert.equal(summary.spec_hash, spec.hash);
    const expected = datasetCsv(buildFeatureDataset(spec, events, { intervalMs: 1000 }));
    assert.equal(await Deno.readTextFile(`${dir}/dumps/features.csv`), expected);
    const predictions = (await Deno.readTextFile(`${dir}/dumps/predictions.csv`)).trim().split(
      "\n",
    );
    assert.equal(predictions.length, 2);
    assert.match(
      predictions[1] as string,
      /^1,1723161300000,binance,BTC\/USDT,v1,buy,"\[0\.7,0\.2,0\.1\]",0\.25,/,
    );
    assert.deepEqual([...Deno.readDirSync(`${dir}/dumps`)].map((e) => e.name).sort(), [
      "features.csv",
      "ohlcv.csv",
      "predictions.csv",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("export-data filters by time and rejects bad options", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await filledStore(dir);
    const out = memoryOutput();
    const args = ["--store", store, "--out", `${dir}/d`, "--json"];
    await runExportData([...args, "--from", "2024-08-09T00:00:00Z", "--to", "1723161660000"], out);
    const s = JSON.parse(out.out.join("\n"));
    assert.equal(s.ohlcv_rows, 1, "one bar starts in [00:00, 00:01)");
    assert.equal(s.prediction_rows, 0);
    await assert.rejects(() => runExportData([...args, "--from", "yesterday"], out), UsageError);
    await assert.rejects(
      () => runExportData([...args, "--primary", "kraken:BTC/USD"], out),
      /no events/,
    );
    await assert.rejects(() => runExportData([...args, "--interval-ms", "-1"], out), UsageError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
